import { DEFAULT_ENDPOINT, StoreClient } from "../../../client";
import { imProviderKind } from "../../../core";
import type { ConsumerProject, SerializedProviders } from "../../helpers/consumer-project";
import { makeConsumerProject } from "../../helpers/consumer-project";
import { freeLoopbackPort } from "../../helpers/ports";
import type { ConfigureOptions, ProviderHost, StackConfig } from "../../helpers/provider-host";
import { secret, startProviderHost, urnOf } from "../../helpers/provider-host";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

// Where the provider finds the store, through the SDK's own provider host: the stack
// configuration as the engine sends it (all of it since Pulumi CLI 3.139, none of the `imfed:`
// keys before), else the environment; never the default endpoint silently. Each case starts its
// own host, as the engine starts one per provider: the host configures a provider only once.

const IM_PROVIDER = "pulumi-nodejs:dynamic/imfed:ImProvider";

type Props = Record<string, unknown>;

let store: StoreProcess;
let project: ConsumerProject;
let serialized: SerializedProviders;
let admin: StoreClient;
const hosts: ProviderHost[] = [];

beforeAll(async () => {
  store = await startStore();
  project = makeConsumerProject();
  serialized = project.serializeProviders();
  admin = new StoreClient({ endpoint: store.url, token: store.adminToken, client: "cli" });
}, 120_000);

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  await store?.stop();
  project?.remove();
});

async function hostWith(
  config: StackConfig,
  options: ConfigureOptions = {},
  env: Readonly<Record<string, string>> = {},
): Promise<ProviderHost> {
  const host = await startProviderHost({ hostScript: project.hostScript, cwd: project.dir, env });
  hosts.push(host);
  await host.configure(config, options);
  return host;
}

function declared(name: string): Props {
  return {
    name,
    kind: "public",
    proxyFqdn: `sip.${name.toLowerCase().replace(/[^a-z0-9]/g, "")}.example`,
    enabled: true,
    __provider: serialized.imProviderProvider,
  };
}

/** Check then Create, as `pulumi up` does for a new resource. */
async function create(host: ProviderHost, name: string) {
  const urn = urnOf(IM_PROVIDER, name);
  const { inputs, failures } = await host.check(urn, {}, declared(name));
  expect(failures).toEqual([]);
  const { id, outputs } = await host.create(urn, inputs);
  return { urn, id, inputs, outputs };
}

const NO_CONFIG = [
  /no imfed configuration reached the provider/,
  /Pulumi CLI 3\.139 or later passes the stack's imfed:\* configuration to dynamic providers/,
];

