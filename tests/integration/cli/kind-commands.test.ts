import type { ResourceKind } from "../../../core";
import { KINDS } from "../../../core";
import type { Settings } from "../../helpers/kind-values";
import { hasDefault, isCollection, settingsOf, valueOf, variantsOf } from "../../helpers/kind-values";
import { api } from "../../helpers/api";
import type { CliRun } from "../../helpers/imfed-cli";
import { runImfed } from "../../helpers/imfed-cli";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

/**
 * The `imfed` command groups are derived from the kinds' definitions: every field of every kind
 * has its flag (in `create` and, where it changes in place, in `set`), its label in `show`, and
 * its value in `--json` exactly as the API returns it. Everything here is read from `KINDS`, so
 * a new field or kind is tested without a change to this file, and a field the CLI forgets
 * fails here.
 */

let store: StoreProcess;

beforeAll(async () => {
  store = await startStore();
});

afterAll(async () => {
  await store?.stop();
});

function imfed(args: readonly string[]): Promise<CliRun> {
  return runImfed(args, { IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken });
}

// Help text with its line wrapping undone, so that a description can be looked for whole.
function flat(text: string): string {
  return text.replace(/\s+/g, " ");
}

function changesInPlace(kind: ResourceKind, field: string): boolean {
  return variantsOf(kind).some((variant) => kind.changeModeOf(field, variant) === "in-place");
}

// Another valid value of a field for `set`: its default, the other boolean, or a cleared
// optional field (`null`); `undefined` where there is no second value to be had.
function otherValueOf(kind: ResourceKind, field: string, value: unknown): unknown {
  const definition = kind.field(field);
  if (hasDefault(kind, field)) return definition.default;
  if (definition.optional) return null;
  if (typeof value === "boolean") return !value;
  return undefined;
}

// The flags that give these values of these fields.
function flagsOf(kind: ResourceKind, settings: Settings, fields: readonly string[]): string[] {
  return fields.flatMap((field) => {
    const value = settings[field];
    const flag = kind.field(field).flag;
    return value === null ? [`--clear-${flag}`] : [`--${flag}`, String(value)];
  });
}

function idOf(kind: ResourceKind, settings: Settings): readonly string[] {
  return isCollection(kind) ? [kind.idOf(settings)] : [];
}

async function apiRecord(kind: ResourceKind, settings: Settings): Promise<Settings> {
  const path = isCollection(kind)
    ? `/v1/${kind.path}/${encodeURIComponent(kind.idOf(settings))}`
    : `/v1/${kind.path}`;
  const answer = await api(store, "GET", path, { token: store.adminToken });
  expect(answer.status).toBe(200);
  return answer.body as Settings;
}

// The CLI's JSON of an object equals the API's record of it (no field left out or altered), and
// holds the values written.
async function expectJsonAsApi(kind: ResourceKind, settings: Settings, cliJson: unknown): Promise<void> {
  const record = await apiRecord(kind, settings);
  expect(cliJson).toEqual(record);
  for (const field of kind.fieldsOf(kind.variantOf(settings))) {
    expect([field, record[field]]).toEqual([field, settings[field] ?? null]);
  }
}

function json(run: CliRun): unknown {
  expect([run.code, run.stderr]).toEqual([0, ""]);
  return JSON.parse(run.stdout);
}

