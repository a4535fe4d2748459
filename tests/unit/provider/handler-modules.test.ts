import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { KINDS } from "../../../core";
import { REPOSITORY_ROOT } from "../../../scripts/generate/generated-files";
import { GENERATED_NOTICE, kebabName } from "../../../scripts/generate/names";

// State written by any version of imfed requires `imfed/provider/<kind>-handlers` and calls these
// functions by name (docs/architecture.md): a permanent contract.
const HANDLERS = ["configure", "check", "diff", "create", "read", "update", "delete"];

describe.each(KINDS.map((kind) => [kind.name, kebabName(kind)] as const))(
  "the handler module of %s",
  (_name, kebab) => {
    it(`is provider/${kebab}-handlers and exports exactly the handlers the provider host calls`, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module as the host loads it
      const handlers = require(path.join(REPOSITORY_ROOT, "provider", `${kebab}-handlers`)) as Record<
        string,
        unknown
      >;
      expect(Object.keys(handlers).sort()).toEqual([...HANDLERS].sort());
      for (const name of HANDLERS) expect(typeof handlers[name]).toBe("function");
    });
  },
);

describe("the provider's own code", () => {
  // Generic code reads the kinds; a kind's name, or a field's name as a string, written in it
  // would be a special case of one kind, which belongs in a named extension instead.
  const files = readdirSync(path.join(REPOSITORY_ROOT, "provider"))
    .filter((file) => file.endsWith(".ts"))
    .map((file) => ({ file, text: readFileSync(path.join(REPOSITORY_ROOT, "provider", file), "utf8") }))
    .filter(({ text }) => !text.split("\n")[0]?.includes(GENERATED_NOTICE));

  it.each(KINDS.map((kind) => [kind.name, kind] as const))(
    "names neither %s nor any of its fields in its code",
    (name, kind) => {
      for (const { file, text } of files) {
        // Comments may give examples; code may not.
        const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
        const named = [name, ...kind.fields.map((field) => `"${field}"`)]
          .filter((word) => code.includes(word))
          .map((word) => `${file}: ${word}`);
        expect(named).toEqual([]);
      }
    },
  );
});