describe("the connection settings, through the SDK's provider host", () => {
  it("says that no imfed configuration reached it when an engine before 3.139 drops the stack's imfed keys", async () => {
    const config = { "imfed:endpoint": store.url, "imfed:token": secret(store.adminToken) };
    const older = await hostWith(config, { engine: "before-3.139" });
    const attempt = create(older, "Older CLI");
    const expected = [
      /no token for the imfed store/,
      ...NO_CONFIG,
      /Upgrade the CLI, or set IMFED_ENDPOINT and IMFED_TOKEN in the environment of "pulumi" instead/,
    ];
    for (const pattern of expected) {
      await expect(attempt).rejects.toThrow(pattern);
    }
    expect(await admin.kind(imProviderKind).tryGet("Older CLI")).toBeUndefined();

    // The same stack configuration from a current engine reaches the provider.
    const current = await hostWith(config);
    const created = await create(current, "Older CLI");
    expect(created.outputs).toMatchObject({ name: "Older CLI", updatedBy: "admin" });
    await current.delete(created.urn, created.id, { outputs: created.outputs, inputs: created.inputs });
  });

  it("refuses the default endpoint when only IMFED_TOKEN is set and no imfed configuration reached it", async () => {
    // The GitOps example's set-up (imfed:endpoint in the stack, the token in the environment)
    // under an older CLI: the endpoint is dropped, and the default would be another store.
    const host = await hostWith(
      { "imfed:endpoint": store.url },
      { engine: "before-3.139" },
      { IMFED_TOKEN: store.adminToken },
    );
    const attempt = create(host, "Token Only");
    const expected = [
      /refusing to use the default imfed store endpoint http:\/\/127\.0\.0\.1:7430/,
      /the token came from IMFED_TOKEN/,
      ...NO_CONFIG,
      /Upgrade the CLI, or set IMFED_ENDPOINT too \(IMFED_ENDPOINT=http:\/\/127\.0\.0\.1:7430 for "imfed serve"/,
    ];
    for (const pattern of expected) await expect(attempt).rejects.toThrow(pattern);
    // A read, which a refresh makes, is refused the same way.
    await expect(
      host.read(urnOf(IM_PROVIDER, "msn"), "MSN", {
        outputs: { __provider: serialized.imProviderProvider },
        inputs: { __provider: serialized.imProviderProvider },
      }),
    ).rejects.toThrow(/refusing to use the default imfed store endpoint/);
    expect(await admin.kind(imProviderKind).tryGet("Token Only")).toBeUndefined();
    expect(host.output()).not.toContain(store.adminToken);
  });

  it("connects with IMFED_ENDPOINT and IMFED_TOKEN when no imfed configuration reached it", async () => {
    const host = await hostWith(
      {},
      { engine: "before-3.139" },
      { IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken },
    );
    const created = await create(host, "From Environment");
    expect(created.outputs).toMatchObject({ name: "From Environment", updatedVia: "pulumi" });
    await host.delete(created.urn, created.id, { outputs: created.outputs, inputs: created.inputs });
    expect(await admin.kind(imProviderKind).tryGet("From Environment")).toBeUndefined();
    expect(host.output()).not.toMatch(/default store endpoint/);

    // When that store cannot be reached, the failure says where the settings came from, and
    // that the stack's configuration did not arrive.
    const unreachable = `http://127.0.0.1:${await freeLoopbackPort()}`;
    const other = await hostWith(
      {},
      { engine: "before-3.139" },
      { IMFED_ENDPOINT: unreachable, IMFED_TOKEN: store.adminToken },
    );
    const attempt = create(other, "Unreachable");
    const expected = [
      new RegExp(`${unreachable.replace(/[.]/g, "\\.")}/v1/providers/Unreachable failed`),
      /The provider used the endpoint from IMFED_ENDPOINT and the token from IMFED_TOKEN/,
      ...NO_CONFIG,
    ];
    for (const pattern of expected) await expect(attempt).rejects.toThrow(pattern);
  });

  it("warns once that it uses the default endpoint when the configuration names none, and its failures name it", async () => {
    // `pulumi config set --secret imfed:token` alone, as on a laptop beside `imfed serve`. The
    // token is unknown to anything that may listen on the default port, so only reads are sent.
    const host = await hostWith({ "imfed:token": secret("imfed_not-a-token-of-any-store") });
    const state = {
      outputs: { __provider: serialized.imProviderProvider },
      inputs: { __provider: serialized.imProviderProvider },
    };
    for (const name of ["MSN", "AOL"]) {
      const attempt = host.read(urnOf(IM_PROVIDER, name), name, state);
      await expect(attempt).rejects.toThrow(DEFAULT_ENDPOINT);
      await expect(attempt).rejects.toThrow(
        /The provider used the default endpoint, as neither imfed:endpoint nor IMFED_ENDPOINT is set/,
      );
    }
    const warnings = host
      .output()
      .match(
        /imfed: neither imfed:endpoint nor IMFED_ENDPOINT is set: using the default store endpoint http:\/\/127\.0\.0\.1:7430/g,
      );
    expect(warnings).toHaveLength(1);
  });

  it("says on a 401 that refresh and destroy use the configuration stored in the state", async () => {
    // A token rotation done in the wrong order: the state's configuration holds the old token,
    // which was revoked, and `pulumi refresh` configures the provider from the state.
    const { token } = await admin.createToken("rotating", "CsAdministrator");
    const host = await hostWith({ "imfed:endpoint": store.url, "imfed:token": secret(token) });
    const created = await create(host, "Rotated");
    await admin.deleteToken("rotating");

    const attempt = host.refresh(created);
    const expected = [
      new RegExp(`the imfed store at ${store.url.replace(/[.]/g, "\\.")} refused the token`),
      /the token is not valid/,
      /the endpoint from imfed:endpoint and the token from imfed:token/,
      /"pulumi refresh" and "pulumi destroy" use the configuration stored in the state/,
      /run "pulumi up" \(or add --run-program to refresh or destroy\) before revoking the old token/,
    ];
    for (const pattern of expected) await expect(attempt).rejects.toThrow(pattern);
    await expect(attempt).rejects.not.toThrow(token);
    expect(host.output()).not.toContain(token);
    await admin.kind(imProviderKind).delete("Rotated");
  });
});