describe.each(KINDS.map((kind) => [kind.path, kind] as const))("imfed %s", (_path, kind) => {
  it("has a flag in create --help for every field but the identity, its argument, with its description and labels (collection kinds only)", async () => {
    if (!isCollection(kind)) {
      const group = await runImfed([kind.path, "--help"]);
      expect(group.stdout).not.toMatch(/^\s+create\b/m);
      return;
    }
    const help = await runImfed([kind.path, "create", "--help"]);
    expect(help.code).toBe(0);
    const text = flat(help.stdout);
    for (const field of kind.fields) {
      const definition = kind.field(field);
      if (field === kind.identityField) {
        expect([field, help.stdout]).toEqual([field, expect.stringContaining(`<${definition.flag}>`)]);
        continue;
      }
      expect([field, text]).toEqual([field, expect.stringContaining(`--${definition.flag} <`)]);
      expect([field, text]).toEqual([field, expect.stringContaining(flat(definition.description))]);
      // Each value with the Control Panel's label of it (unless the label is the value itself).
      for (const [value, label] of Object.entries(definition.choices ?? {})) {
        const shown = label.toLowerCase() === value.toLowerCase() ? value : `${value}: ${label}`;
        expect([field, text]).toEqual([field, expect.stringContaining(flat(shown))]);
      }
    }
  });

  it("has a flag in set --help for every field that changes in place, and --clear- for every optional one", async () => {
    const help = await runImfed([kind.path, "set", "--help"]);
    expect(help.code).toBe(0);
    const text = flat(help.stdout);
    for (const field of kind.fields) {
      const flag = kind.field(field).flag;
      const inPlace = changesInPlace(kind, field) && field !== kind.identityField;
      expect([field, text.includes(`--${flag} <`)]).toEqual([field, inPlace]);
      expect([field, text.includes(`--clear-${flag} `)]).toEqual([
        field,
        inPlace && kind.field(field).optional === true,
      ]);
    }
  });

  it.each(variantsOf(kind).map((variant) => [variant ?? "settings", variant] as const))(
    "writes every field of %s through its flag, shows every label, and prints every field in --json as the API returns it",
    async (_variant, variant) => {
      const settings = settingsOf(kind, variant);
      const id = idOf(kind, settings);
      const writable = kind.fieldsOf(variant).filter((field) => field !== kind.identityField);
      const written = isCollection(kind)
        ? await imfed([kind.path, "create", ...id, ...flagsOf(kind, settings, writable), "--json"])
        : await imfed([kind.path, "set", ...flagsOf(kind, settings, writable), "--json"]);
      await expectJsonAsApi(kind, settings, json(written));

      const shown = await imfed([kind.path, "show", ...id, "--json"]);
      await expectJsonAsApi(kind, settings, json(shown));
      if (isCollection(kind)) {
        const listed = json(await imfed([kind.path, "list", "--json"])) as { items: Settings[] };
        const item = listed.items.find((candidate) => kind.idOf(candidate) === kind.idOf(settings));
        await expectJsonAsApi(kind, settings, item);
        const table = await imfed([kind.path, "list", "--all"]);
        for (const field of kind.fieldsOf(variant)) {
          const heading = kind.field(field).flag.replace(/-/g, " ").toUpperCase();
          expect([field, table.stdout.split("\n")[0]]).toEqual([field, expect.stringContaining(heading)]);
        }
      }

      const all = await imfed([kind.path, "show", ...id, "--all"]);
      const view = await imfed([kind.path, "show", ...id]);
      for (const field of kind.fieldsOf(variant)) {
        const definition = kind.field(field);
        expect([field, all.stdout]).toEqual([field, expect.stringContaining(definition.label)]);
        expect([field, view.stdout.includes(definition.label)]).toEqual([field, !definition.detailOnly]);
      }

      // Every field that changes in place goes back to another value through set.
      const changed: Settings = { ...settings };
      const settable = writable.filter((field) => kind.changeModeOf(field, variant) === "in-place");
      for (const field of settable) {
        const other = otherValueOf(kind, field, settings[field]);
        if (other !== undefined) changed[field] = other;
      }
      const set = await imfed([kind.path, "set", ...id, ...flagsOf(kind, changed, settable), "--json"]);
      await expectJsonAsApi(kind, changed, json(set));

      if (isCollection(kind)) expect((await imfed([kind.path, "delete", ...id])).code).toBe(0);
    },
    180_000,
  );

  it("refuses a field of another variant in create with the store's own message, writing nothing", async () => {
    const before = (await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken })).body.next;
    for (const variant of isCollection(kind) ? kind.variants : []) {
      const foreign = kind.fields.filter((field) => !kind.fieldsOf(variant).includes(field));
      const settings = settingsOf(kind, variant);
      const writable = kind.fieldsOf(variant).filter((field) => field !== kind.identityField);
      for (const field of foreign) {
        const value = valueOf(kind, field, undefined);
        const run = await imfed([
          kind.path,
          "create",
          ...idOf(kind, settings),
          ...flagsOf(kind, settings, writable),
          ...flagsOf(kind, { [field]: value }, [field]),
        ]);
        expect([field, run.code]).toEqual([field, 2]);
        expect(run.stderr).toContain(field);
        expect(run.stderr).toContain(kind.unknownFieldMessage(field, settings));
      }
    }
    const after = (await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken })).body.next;
    expect(after).toBe(before);
  }, 180_000);
});
