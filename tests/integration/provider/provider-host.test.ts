import { StoreClient } from "../../../client";
import { federationKind, imProviderKind } from "../../../core";
import type { ConsumerProject, SerializedProviders } from "../../helpers/consumer-project";
import { makeConsumerProject } from "../../helpers/consumer-project";
import type { ProviderHost, RefreshResult } from "../../helpers/provider-host";
import { secret, startProviderHost, urnOf } from "../../helpers/provider-host";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

// The providers driven over gRPC through the SDK's own dynamic-provider host, as the engine
// drives them, against a real store process; the providers are serialized in a project that
// depends on the packed imfed, as the examples do.

const IM_PROVIDER = "pulumi-nodejs:dynamic/imfed:ImProvider";
const FEDERATION = "pulumi-nodejs:dynamic/imfed:Federation";

type Props = Record<string, unknown>;

/** A resource as the engine keeps it in the state, updated as the engine would. */
interface Deployed {
  readonly urn: string;
  id: string;
  /** The checked inputs (with `__provider`). */
  inputs: Props;
  /** The outputs (with `__provider`). */
  outputs: Props;
}

let store: StoreProcess;
let project: ConsumerProject;
let serialized: SerializedProviders;
let host: ProviderHost;
let admin: StoreClient;
/** Every answer of the host, to show the token is in none of them. */
const answers: unknown[] = [];

beforeAll(async () => {
  store = await startStore();
  project = makeConsumerProject();
  serialized = project.serializeProviders({ IMFED_TOKEN: store.adminToken });
  host = await startProviderHost({ hostScript: project.hostScript, cwd: project.dir });
  // The stack configuration as `pulumi config set imfed:endpoint` and `pulumi config set --secret
  // imfed:token` leave it, beside a key of the project's own, as the engine sends all of it.
  const configured = await host.configure({
    "imfed:endpoint": store.url,
    "imfed:token": secret(store.adminToken),
    "imfed-consumer:environment": "test",
  });
  expect(configured).toEqual({ acceptSecrets: false });
  admin = new StoreClient({ endpoint: store.url, token: store.adminToken, client: "cli" });
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await store?.stop();
  project?.remove();
});

function providerOf(type: string): string {
  return type === IM_PROVIDER ? serialized.imProviderProvider : serialized.federationProvider;
}

/** Check, as the engine calls it: `olds` are the old inputs of the state. */
async function check(type: string, name: string, news: Props, olds: Props = {}, provider = providerOf(type)) {
  const result = await host.check(urnOf(type, name), olds, { ...news, __provider: provider });
  answers.push(result);
  return result;
}

async function checked(
  type: string,
  name: string,
  news: Props,
  olds: Props = {},
  provider = providerOf(type),
): Promise<Props> {
  const { inputs, failures } = await check(type, name, news, olds, provider);
  expect(failures).toEqual([]);
  return inputs;
}

async function create(type: string, name: string, news: Props): Promise<Deployed> {
  const inputs = await checked(type, name, news);
  const urn = urnOf(type, name);
  const { id, outputs } = await host.create(urn, inputs);
  answers.push(outputs);
  return { urn, id, inputs, outputs };
}

function typeOf(resource: Deployed): string {
  return resource.urn.split("::")[2]!;
}

/** Check and Diff of the program's new inputs against the state, as a preview does. */
async function plan(resource: Deployed, news: Props, provider?: string) {
  const name = resource.urn.split("::").pop()!;
  const inputs = await checked(typeOf(resource), name, news, resource.inputs, provider);
  const result = await host.diff(resource.urn, resource.id, {
    oldInputs: resource.inputs,
    oldOutputs: resource.outputs,
    newInputs: inputs,
  });
  return { result, inputs };
}

