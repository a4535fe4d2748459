import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { KINDS, defineKind } from "../../../core";
import type { GeneratedFile } from "../../../scripts/generate/generated-files";
import { REPOSITORY_ROOT, generatedFiles } from "../../../scripts/generate/generated-files";
import { GENERATED_NOTICE, handlerModuleOf } from "../../../scripts/generate/names";
import { tsTypeOfField } from "../../../scripts/generate/ts-types";

// `npm run generate` writes these files from the kinds' definitions; they are committed, so a
// change to a definition without running it again leaves them stale, and this test fails.

function onDisk(file: string): string | undefined {
  try {
    return readFileSync(path.join(REPOSITORY_ROOT, file), "utf8");
  } catch {
    return undefined;
  }
}

// Every file under the folders the generator writes to whose first line says it is generated.
function generatedOnDisk(): string[] {
  const found: string[] = [];
  for (const folder of ["sdk", "provider", "docs"]) {
    for (const entry of readdirSync(path.join(REPOSITORY_ROOT, folder))) {
      const file = `${folder}/${entry}`;
      if (onDisk(file)?.split("\n")[0]?.includes(GENERATED_NOTICE)) found.push(file);
    }
  }
  return found.sort();
}

describe("the generated files", () => {
  let files: GeneratedFile[];
  beforeAll(async () => {
    files = await generatedFiles();
  });

  it("are each what npm run generate writes from the kinds now", () => {
    const stale = files.filter((file) => onDisk(file.path) !== file.text).map((file) => file.path);
    if (stale.length > 0) {
      throw new Error(`stale generated files: ${stale.join(", ")}; run "npm run generate" and commit them`);
    }
  });

  it("are all the files on disk that say they are generated", () => {
    expect(generatedOnDisk()).toEqual(files.map((file) => file.path).sort());
  });

  it("say so in their first line", () => {
    for (const file of files) expect(file.text.split("\n")[0]).toContain(GENERATED_NOTICE);
  });

  it("are an SDK module and a handler module per kind, the SDK index, the provider objects and the field reference", () => {
    expect(files.map((file) => file.path)).toEqual([
      "sdk/im-provider.ts",
      "sdk/federation.ts",
      "sdk/index.ts",
      "provider/im-provider-handlers.ts",
      "provider/federation-handlers.ts",
      "provider/resource-providers.ts",
      "docs/reference.md",
    ]);
  });

  it("describe every field of every kind in the field reference, with its cmdlet parameter, label and flag", () => {
    const reference = files.find((file) => file.path === "docs/reference.md")?.text ?? "";
    for (const kind of KINDS) {
      expect(reference).toContain(`## ${kind.name}`);
      for (const field of kind.fields) {
        const definition = kind.field(field);
        const row = reference
          .split("\n")
          .find((line) => line.startsWith(`| \`${field}\``) && line.includes(definition.label));
        expect(row).toBeDefined();
        if (definition.cmdlet !== "") expect(row).toContain(`\`-${definition.cmdlet}\``);
        expect(row).toContain(`\`--${definition.flag}\``);
        expect(row).toContain(definition.description.replace(/\|/g, "\\|"));
      }
    }
  });
});

describe("the package's exports", () => {
  it("allow the handler module of every kind, which serialized providers require by that path", () => {
    const manifest = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    for (const kind of KINDS) {
      expect(manifest.exports).toHaveProperty([`./${handlerModuleOf(kind).replace(/^imfed\//, "")}`]);
    }
  });
});

describe("the generator", () => {
  // A kind as a contributor would add it: every field type the generator derives a TypeScript type from.
  const gadgetKind = defineKind({
    name: "XmppGateway",
    title: "XMPP gateway",
    noun: "gateway",
    path: "xmpp-gateways",
    description: "An XMPP gateway.",
    identity: { field: "name", auditPrefix: "gateway" },
    fields: {
      name: {
        type: z.string().min(1),
        change: "replace",
        caseInsensitive: true,
        example: "Jabber",
        description: "The gateway's name.",
        cmdlet: "Identity",
        label: "Name",
        flag: "name",
      },
      port: {
        type: z.number().int().min(1).max(65535),
        default: 5269,
        change: "in-place",
        example: 5270,
        description: "The port.",
        cmdlet: "Port",
        label: "Port",
        flag: "port",
      },
      mode: {
        type: z.enum(["dialback", "tls"]),
        default: "tls",
        change: "in-place",
        example: "dialback",
        description: "How partners are authenticated.",
        cmdlet: "Mode",
        label: "Mode",
        flag: "mode",
      },
      fqdn: {
        type: z.string().transform((value) => value.toLowerCase()),
        change: "replace",
        example: "xmpp.example.com",
        description: "The gateway's FQDN.",
        cmdlet: "Fqdn",
        label: "FQDN",
        flag: "fqdn",
      },
      enabled: {
        type: z.boolean(),
        default: false,
        change: "in-place",
        example: true,
        description: "Whether it is enabled.",
        cmdlet: "Enabled",
        label: "Enabled",
        flag: "enabled",
      },
    },
  });

  it("derives each TypeScript type from the field's zod type", () => {
    expect(
      Object.fromEntries(gadgetKind.fields.map((field) => [field, tsTypeOfField(gadgetKind, field)])),
    ).toEqual({
      name: "string",
      port: "number",
      mode: '"dialback" | "tls"',
      fqdn: "string",
      enabled: "boolean",
    });
  });

  it("writes a new kind's SDK class, handler module and provider object from its definition alone", async () => {
    const generated = await generatedFiles([gadgetKind]);
    const text = (file: string) => generated.find((entry) => entry.path === file)?.text ?? "";
    const sdk = text("sdk/xmpp-gateway.ts");
    expect(sdk).toContain("export interface XmppGatewayArgs {");
    expect(sdk).toContain("readonly name: pulumi.Input<string>;");
    expect(sdk).toContain("readonly port?: pulumi.Input<number>;");
    expect(sdk).toContain('readonly mode?: pulumi.Input<"dialback" | "tls">;');
    expect(sdk).toContain("readonly adopt?: pulumi.Input<boolean>;");
    expect(sdk).toContain("declare public readonly port: pulumi.Output<number>;");
    expect(sdk).toContain("declare public readonly updatedBy: pulumi.Output<string>;");
    expect(sdk).toContain(
      'super(xmppGatewayProvider, resourceName, { ...OUTPUTS, ...args }, opts, "imfed", "XmppGateway");',
    );
    expect(text("provider/xmpp-gateway-handlers.ts")).toContain('kindHandlers(findKind("XmppGateway"))');
    expect(text("provider/resource-providers.ts")).toContain(
      'require("imfed/provider/xmpp-gateway-handlers") as KindHandlers',
    );
    expect(text("docs/reference.md")).toMatch(
      /\| `port` +\| `number` +\| `5269` +\| — +\| in place +\| `-Port` +\|/,
    );
  });

  it("refuses a field whose zod type has no TypeScript type it knows, naming the field", () => {
    const odd = defineKind({
      ...gadgetKind.definition,
      fields: {
        ...gadgetKind.definition.fields,
        when: { ...gadgetKind.definition.fields.port, type: z.date() },
      },
    });
    expect(() => tsTypeOfField(odd, "when")).toThrow(
      /XmppGateway\.when: the generator knows no TypeScript type/,
    );
  });
});
