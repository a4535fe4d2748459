import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ValidationError, federationKind, imProviderKind } from "../../../core";
import type { TopologyStore, WriteContext } from "../../../store";
import { openTopologyStore } from "../../../store";
import type { Backend } from "../../helpers/backend";
import { BACKENDS, sharedPostgres } from "../../helpers/backend";

// The store's one write path holds every writer (API, Control Panel, CLI) to the same rules for
// a reason; PostgreSQL's text cannot hold U+0000, so neither backend takes it.
describe.each(BACKENDS)("TopologyStore write reasons on %s", (backend: Backend) => {
  let dir: string;
  let store: TopologyStore;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "imfed-reason-"));
    const location =
      backend === "postgres"
        ? await (await sharedPostgres()).createDatabase("reason")
        : path.join(dir, "store.db");
    store = await openTopologyStore(location);
  });

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const withNul: WriteContext = { actor: "admin", via: "control-panel", reason: "incident\u00004" };

  it("refuses a reason holding U+0000 on every write, at the path reason, and writes nothing", async () => {
    const writes: [string, () => Promise<unknown>][] = [
      ["patch provider", () => store.patch(imProviderKind, "MSN", { enabled: true }, {}, withNul)],
      [
        "put provider",
        () =>
          store.put(
            imProviderKind,
            "Nul IM",
            { kind: "public", proxyFqdn: "sip.nul.example", enabled: true },
            {},
            withNul,
          ),
      ],
      ["delete provider", () => store.remove(imProviderKind, "AOL", {}, withNul)],
      ["patch federation", () => store.patch(federationKind, "global", { enabled: true }, {}, withNul)],
      ["create token", () => store.createToken({ name: "nul", role: "CsAdministrator" }, withNul)],
    ];
    for (const [what, write] of writes) {
      const failure = await write().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect({ what, failure }).toEqual({ what, failure: expect.any(ValidationError) });
      expect((failure as ValidationError).details).toEqual([
        { path: "reason", message: "must not contain the NUL character (U+0000)" },
      ]);
    }
    expect((await store.listAudit({ after: 0, limit: 10 })).items).toEqual([]);
    expect(await store.find(imProviderKind, "MSN")).toMatchObject({ enabled: false, updatedBy: "system" });
    expect(await store.tryFind(imProviderKind, "Nul IM")).toBeUndefined();
    expect(await store.tryFind(imProviderKind, "AOL")).toBeDefined();
    expect((await store.find(federationKind, "global")).enabled).toBe(false);
  });

  it("still takes a reason of 500 characters, and refuses 501 at the path reason", async () => {
    const context = (reason: string): WriteContext => ({ actor: "admin", via: "cli", reason });
    await expect(
      store.patch(imProviderKind, "MSN", { enabled: true }, {}, context("r".repeat(500))),
    ).resolves.toMatchObject({
      enabled: true,
      updateReason: "r".repeat(500),
    });
    await expect(
      store.patch(imProviderKind, "MSN", { enabled: false }, {}, context("r".repeat(501))),
    ).rejects.toMatchObject({
      details: [{ path: "reason", message: "must be at most 500 characters" }],
    });
  });
});