async function update(resource: Deployed, news: Props, provider?: string): Promise<Props> {
  const { inputs } = await plan(resource, news, provider);
  const { outputs } = await host.update(resource.urn, resource.id, {
    oldInputs: resource.inputs,
    oldOutputs: resource.outputs,
    newInputs: inputs,
  });
  answers.push(outputs);
  resource.inputs = inputs;
  resource.outputs = outputs;
  return outputs;
}

/** A refresh as the engine does it; the state takes the refreshed inputs and outputs. */
async function refresh(resource: Deployed): Promise<RefreshResult> {
  const result = await host.refresh(resource);
  answers.push(result);
  if (!result.deleted) {
    resource.id = result.state.id;
    resource.inputs = result.state.inputs;
    resource.outputs = result.state.outputs;
  }
  return result;
}

function remove(resource: Deployed): Promise<void> {
  return host.delete(resource.urn, resource.id, { outputs: resource.outputs, inputs: resource.inputs });
}

function refreshed(result: RefreshResult) {
  if (result.deleted) throw new Error("the refresh found the resource gone");
  return result;
}

const NO_CHANGE = { changes: "none", replaces: [], deleteBeforeReplace: false };
const IN_PLACE = { changes: "some", replaces: [], deleteBeforeReplace: false };

describe("ImProvider through the SDK's provider host", () => {
  it("creates, reads, updates and deletes a public provider", async () => {
    const declared = {
      name: "Contoso Public",
      kind: "public",
      proxyFqdn: "SIP.Contoso-Public.example",
      enabled: false,
    };
    const resource = await create(IM_PROVIDER, "contoso", declared);
    expect(resource.id).toBe("Contoso Public");
    expect(resource.outputs).toMatchObject({
      name: "Contoso Public",
      kind: "public",
      proxyFqdn: "sip.contoso-public.example",
      enabled: false,
      verificationLevel: "UseSourceVerification",
      builtIn: false,
      updatedBy: "admin",
      updatedVia: "pulumi",
      updateReason: null,
    });
    expect(typeof resource.outputs.revision).toBe("number");
    expect(resource.outputs).not.toHaveProperty("enabledSharedAddressSpace");

    // Nothing changed outside of code: the refresh keeps the state and its diff is none.
    const revision = resource.outputs.revision;
    const read = refreshed(await refresh(resource));
    expect(read.state.id).toBe("Contoso Public");
    expect(read.state.outputs).toMatchObject({ enabled: false, revision });
    expect(read.state.inputs).toEqual({
      name: "Contoso Public",
      kind: "public",
      proxyFqdn: "sip.contoso-public.example",
      enabled: false,
      verificationLevel: "UseSourceVerification",
      __provider: serialized.imProviderProvider,
    });
    expect(read.diff).toEqual(NO_CHANGE);

    const updated = await update(resource, {
      ...declared,
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
    });
    expect(updated).toMatchObject({
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
      updatedVia: "pulumi",
    });
    expect(updated.revision as number).toBeGreaterThan(revision as number);
    expect(await admin.kind(imProviderKind).get("Contoso Public")).toMatchObject({
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
    });

    await remove(resource);
    expect(await admin.kind(imProviderKind).tryGet("Contoso Public")).toBeUndefined();
  });

  it("creates, reads, updates and deletes a hosted provider", async () => {
    const declared = {
      name: "Fabrikam Hosted",
      kind: "hosted",
      proxyFqdn: "sip.fabrikam.example",
      enabled: true,
      enabledSharedAddressSpace: true,
      autodiscoverUrl: "https://autodiscover.fabrikam.example/autodiscover",
    };
    const resource = await create(IM_PROVIDER, "fabrikam", declared);
    expect(resource.outputs).toMatchObject({
      kind: "hosted",
      enabledSharedAddressSpace: true,
      hostsOcsUsers: false,
      isLocal: false,
      autodiscoverUrl: "https://autodiscover.fabrikam.example/autodiscover",
    });
    const read = refreshed(await refresh(resource));
    expect(read.state.inputs).toMatchObject({
      enabledSharedAddressSpace: true,
      hostsOcsUsers: false,
      isLocal: false,
    });
    expect(read.diff).toEqual(NO_CHANGE);

    // A hosted provider changes in place in everything but name, kind and proxyFqdn.
    const next = { ...declared, hostsOcsUsers: true, isLocal: true, autodiscoverUrl: undefined };
    expect((await plan(resource, next)).result).toEqual(IN_PLACE);
    const updated = await update(resource, next);
    expect(updated).toMatchObject({ hostsOcsUsers: true, isLocal: true, autodiscoverUrl: null });
    // The store's `autodiscoverUrl: null` is no drift from the program's absent one.
    expect(refreshed(await refresh(resource)).diff).toEqual(NO_CHANGE);

    await remove(resource);
    expect(await admin.kind(imProviderKind).tryGet("Fabrikam Hosted")).toBeUndefined();
  });

  it("reports check failures with their property paths", async () => {
    const cases: [Props, string][] = [
      [{ name: "Bad Fqdn", kind: "public", proxyFqdn: "localhost", enabled: true }, "proxyFqdn"],
      [
        {
          name: "Bad Level",
          kind: "public",
          proxyFqdn: "sip.level.example",
          enabled: true,
          verificationLevel: "Sometimes",
        },
        "verificationLevel",
      ],
      [
        { name: "Public Flag", kind: "public", proxyFqdn: "sip.flag.example", enabled: true, isLocal: false },
        "isLocal",
      ],
      [{ name: "Bad/Name", kind: "public", proxyFqdn: "sip.name.example", enabled: true }, "name"],
    ];
    for (const [news, property] of cases) {
      const { failures } = await check(IM_PROVIDER, "bad", news);
      expect(failures).toHaveLength(1);
      expect(failures[0]!.property).toBe(property);
      expect(failures[0]!.reason).not.toBe("");
    }
    const { failures } = await check(IM_PROVIDER, "bad", {
      name: " Bad/",
      kind: "public",
      proxyFqdn: "x",
      enabled: "yes",
      hostsOcsUsers: true,
    });
    expect(failures.map((failure) => failure.property).sort()).toEqual(
      ["enabled", "hostsOcsUsers", "name", "name", "proxyFqdn"].sort(),
    );
  });

  it("diffs an in-place change, a replacement with deleteBeforeReplace, and no change", async () => {
    const declared = { name: "Diff Public", kind: "public", proxyFqdn: "sip.diff.example", enabled: true };
    const resource = await create(IM_PROVIDER, "diff", declared);

    expect((await plan(resource, { ...declared, enabled: false })).result).toEqual(IN_PLACE);
    expect((await plan(resource, { ...declared, proxyFqdn: "sip2.diff.example" })).result).toEqual({
      changes: "some",
      replaces: ["proxyFqdn"],
      deleteBeforeReplace: true,
    });
    expect((await plan(resource, declared)).result).toEqual(NO_CHANGE);
    // A value that differs only in case is normalized by check and never diffs.
    expect((await plan(resource, { ...declared, proxyFqdn: "SIP.Diff.Example" })).result).toEqual(NO_CHANGE);
    await remove(resource);
  });

  it("diffs a changed __provider text as no change, and runs the new text with the same configuration", async () => {
    const declared = { name: "Text IM", kind: "public", proxyFqdn: "sip.text.example", enabled: true };
    const resource = await create(IM_PROVIDER, "text", declared);
    // Another text for the same provider, as a newer imfed (or a newer SDK's serializer) writes it:
    // the host deserializes it as a new provider and configures it with the configuration it holds.
    const newer = `${serialized.imProviderProvider}\n// serialized by a newer imfed\n`;
    const { result, inputs } = await plan(resource, declared, newer);
    expect(result).toEqual(NO_CHANGE);
    expect(inputs.__provider).toBe(newer);
    // The engine keeps the new text in the state; the next write runs it, connected as before.
    resource.inputs = inputs;
    const updated = await update(resource, { ...declared, enabled: false }, newer);
    expect(updated).toMatchObject({ enabled: false, updatedBy: "admin", __provider: newer });
    expect(refreshed(await refresh(resource)).diff).toEqual(NO_CHANGE);
    await remove(resource);
    expect(await admin.kind(imProviderKind).tryGet("Text IM")).toBeUndefined();
  });

  it("adopts Yahoo! on create and restores its defaults on delete", async () => {
    const yahoo = await create(IM_PROVIDER, "yahoo", {
      name: "Yahoo!",
      kind: "public",
      proxyFqdn: "sip.yahoo.com",
      enabled: true,
      verificationLevel: "AlwaysUnverifiable",
    });
    expect(yahoo.id).toBe("Yahoo!");
    expect(yahoo.outputs).toMatchObject({
      builtIn: true,
      enabled: true,
      verificationLevel: "AlwaysUnverifiable",
      updatedVia: "pulumi",
    });

    await remove(yahoo);
    expect(await admin.kind(imProviderKind).get("Yahoo!")).toMatchObject({
      name: "Yahoo!",
      builtIn: true,
      enabled: false,
      proxyFqdn: "sip.yahoo.com",
      verificationLevel: "UseSourceVerification",
    });
  });

  it("refuses to create over another existing provider and says how to adopt it, then adopts it with adopt: true", async () => {
    await admin.kind(imProviderKind).put("Existing IM", {
      name: "Existing IM",
      kind: "public",
      proxyFqdn: "sip.existing.example",
      enabled: false,
    });
    const declared = {
      name: "Existing IM",
      kind: "public",
      proxyFqdn: "sip.existing.example",
      enabled: true,
    };
    const inputs = await checked(IM_PROVIDER, "existing", declared);
    await expect(host.create(urnOf(IM_PROVIDER, "existing"), inputs)).rejects.toThrow(
      /provider "Existing IM" already exists.*adopt: true.*remove it from the store first/s,
    );
    expect(await admin.kind(imProviderKind).get("Existing IM")).toMatchObject({
      enabled: false,
      updatedVia: "cli",
    });

    const adopted = await create(IM_PROVIDER, "existing", { ...declared, adopt: true });
    expect(adopted.outputs).toMatchObject({
      name: "Existing IM",
      enabled: true,
      updatedVia: "pulumi",
      adopt: true,
    });
    await remove(adopted);
    expect(await admin.kind(imProviderKind).tryGet("Existing IM")).toBeUndefined();
  });

  it("keeps adopt in the inputs a refresh reads, so the next preview shows no change", async () => {
    const declared = {
      name: "Adopted IM",
      kind: "public",
      proxyFqdn: "sip.adopted.example",
      enabled: true,
      adopt: true,
    };
    const resource = await create(IM_PROVIDER, "adopted", declared);
    const read = refreshed(await refresh(resource));
    expect(read.state.inputs).toMatchObject({ adopt: true });
    expect(read.state.outputs).toMatchObject({ adopt: true });
    expect(read.diff).toEqual(NO_CHANGE);
    // The next preview: Check of the program's inputs against the refreshed inputs gives the
    // same inputs (so the engine shows no `+ adopt`), and Diff says none.
    const next = await plan(resource, declared);
    expect(next.inputs).toEqual(resource.inputs);
    expect(next.result).toEqual(NO_CHANGE);
    await remove(resource);
  });

  it("shows a block made outside of code as drift with who, when and why, and refuses to overwrite it unseen", async () => {
    const declared = { name: "Drift IM", kind: "public", proxyFqdn: "sip.drift.example", enabled: true };
    const resource = await create(IM_PROVIDER, "drift", declared);
    const { token } = await admin.createToken("ops-oncall", "CsAdministrator");
    const operator = new StoreClient({ endpoint: store.url, token, client: "cli" });
    const blocked = await operator
      .kind(imProviderKind)
      .patch("Drift IM", { enabled: false }, { reason: "spam wave from this provider, ticket INC-4711" });

    // Update without a refresh: If-Match of the old revision fails, naming who, when and why.
    const stale = await plan(resource, { ...declared, verificationLevel: "AlwaysVerifiable" });
    const attempt = host.update(resource.urn, resource.id, {
      oldInputs: resource.inputs,
      oldOutputs: resource.outputs,
      newInputs: stale.inputs,
    });
    await expect(attempt).rejects.toThrow(/provider "Drift IM" changed outside of code/);
    await expect(attempt).rejects.toThrow(
      `changed since revision ${String(resource.outputs.revision)} of the state: it is at revision ` +
        `${blocked.revision}, written by ops-oncall at ${blocked.updatedAt} via cli`,
    );
    await expect(attempt).rejects.toThrow(/spam wave from this provider, ticket INC-4711/);
    await expect(attempt).rejects.toThrow(/pulumi refresh/);
    // Delete without a refresh fails the same way, and deletes nothing.
    await expect(remove(resource)).rejects.toThrow(/changed outside of code.*ops-oncall/s);
    expect(await admin.kind(imProviderKind).get("Drift IM")).toMatchObject({
      enabled: false,
      revision: blocked.revision,
    });

    // Refresh: the live object, with who, when and why; the engine's inverted Diff of the
    // refreshed state against the program's last inputs is "some", so the refresh shows drift.
    const read = refreshed(await refresh(resource));
    expect(read.state.outputs).toMatchObject({
      enabled: false,
      updatedBy: "ops-oncall",
      updatedVia: "cli",
      updatedAt: blocked.updatedAt,
      updateReason: "spam wave from this provider, ticket INC-4711",
      revision: blocked.revision,
    });
    expect(read.state.inputs).toMatchObject({ enabled: false });
    expect(read.diff).toEqual(IN_PLACE);

    // The program still says enabled: the plan shows enabled false => true, in place.
    expect((await plan(resource, declared)).result).toEqual(IN_PLACE);

    // After the refresh the update applies.
    const updated = await update(resource, declared);
    expect(updated).toMatchObject({ enabled: true, updatedBy: "admin", updatedVia: "pulumi" });
    await remove(resource);
  });

  it("reads a provider deleted outside of code as gone", async () => {
    const resource = await create(IM_PROVIDER, "gone", {
      name: "Gone IM",
      kind: "public",
      proxyFqdn: "sip.gone.example",
      enabled: true,
    });
    await admin.kind(imProviderKind).delete("Gone IM", { reason: "retired" });
    expect(await refresh(resource)).toEqual({ deleted: true });
    // Deleting it afterwards (the engine would not, but a stale state might) is not an error.
    await remove(resource);
  });

  it("answers concurrent reads of many providers", async () => {
    const names = Array.from({ length: 20 }, (_, index) => `Batch ${index}`);
    const resources = await Promise.all(
      names.map((name, index) =>
        create(IM_PROVIDER, `batch${index}`, {
          name,
          kind: "public",
          proxyFqdn: `sip${index}.batch.example`,
          enabled: true,
        }),
      ),
    );
    await admin.kind(imProviderKind).patch("Batch 7", { enabled: false });
    await admin.kind(imProviderKind).delete("Batch 9");
    const reads = await Promise.all(resources.map((resource) => host.refresh(resource)));
    reads.forEach((read, index) => {
      if (index === 9) expect(read).toEqual({ deleted: true });
      else {
        expect(refreshed(read).state).toMatchObject({ id: names[index], outputs: { enabled: index !== 7 } });
        expect(refreshed(read).diff.changes).toBe(index === 7 ? "some" : "none");
      }
    });
  });

  it("cannot import: the host fails on a Read with only an id before any code of imfed runs", async () => {
    // What the `import` resource option and `pulumi import` send (deploy/step.go `ImportStep.Apply`):
    // no properties, so no `__provider` for the host to deserialize (pulumi/pulumi#16175). The
    // ImProvider class refuses the option in the program instead, naming `adopt`
    // (tests/unit/sdk/import-option.test.ts).
    const before = host.output().length;
    await expect(host.import(urnOf(IM_PROVIDER, "imported"), "Yahoo!")).rejects.toThrow(
      "code must be a string, not undefined",
    );
    // The host's own trace: the failure is in its getProvider, in requireFromString.
    expect(host.output().slice(before)).toMatch(/at requireFromString[\s\S]*at getProvider/);
  });
});

