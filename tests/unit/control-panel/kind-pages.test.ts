import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { AuditEntry, ResourceKind } from "../../../core";
import {
  KINDS,
  defineKind,
  federationKind as federationDefinition,
  findKind,
  imProviderKind,
} from "../../../core";
import { changeSummary, renderAuditPage } from "../../../store/control-panel/audit-page";
import type { StoredObject } from "../../../store/control-panel/extensions";
import { extensionOf } from "../../../store/control-panel/extensions";
import { escapeHtml } from "../../../store/control-panel/html";
import { formFieldsOf, formValuesOf, newObjectValues } from "../../../store/control-panel/kind-form-fields";
import { bodyOf } from "../../../store/control-panel/object-form";
import type { PageFrame } from "../../../store/control-panel/layout";
import { renderObjectDetails } from "../../../store/control-panel/object-details-page";
import { renderObjectList } from "../../../store/control-panel/object-list-page";
import { renderDeleteObject } from "../../../store/control-panel/delete-object-page";

// The Control Panel's pages of a kind come from its definition: every label, hint and choice
// on them is read from `core/kinds`, never written out in the Control Panel.

// The kinds as the Control Panel's generic code sees them (any kind).
const federationKind: ResourceKind = findKind(federationDefinition.name);

const admin: PageFrame = {
  title: "",
  principal: { name: "admin", role: "CsAdministrator" },
  csrfToken: "csrf",
};
const viewer: PageFrame = { ...admin, principal: { name: "auditor", role: "CsViewOnlyAdministrator" } };
const lastWrite = {
  revision: 7,
  updatedAt: "2026-12-01T08:00:00.000Z",
  updatedBy: "admin",
  updatedVia: "api",
  updateReason: null,
} as const;

function recordOf(kind: ResourceKind, spec: Readonly<Record<string, unknown>>): StoredObject {
  return {
    ...kind.parse(spec),
    ...lastWrite,
    createdAt: lastWrite.updatedAt,
    builtIn: false,
  } as StoredObject;
}

function newForm(kind: ResourceKind, variant: string | undefined): string {
  const extension = extensionOf(kind);
  return renderObjectDetails(admin, {
    kind,
    extension,
    mode: "create",
    variant,
    values: newObjectValues(kind, variant, extension),
    reason: "",
    csrfToken: "csrf",
  });
}

function detailsPage(kind: ResourceKind, record: StoredObject, frame: PageFrame = admin): string {
  const values = formValuesOf(kind, record);
  return renderObjectDetails(frame, {
    kind,
    extension: extensionOf(kind),
    mode: "edit",
    record,
    values,
    opened: values,
    revision: record.revision,
    reason: "",
    csrfToken: "csrf",
  });
}

// The opening tag of the input (or fieldset of radios) of a field, by its id.
function inputOf(page: string, field: string): string {
  const match = new RegExp(`<(input|fieldset)\\b[^>]*\\bid="${field}"[^>]*>`).exec(page);
  if (match === null) throw new Error(`the page has no input of the field "${field}"`);
  return match[0];
}

const hostedProvider = {
  name: "Fabrikam",
  kind: "hosted",
  proxyFqdn: "sip.fabrikam.example",
  enabled: true,
  autodiscoverUrl: "https://autodiscover.fabrikam.example/a",
};

