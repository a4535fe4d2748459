import { api, providerPath } from "../../helpers/api";
import type { Backend } from "../../helpers/backend";
import { BACKENDS, startBackendStore } from "../../helpers/backend";
import type { RawDatabase } from "../../helpers/raw-database";
import { openRawDatabase } from "../../helpers/raw-database";
import type { StoreProcess } from "../../helpers/store-process";

/**
 * The store keeps every object as a document of its kind (docs/architecture.md): a
 * document written before a field existed reads back with the field's default, so a new field
 * needs no data migration; and identity and unique keys are held by the database itself.
 */
describe.each(BACKENDS)("documents on %s", (backend: Backend) => {
  let store: StoreProcess;
  let raw: RawDatabase;

  beforeAll(async () => {
    store = await startBackendStore({ backend });
    raw = await openRawDatabase(store.db);
  });

  afterAll(async () => {
    await raw?.close();
    await store?.stop();
  });

  // Writes a document straight into the database, as an older imfed wrote it, with its keys and
  // the next revision, the way the store itself does in one transaction.
  async function writeDocument(idKey: string, document: Record<string, unknown>): Promise<number> {
    const [counter] = await raw.query<{ value: number }>(
      "update counters set value = value + 1 where name = 'revision' returning value",
    );
    const revision = Number(counter?.value);
    const at = "2026-01-02T03:04:05.000Z";
    await raw.query(
      `insert into documents (kind, id_key, id, document, revision, created_at, updated_at, updated_by, updated_via, update_reason)
       values ('ImProvider', $1, $2, $3, $4, $5, $5, 'ops', 'cli', null)`,
      [idKey, document.name, JSON.stringify(document), revision, at],
    );
    await raw.query(
      "insert into document_keys (kind, field, value_key, id_key) values ('ImProvider', 'name', $1, $1), ('ImProvider', 'proxyFqdn', $2, $1)",
      [idKey, document.proxyFqdn],
    );
    return revision;
  }

  it("reads a hosted provider stored without isLocal, hostsOcsUsers and sipClientPort with their defaults, and a write stores them", async () => {
    const token = store.adminToken;
    // The document of a hosted provider written before isLocal and hostsOcsUsers existed.
    const revision = await writeDocument("legacy hosted", {
      name: "Legacy Hosted",
      kind: "hosted",
      proxyFqdn: "sip.legacy.example",
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
      enabledSharedAddressSpace: true,
    });

    const read = await api(store, "GET", providerPath("LEGACY HOSTED"), { token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      name: "Legacy Hosted",
      kind: "hosted",
      proxyFqdn: "sip.legacy.example",
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
      enabledSharedAddressSpace: true,
      hostsOcsUsers: false,
      isLocal: false,
      autodiscoverUrl: null,
      sipClientPort: 443,
      builtIn: false,
      revision,
      createdAt: "2026-01-02T03:04:05.000Z",
      updatedAt: "2026-01-02T03:04:05.000Z",
      updatedBy: "ops",
      updatedVia: "cli",
      updateReason: null,
    });
    const listed = await api(store, "GET", "/v1/providers?kind=hosted", { token });
    expect(listed.body.items).toContainEqual(read.body);

    const patched = await api(store, "PATCH", providerPath("Legacy Hosted"), {
      token,
      body: { enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      enabled: false,
      isLocal: false,
      hostsOcsUsers: false,
      sipClientPort: 443,
    });
    const [row] = await raw.query<{ document: string }>(
      "select document from documents where kind = 'ImProvider' and id_key = 'legacy hosted'",
    );
    expect(JSON.parse(String(row?.document))).toMatchObject({
      isLocal: false,
      hostsOcsUsers: false,
      sipClientPort: 443,
      enabled: false,
    });
  });

  it("holds each name and Access Edge once in the database itself, whatever writes to it", async () => {
    const taken = writeDocument("twin of yahoo", {
      name: "Twin of Yahoo",
      kind: "public",
      proxyFqdn: "sip.yahoo.com",
      enabled: true,
    });
    await expect(taken).rejects.toThrow(/unique/i);
    // The document went in before its keys were refused; it is removed again by hand.
    await raw.query("delete from documents where kind = 'ImProvider' and id_key = 'twin of yahoo'");
    await expect(
      raw.query(
        "insert into document_keys (kind, field, value_key, id_key) values ('ImProvider', 'name', 'yahoo!', 'msn')",
      ),
    ).rejects.toThrow(/unique|primary key/i);

    const twin = await api(store, "PUT", providerPath("Twin of Yahoo"), {
      token: store.adminToken,
      body: { kind: "public", proxyFqdn: "SIP.YAHOO.COM", enabled: true },
    });
    expect(twin.status).toBe(409);
    expect(twin.body.error.message).toBe(
      'proxyFqdn "sip.yahoo.com" is already the Access Edge of provider "Yahoo!" (public)',
    );
  });
});
