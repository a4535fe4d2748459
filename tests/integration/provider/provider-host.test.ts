import { StoreClient } from "../../../client";
import type { ConsumerProject, SerializedProviders } from "../../helpers/consumer-project";
import { makeConsumerProject } from "../../helpers/consumer-project";
import type { ProviderHost } from "../../helpers/provider-host";
import { secret, startProviderHost, urnOf } from "../../helpers/provider-host";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

// The providers driven over gRPC through the SDK's own dynamic-provider host, as the engine
// drives them, against a real store process; the providers are serialized in a project that
// depends on the packed imfed, as the examples do.

const IM_PROVIDER = "pulumi-nodejs:dynamic/imfed:ImProvider";
const FEDERATION = "pulumi-nodejs:dynamic/imfed:Federation";

type Props = Record<string, unknown>;

interface Deployed {
  readonly urn: string;
  id: string;
  /** The state: the outputs as the engine keeps them (with `__provider`). */
  state: Props;
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
  // As `pulumi config set imfed:endpoint` and `pulumi config set --secret imfed:token` send them.
  await host.configure({ "imfed:endpoint": store.url, "imfed:token": secret(store.adminToken) });
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

async function check(type: string, name: string, news: Props, olds: Props = {}) {
  const result = await host.check(urnOf(type, name), olds, { ...news, __provider: providerOf(type) });
  answers.push(result);
  return result;
}

async function checked(type: string, name: string, news: Props, olds: Props = {}): Promise<Props> {
  const { inputs, failures } = await check(type, name, news, olds);
  expect(failures).toEqual([]);
  return inputs;
}

async function create(type: string, name: string, news: Props): Promise<Deployed> {
  const inputs = await checked(type, name, news);
  const urn = urnOf(type, name);
  const { id, properties } = await host.create(urn, inputs);
  answers.push(properties);
  return { urn, id, state: properties };
}

async function diff(resource: Deployed, type: string, news: Props) {
  const inputs = await checked(type, resource.urn.split("::").pop()!, news, resource.state);
  const result = await host.diff(resource.id, resource.urn, resource.state, inputs);
  return { result, inputs };
}

async function update(resource: Deployed, type: string, news: Props): Promise<Props> {
  const { inputs } = await diff(resource, type, news);
  const { properties } = await host.update(resource.id, resource.urn, resource.state, inputs);
  answers.push(properties);
  resource.state = properties;
  return properties;
}

async function refresh(resource: Deployed) {
  const result = await host.read(resource.id, resource.urn, resource.state);
  answers.push(result);
  if (result.id !== "") resource.state = result.properties;
  return result;
}

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
    expect(resource.state).toMatchObject({
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
    expect(typeof resource.state.revision).toBe("number");
    expect(resource.state).not.toHaveProperty("enabledSharedAddressSpace");

    const read = await refresh(resource);
    expect(read.id).toBe("Contoso Public");
    expect(read.properties).toMatchObject({ enabled: false, revision: resource.state.revision });
    expect(read.inputs).toEqual({
      name: "Contoso Public",
      kind: "public",
      proxyFqdn: "sip.contoso-public.example",
      enabled: false,
      verificationLevel: "UseSourceVerification",
      __provider: serialized.imProviderProvider,
    });

    const before = resource.state.revision as number;
    const updated = await update(resource, IM_PROVIDER, {
      ...declared,
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
    });
    expect(updated).toMatchObject({
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
      updatedVia: "pulumi",
    });
    expect(updated.revision as number).toBeGreaterThan(before);
    expect(await admin.getProvider("Contoso Public")).toMatchObject({
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
    });

    await host.delete(resource.id, resource.urn, resource.state);
    expect(await admin.tryGetProvider("Contoso Public")).toBeUndefined();
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
    expect(resource.state).toMatchObject({
      kind: "hosted",
      enabledSharedAddressSpace: true,
      hostsOcsUsers: false,
      isLocal: false,
      autodiscoverUrl: "https://autodiscover.fabrikam.example/autodiscover",
    });
    const read = await refresh(resource);
    expect(read.inputs).toMatchObject({
      enabledSharedAddressSpace: true,
      hostsOcsUsers: false,
      isLocal: false,
    });

    // A hosted provider changes in place in everything but name, kind and proxyFqdn.
    const next = { ...declared, hostsOcsUsers: true, isLocal: true, autodiscoverUrl: undefined };
    const { result } = await diff(resource, IM_PROVIDER, next);
    expect(result).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await update(resource, IM_PROVIDER, next);
    expect(updated).toMatchObject({ hostsOcsUsers: true, isLocal: true, autodiscoverUrl: null });

    await host.delete(resource.id, resource.urn, resource.state);
    expect(await admin.tryGetProvider("Fabrikam Hosted")).toBeUndefined();
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

    expect((await diff(resource, IM_PROVIDER, { ...declared, enabled: false })).result).toEqual({
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(
      (await diff(resource, IM_PROVIDER, { ...declared, proxyFqdn: "sip2.diff.example" })).result,
    ).toEqual({
      changes: "some",
      replaces: ["proxyFqdn"],
      deleteBeforeReplace: true,
    });
    expect((await diff(resource, IM_PROVIDER, declared)).result).toEqual({
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    // A value that differs only in case is normalized by check and never diffs.
    expect(
      (await diff(resource, IM_PROVIDER, { ...declared, proxyFqdn: "SIP.Diff.Example" })).result.changes,
    ).toBe("none");
    await host.delete(resource.id, resource.urn, resource.state);
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
    expect(yahoo.state).toMatchObject({
      builtIn: true,
      enabled: true,
      verificationLevel: "AlwaysUnverifiable",
      updatedVia: "pulumi",
    });

    await host.delete(yahoo.id, yahoo.urn, yahoo.state);
    expect(await admin.getProvider("Yahoo!")).toMatchObject({
      name: "Yahoo!",
      builtIn: true,
      enabled: false,
      proxyFqdn: "sip.yahoo.com",
      verificationLevel: "UseSourceVerification",
    });
  });

  it("refuses to create over another existing provider and says how to adopt it, then adopts it with adopt: true", async () => {
    await admin.putProvider("Existing IM", {
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
    expect(await admin.getProvider("Existing IM")).toMatchObject({ enabled: false, updatedVia: "cli" });

    const adopted = await create(IM_PROVIDER, "existing", { ...declared, adopt: true });
    expect(adopted.state).toMatchObject({
      name: "Existing IM",
      enabled: true,
      updatedVia: "pulumi",
      adopt: true,
    });
    await host.delete(adopted.id, adopted.urn, adopted.state);
    expect(await admin.tryGetProvider("Existing IM")).toBeUndefined();
  });

  it("shows a block made outside of code as drift with who, when and why, and refuses to overwrite it unseen", async () => {
    const declared = { name: "Drift IM", kind: "public", proxyFqdn: "sip.drift.example", enabled: true };
    const resource = await create(IM_PROVIDER, "drift", declared);
    const { token } = await admin.createToken("ops-oncall", "CsAdministrator");
    const operator = new StoreClient({ endpoint: store.url, token, client: "cli" });
    const blocked = await operator.blockProvider("Drift IM", {
      reason: "spam wave from this provider, ticket INC-4711",
    });

    // Update without a refresh: If-Match of the old revision fails, naming who, when and why.
    const stale = await diff(resource, IM_PROVIDER, { ...declared, verificationLevel: "AlwaysVerifiable" });
    const attempt = host.update(resource.id, resource.urn, resource.state, stale.inputs);
    await expect(attempt).rejects.toThrow(/provider "Drift IM" changed outside of code/);
    await expect(attempt).rejects.toThrow(
      new RegExp(`by ops-oncall via cli at ${blocked.updatedAt.replace(/[.]/g, "\\.")}`),
    );
    await expect(attempt).rejects.toThrow(/spam wave from this provider, ticket INC-4711/);
    await expect(attempt).rejects.toThrow(/pulumi refresh/);
    // Delete without a refresh fails the same way, and deletes nothing.
    await expect(host.delete(resource.id, resource.urn, resource.state)).rejects.toThrow(
      /changed outside of code.*ops-oncall/s,
    );
    expect(await admin.getProvider("Drift IM")).toMatchObject({ enabled: false, revision: blocked.revision });

    // Refresh: the live object, with who, when and why.
    const read = await refresh(resource);
    expect(read.properties).toMatchObject({
      enabled: false,
      updatedBy: "ops-oncall",
      updatedVia: "cli",
      updatedAt: blocked.updatedAt,
      updateReason: "spam wave from this provider, ticket INC-4711",
      revision: blocked.revision,
    });
    expect(read.inputs).toMatchObject({ enabled: false });

    // The program still says enabled: the plan shows enabled false => true, in place.
    const planned = await diff(resource, IM_PROVIDER, declared);
    expect(planned.result).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });

    // After the refresh the update applies.
    const updated = await update(resource, IM_PROVIDER, declared);
    expect(updated).toMatchObject({ enabled: true, updatedBy: "admin", updatedVia: "pulumi" });
    await host.delete(resource.id, resource.urn, resource.state);
  });

  it("reads a provider deleted outside of code as gone", async () => {
    const resource = await create(IM_PROVIDER, "gone", {
      name: "Gone IM",
      kind: "public",
      proxyFqdn: "sip.gone.example",
      enabled: true,
    });
    await admin.deleteProvider("Gone IM", { reason: "retired" });
    const read = await refresh(resource);
    expect(read.id).toBe("");
    // Deleting it afterwards (the engine would not, but a stale state might) is not an error.
    await host.delete(resource.id, resource.urn, resource.state);
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
    await admin.blockProvider("Batch 7");
    await admin.deleteProvider("Batch 9");
    const reads = await Promise.all(
      resources.map((resource) => host.read(resource.id, resource.urn, resource.state)),
    );
    reads.forEach((read, index) => {
      if (index === 9) expect(read.id).toBe("");
      else expect(read).toMatchObject({ id: names[index], properties: { enabled: index !== 7 } });
    });
  });
});

describe("Federation through the SDK's provider host", () => {
  it("adopts the settings on create, reads, updates, and restores the defaults on delete", async () => {
    const resource = await create(FEDERATION, "federation", { enabled: true, partnerDiscovery: true });
    expect(resource.id).toBe("global");
    expect(resource.state).toMatchObject({
      enabled: true,
      partnerDiscovery: true,
      archivingDisclaimer: false,
      remoteUserAccess: true,
      anonymousUserAccess: false,
      updatedVia: "pulumi",
    });
    const read = await refresh(resource);
    expect(read.id).toBe("global");
    expect(read.inputs).toMatchObject({ enabled: true, partnerDiscovery: true, remoteUserAccess: true });

    const { result } = await diff(resource, FEDERATION, {
      enabled: true,
      partnerDiscovery: true,
      anonymousUserAccess: true,
    });
    expect(result).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await update(resource, FEDERATION, {
      enabled: true,
      partnerDiscovery: true,
      anonymousUserAccess: true,
    });
    expect(updated).toMatchObject({ anonymousUserAccess: true });

    // A change outside of code is not overwritten unseen.
    const { token } = await admin.createToken("fed-operator", "CsAdministrator");
    await new StoreClient({ endpoint: store.url, token, client: "cli" }).patchFederation(
      { enabled: false },
      { reason: "audit" },
    );
    const stale = await diff(resource, FEDERATION, { enabled: true });
    await expect(host.update(resource.id, resource.urn, resource.state, stale.inputs)).rejects.toThrow(
      /federation settings changed outside of code \(by fed-operator via cli at .*reason: "audit"\).*pulumi refresh/s,
    );
    await refresh(resource);

    await host.delete(resource.id, resource.urn, resource.state);
    expect(await admin.getFederation()).toMatchObject({
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