describe("the Control Panel's pages of a resource kind", () => {
  it("shows on a hosted provider's New form every field of the hosted variant, with the definition's label, hint and choices", () => {
    const page = newForm(imProviderKind, "hosted");
    const fields = imProviderKind
      .fieldsOf("hosted")
      .filter((field) => field !== imProviderKind.discriminator);
    expect(fields.length).toBeGreaterThan(5);
    for (const field of fields) {
      const definition = imProviderKind.field(field);
      expect({ field, label: page.includes(escapeHtml(definition.label)) }).toEqual({ field, label: true });
      if (definition.hint !== undefined)
        expect({ field, hint: page.includes(escapeHtml(definition.hint)) }).toEqual({ field, hint: true });
      for (const choice of Object.values(definition.choices ?? {}))
        expect({ field, choice: page.includes(escapeHtml(choice)) }).toEqual({ field, choice: true });
      const input = inputOf(page, field);
      if (definition.type.def.type === "boolean") expect(input).toContain('type="checkbox"');
      if (definition.optional === true) expect(page).toContain(escapeHtml(`${definition.label} (optional)`));
    }
    // The hosted-only settings are grouped under the variant's name.
    expect(page).toContain("Hosted provider settings");
  });

  it("leaves the fields a public provider does not have off its New form, and starts it with communications cleared", () => {
    const page = newForm(imProviderKind, "public");
    for (const field of imProviderKind.fields) {
      const has = imProviderKind.fieldsOf("public").includes(field) && field !== imProviderKind.discriminator;
      expect({ field, shown: page.includes(`id="${field}"`) }).toEqual({ field, shown: has });
    }
    // The Lync procedure's step 4 has the administrator select "Enable communications with this provider".
    expect(inputOf(page, "enabled")).not.toContain("checked");
    const level = imProviderKind.field("verificationLevel");
    expect(page).toMatch(new RegExp(`id="verificationLevel-${String(level.default)}"[^>]*checked`));
  });

  it("shows read-only, on an edit form, exactly the fields that cannot change in place for the object's variant", () => {
    for (const spec of [
      { name: "Yahoo!", kind: "public", proxyFqdn: "sip.yahoo.com", enabled: false },
      hostedProvider,
    ]) {
      const record = recordOf(imProviderKind, spec);
      const variant = imProviderKind.variantOf(record);
      const page = detailsPage(imProviderKind, record);
      const replaced = imProviderKind.replaceFieldsOf(variant);
      for (const field of imProviderKind
        .fieldsOf(variant)
        .filter((name) => name !== imProviderKind.discriminator)) {
        const input = inputOf(page, field);
        const readOnly = / readonly| disabled/.test(input);
        expect({ variant, field, readOnly }).toEqual({ variant, field, readOnly: replaced.includes(field) });
      }
    }
  });

  it("shows the federation page with every federation field's label, a checkbox each, and the federation note", () => {
    const record = recordOf(federationKind, { enabled: true });
    const page = detailsPage(federationKind, record);
    for (const field of federationKind.fields) {
      expect({ field, label: page.includes(escapeHtml(federationKind.field(field).label)) }).toEqual({
        field,
        label: true,
      });
      expect(inputOf(page, field)).toContain('type="checkbox"');
    }
    const viewOnly = detailsPage(federationKind, record, viewer);
    for (const field of federationKind.fields)
      expect(viewOnly).toContain(`<dt>${escapeHtml(federationKind.field(field).label)}</dt>`);
    expect(viewOnly).not.toContain('<input type="checkbox"');
  });

  it("makes a provider table's columns of the fields every variant has, labelled by the definition", () => {
    const records = [recordOf(imProviderKind, hostedProvider)];
    const page = renderObjectList(admin, {
      kind: imProviderKind,
      extension: extensionOf(imProviderKind),
      records,
      note: "",
    });
    const headers = [...page.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((match) => match[1]);
    const shared = imProviderKind.fields.filter((field) =>
      imProviderKind.variants.every((variant) => imProviderKind.fieldsOf(variant).includes(field)),
    );
    expect(headers).toEqual([
      ...shared.map((field) => escapeHtml(imProviderKind.field(field).label)),
      "Last changed",
    ]);
    // The New menu has an entry per variant, named as the definition names them.
    for (const variant of imProviderKind.variants)
      expect(page).toContain(
        `href="/providers/new?kind=${variant}">${findKind(imProviderKind.name).definition.variants?.values[variant]?.label}</a>`,
      );
  });

  it("gives a new kind a list, a New form, a details page and a delete confirmation from its definition alone", () => {
    const widgetKind = defineKind({
      name: "Widget",
      title: "widget",
      noun: "widget",
      path: "widgets",
      description: "A kind made for this test.",
      identity: { field: "title", auditPrefix: "widget" },
      fields: {
        title: {
          type: z.string().min(1).max(40),
          change: "replace",
          caseInsensitive: true,
          example: "Blue",
          description: "The widget's name.",
          cmdlet: "Identity",
          label: "Widget title",
          hint: "What people call it.",
          flag: "title",
        },
        size: {
          type: z.number().int().min(1).max(9),
          default: 3,
          change: "in-place",
          example: 4,
          description: "How big it is.",
          cmdlet: "Size",
          label: "Size of the widget",
          flag: "size",
        },
        shiny: {
          type: z.boolean(),
          default: false,
          change: "in-place",
          example: true,
          description: "Whether it shines.",
          cmdlet: "Shiny",
          label: "Polish it",
          flag: "shiny",
        },
        homePage: {
          type: z.string(),
          optional: true,
          change: "in-place",
          example: "https://widgets.example/blue",
          description: "Where to read about it.",
          cmdlet: "HomePage",
          label: "Home page",
          flag: "home-page",
          detailOnly: true,
        },
      },
    }) as unknown as ResourceKind;
    const record = recordOf(widgetKind, { title: "Blue", size: 5, shiny: true });
    const extension = extensionOf(widgetKind);

    const list = renderObjectList(admin, { kind: widgetKind, extension, records: [record], note: "" });
    expect(list).toContain("<h1>Widget</h1>");
    expect(list).toContain("Widget title");
    expect(list).toContain("Size of the widget");
    expect(list).not.toContain("Home page");
    expect(list).toContain('href="/widgets/details?title=Blue"');
    expect(list).toContain('href="/widgets/new"');

    const form = newForm(widgetKind, undefined);
    expect(form).toContain('action="/widgets/new"');
    expect(inputOf(form, "size")).toMatch(/type="number"[^>]* min="1" max="9"/);
    expect(inputOf(form, "size")).toContain('value="3"');
    expect(inputOf(form, "shiny")).toContain('type="checkbox"');
    expect(inputOf(form, "homePage")).toContain('type="url"');
    expect(form).toContain("Home page (optional)");
    expect(form).toContain("What people call it.");

    // A number box posts a number, which the kind's validation takes.
    const posted = bodyOf(
      formFieldsOf(widgetKind, undefined, "create"),
      { title: "Red", size: "7", shiny: "on", homePage: "" },
      "omit",
    );
    expect(posted).toEqual({ title: "Red", size: 7, shiny: true });
    expect(widgetKind.validate(posted).ok).toBe(true);

    const details = detailsPage(widgetKind, record);
    expect(details).toContain("<h1>Widget Blue</h1>");
    expect(inputOf(details, "title")).toContain("readonly");
    expect(inputOf(details, "size")).toContain('value="5"');
    expect(details).toContain('href="/widgets/delete?title=Blue"');

    const confirmation = renderDeleteObject(admin, {
      kind: widgetKind,
      extension,
      record,
      reason: "",
      csrfToken: "csrf",
    });
    expect(confirmation).toContain("Delete widget Blue?");
    expect(confirmation).toContain("<dt>Size of the widget</dt>");
  });

  it("names each field an audit entry changed by its kind's label, beside the field as the API names it", () => {
    // Snapshots whose members are in the reverse of the definition's order.
    const reversed = (bag: Readonly<Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(bag).reverse());
    const stored = recordOf(imProviderKind, hostedProvider);
    const before = reversed(stored);
    const after = reversed({ ...stored, verificationLevel: "AlwaysVerifiable", enabled: false, revision: 8 });
    const entry = {
      seq: 3,
      at: lastWrite.updatedAt,
      actor: "admin",
      via: "control-panel",
      action: "update",
      target: imProviderKind.auditTarget("Fabrikam"),
      before,
      after,
      reason: null,
    } as const satisfies AuditEntry;
    // In the order of the definition, whatever the order of the snapshots' members.
    expect(changeSummary(entry)).toBe(
      'enabled: true → false; verificationLevel: "UseSourceVerification" → "AlwaysVerifiable"',
    );
    const page = renderAuditPage(admin, [entry]);
    expect(page).toContain(escapeHtml(imProviderKind.field("enabled").label));
    expect(page).toContain(escapeHtml(imProviderKind.field("verificationLevel").label));
    expect(page).toContain('href="/providers/details?name=Fabrikam"');
  });
});

describe("the Control Panel's generic code", () => {
  // Everything but the kinds' extensions.
  const folder = path.join(__dirname, "../../../store/control-panel");
  const generic = readdirSync(folder)
    .filter((file) => file.endsWith(".ts"))
    .map((file) => ({ file, code: withoutComments(readFileSync(path.join(folder, file), "utf8")) }));
  // `kind` (a ResourceKind) and `name` (of a field, a token, a kind) are words of the generic
  // code itself: those two are checked as string literals; every other field name, as a word.
  const vocabulary = new Set(["kind", "name"]);

  it("names no field of any kind's definition: what is special about a kind is in its extension", () => {
    expect(generic.length).toBeGreaterThan(20);
    const fields = [...new Set(KINDS.flatMap((kind) => kind.fields))];
    const found: string[] = [];
    for (const { file, code } of generic) {
      for (const field of fields) {
        const literal = new RegExp(`["'\`]${field}["'\`]`).test(code);
        const word = !vocabulary.has(field) && new RegExp(`\\b${field}\\b`).test(code);
        if (literal || word) found.push(`${file}: ${field}`);
      }
    }
    expect(found).toEqual([]);
  });
});

// The code without its comments (a comment may give a field as an example).
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}
