import type { ResourceKind } from "../../../core";
import { KINDS } from "../../../core";
import { providerObjectOf } from "../../../scripts/generate/names";
import { api } from "../../helpers/api";
import type { ConsumerProject, SerializedProviders } from "../../helpers/consumer-project";
import { makeConsumerProject } from "../../helpers/consumer-project";
import type { CliRun } from "../../helpers/imfed-cli";
import { runImfed } from "../../helpers/imfed-cli";
import type { Settings } from "../../helpers/kind-values";
import { isCollection, settingsOf, variantsOf } from "../../helpers/kind-values";
import type { ProviderHost } from "../../helpers/provider-host";
import { secret, startProviderHost, urnOf } from "../../helpers/provider-host";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

/**
 * Forgets nothing: for every field of every kind, a value that differs from the field's default
 * is written through the HTTP API and reads back equal through the API, the Pulumi provider's
 * Read (the SDK's own dynamic-provider host, driven over gRPC as the engine drives it) and the
 * CLI's `--json`. Everything is read from `KINDS`, so a field any layer drops (and so reads back
 * as its default, or not at all) fails here, for a new field or kind too, without a change to
 * this file.
 */

let store: StoreProcess;
let project: ConsumerProject;
let serialized: SerializedProviders;
let host: ProviderHost;

beforeAll(async () => {
  store = await startStore();
  project = makeConsumerProject();
  serialized = project.serializeProviders();
  host = await startProviderHost({ hostScript: project.hostScript, cwd: project.dir });
  await host.configure({ "imfed:endpoint": store.url, "imfed:token": secret(store.adminToken) });
}, 180_000);

afterAll(async () => {
  await host?.stop();
  await store?.stop();
  project?.remove();
});

function idOf(kind: ResourceKind, settings: Settings): string {
  return kind.singletonId ?? kind.idOf(settings);
}

function pathOf(kind: ResourceKind, settings: Settings): string {
  return isCollection(kind)
    ? `/v1/${kind.path}/${encodeURIComponent(kind.idOf(settings))}`
    : `/v1/${kind.path}`;
}

// The fields of a record that are the kind's, as [field, value] pairs, so a failure names the field.
function fieldsOf(kind: ResourceKind, variant: string | undefined, record: Settings): [string, unknown][] {
  return kind.fieldsOf(variant).map((field) => [field, record[field]]);
}

// Every field set away from its default; the variants of a collection kind get their own
// identity and unique values, so that each variant is an object of its own.
function settingsFor(kind: ResourceKind, variant: string | undefined): Settings {
  const settings = settingsOf(kind, variant);
  if (variant === undefined || !isCollection(kind)) return settings;
  const keyed = [kind.identityField, ...(kind.definition.unique ?? []).map((key) => key.field)];
  for (const field of keyed) {
    if (field === undefined) continue;
    const value = `${variant}-${String(settings[field])}`;
    if (!kind.field(field).type.safeParse(value).success)
      throw new Error(
        `${kind.name}.${field}: "${value}" is not valid; give the test another way to make it unique`,
      );
    settings[field] = value;
  }
  return settings;
}

function json(run: CliRun): Settings {
  expect([run.code, run.stderr]).toEqual([0, ""]);
  return JSON.parse(run.stdout) as Settings;
}

const cases = KINDS.flatMap((kind) =>
  variantsOf(kind).map((variant) => [`${kind.name} ${variant ?? "settings"}`, kind, variant] as const),
);

it("covers every field of every kind", () => {
  const covered = new Set(
    cases.flatMap(([, kind, variant]) => kind.fieldsOf(variant).map((f) => `${kind.name}.${f}`)),
  );
  const declared = KINDS.flatMap((kind) => kind.fields.map((field) => `${kind.name}.${field}`));
  expect([...covered].sort()).toEqual([...declared].sort());
});

describe.each(cases)("%s", (_name, kind, variant) => {
  const settings = settingsFor(kind, variant);
  const expected = fieldsOf(kind, variant, settings);

  it("reads back every field written through the API, through the API, the provider's Read and the CLI's --json", async () => {
    // Every value differs from its default, so a layer that dropped a field would show it.
    for (const [field, value] of expected) {
      expect([field, value]).not.toEqual([field, kind.field(field).default]);
    }
    const written = await api(store, "PUT", pathOf(kind, settings), {
      token: store.adminToken,
      body: settings,
    });
    expect([written.status, written.body]).toEqual([isCollection(kind) ? 201 : 200, expect.anything()]);
    expect(fieldsOf(kind, variant, written.body as Settings)).toEqual(expected);

    const read = await api(store, "GET", pathOf(kind, settings), { token: store.adminToken });
    expect(read.status).toBe(200);
    expect(fieldsOf(kind, variant, read.body as Settings)).toEqual(expected);

    // A refresh's Read, as the engine sends it for a resource of this kind in the state.
    const provider = serialized[providerObjectOf(kind)];
    expect(typeof provider).toBe("string");
    const urn = urnOf(kind.typeToken, `every-field-${variant ?? "settings"}`);
    const state = { outputs: { __provider: provider }, inputs: { __provider: provider } };
    const providerRead = await host.read(urn, idOf(kind, settings), state);
    expect(providerRead.id).toBe(idOf(kind, settings));
    expect(fieldsOf(kind, variant, providerRead.outputs)).toEqual(expected);
    expect(fieldsOf(kind, variant, providerRead.inputs ?? {})).toEqual(expected);

    const id = isCollection(kind) ? [kind.idOf(settings)] : [];
    const env = { IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken };
    const shown = json(await runImfed([kind.path, "show", ...id, "--json"], env));
    expect(fieldsOf(kind, variant, shown)).toEqual(expected);
  });
});