describe("Federation through the SDK's provider host", () => {
  it("adopts the settings on create, reads, updates, and restores the defaults on delete", async () => {
    const resource = await create(FEDERATION, "federation", { enabled: true, partnerDiscovery: true });
    expect(resource.id).toBe("global");
    expect(resource.outputs).toMatchObject({
      enabled: true,
      partnerDiscovery: true,
      archivingDisclaimer: false,
      remoteUserAccess: true,
      anonymousUserAccess: false,
      updatedVia: "pulumi",
    });
    const read = refreshed(await refresh(resource));
    expect(read.state.id).toBe("global");
    expect(read.state.inputs).toMatchObject({
      enabled: true,
      partnerDiscovery: true,
      remoteUserAccess: true,
    });
    expect(read.diff).toEqual(NO_CHANGE);

    const next = { enabled: true, partnerDiscovery: true, anonymousUserAccess: true };
    expect((await plan(resource, next)).result).toEqual(IN_PLACE);
    // A changed __provider text alone is no change.
    const newer = `${serialized.federationProvider}\n// serialized by a newer imfed\n`;
    expect((await plan(resource, { enabled: true, partnerDiscovery: true }, newer)).result).toEqual(
      NO_CHANGE,
    );
    const updated = await update(resource, next);
    expect(updated).toMatchObject({ anonymousUserAccess: true });

    // A change outside of code is not overwritten unseen, and a refresh shows it as drift.
    const { token } = await admin.createToken("fed-operator", "CsAdministrator");
    await new StoreClient({ endpoint: store.url, token, client: "cli" })
      .kind(federationKind)
      .patch(undefined, { enabled: false }, { reason: "audit" });
    const stale = await plan(resource, { enabled: true });
    await expect(
      host.update(resource.urn, resource.id, {
        oldInputs: resource.inputs,
        oldOutputs: resource.outputs,
        newInputs: stale.inputs,
      }),
    ).rejects.toThrow(
      /federation settings changed outside of code: it changed since revision \d+ of the state: it is at revision \d+, written by fed-operator at \S+ via cli \("audit"\)\..*pulumi refresh/s,
    );
    expect(refreshed(await refresh(resource)).diff).toEqual(IN_PLACE);

    await remove(resource);
    expect(await admin.kind(federationKind).get()).toMatchObject({
      enabled: false,
      partnerDiscovery: false,
      archivingDisclaimer: false,
      remoteUserAccess: true,
      anonymousUserAccess: false,
    });
  });

  it("reports check failures with their property paths", async () => {
    const { failures } = await check(FEDERATION, "federation", { enabled: "on", remoteUsers: true });
    expect(failures.map((failure) => failure.property).sort()).toEqual(["enabled", "remoteUsers"]);
  });
});

describe("the token, set as a secret", () => {
  it("appears nowhere in the serialized providers, any answer of the host, or the host's output", () => {
    expect(answers.length).toBeGreaterThan(20);
    expect(serialized.imProviderProvider).not.toContain(store.adminToken);
    expect(serialized.federationProvider).not.toContain(store.adminToken);
    expect(JSON.stringify(answers)).not.toContain(store.adminToken);
    expect(host.output()).not.toContain(store.adminToken);
    // The host did log something (the errors above), so the last check looked at real output.
    expect(host.output()).toMatch(/changed outside of code|already exists/);
  });
});
