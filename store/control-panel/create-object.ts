import type { ResourceKind } from "../../core";
import { PreconditionFailedError } from "../../core";
import { reasonProblems } from "../topology-store";
import { addStoreErrors } from "./commit-edit";
import { sendViewOnly } from "./error-pages";
import type { StoredObject } from "./extensions";
import { extensionOf } from "./extensions";
import { FormErrors, textField } from "./form-fields";
import { formFieldsOf, newObjectValues } from "./kind-form-fields";
import { pathsOf } from "./kind-paths";
import { renderObjectDetails } from "./object-details-page";
import type { FormValues } from "./object-form";
import { bodyOf, labelsOf, readValue } from "./object-form";
import type { Handler } from "./page-handlers";
import { writeContextOf } from "./page-handlers";
import { formOf, queryOf, sendPage } from "./page-reply";
import type { KindPageContext } from "./object-routes";
import { frameOf } from "./signed-in-sessions";

/**
 * The New page of a collection kind's variant (New > Public or Hosted): the kind's form,
 * starting with the defaults and what the kind's extension says (a new provider's "Enable
 * communications with this provider" cleared). A view-only token is told it can only view.
 */
export function showNewObject(context: KindPageContext): Handler {
  const { kind } = context.kindObjects;
  const extension = extensionOf(kind);
  return async (request, reply, signedIn) => {
    if (signedIn.principal.role !== "CsAdministrator") return sendViewOnly(reply, signedIn);
    const discriminator = kind.discriminator;
    const variant = discriminator === undefined ? undefined : queryOf(request, discriminator);
    if (discriminator !== undefined && (variant === undefined || !kind.variants.includes(variant))) {
      await context.sessions.flash(signedIn, "problem", `Choose ${newMenuOf(kind)} to add a ${kind.noun}.`);
      return reply.redirect(pathsOf(kind).page, 303);
    }
    return sendPage(
      reply,
      renderObjectDetails(frameOf(signedIn), {
        kind,
        extension,
        mode: "create",
        variant,
        values: newObjectValues(kind, variant, extension),
        reason: "",
        csrfToken: signedIn.session.csrfToken,
      }),
    );
  };
}

/**
 * Creates an object from the New form. Every error of the form shows at once: the kind's
 * validation, the reason, an id taken by another object (named as it is stored) and a unique
 * key (an Access Edge) another object holds; then the write, with If-None-Match, so that an id
 * taken meanwhile is refused.
 */
export function createObject(context: KindPageContext): Handler {
  const { kindObjects, sessions } = context;
  const { kind } = kindObjects;
  const extension = extensionOf(kind);
  const identity = kind.identityField ?? "";
  return async (request, reply, signedIn) => {
    const form = formOf(request);
    const discriminator = kind.discriminator;
    const given = discriminator === undefined ? undefined : textField(form, discriminator);
    const known = given !== undefined && kind.variants.includes(given);
    const variant = discriminator === undefined ? undefined : known ? given : kind.variants[0];
    const fields = formFieldsOf(kind, variant, "create");
    const values: FormValues = Object.fromEntries(
      fields.map((field) => [field.name, readValue(field, form)]),
    );
    const reason = textField(form, "reason");
    const errors = new FormErrors(labelsOf(fields));
    const refuse = (status: number) =>
      sendPage(
        reply.code(status),
        renderObjectDetails(frameOf(signedIn), {
          kind,
          extension,
          mode: "create",
          variant,
          values,
          reason,
          errors,
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    if (discriminator !== undefined && !known) {
      const oneOf = kind.variants.map((each) => `"${each}"`).join(" or ");
      errors.add(
        "",
        `The ${kind.field(discriminator).label.toLowerCase()} must be ${oneOf}: open ${newMenuOf(kind)} again.`,
      );
    }
    const body = {
      ...bodyOf(fields, values, "omit"),
      ...(discriminator === undefined ? {} : { [discriminator]: variant }),
    };
    const parsed = kind.validate(body);
    if (!parsed.ok) for (const detail of parsed.details) errors.add(detail.path, detail.message);
    const write = writeContextOf(signedIn, reason);
    for (const detail of reasonProblems(write.reason)) errors.add(detail.path, detail.message);
    const id = values[identity] ?? "";
    const existing = await kindObjects.list();
    const sameId = existing.find((record) => kind.keyOf(kind.idOf(record)) === kind.keyOf(id));
    if (sameId !== undefined) errors.add(identity, takenMessage(kind, sameId));
    for (const { field } of kind.definition.unique ?? []) {
      const value = parsed.ok ? (parsed.value as Readonly<Record<string, unknown>>)[field] : undefined;
      if (value === undefined || value === null) continue;
      const holder = existing.find(
        (record) =>
          record[field] !== undefined &&
          record[field] !== null &&
          kind.sameValue(field, record[field], value),
      );
      if (holder !== undefined) errors.add(field, `is used by ${kind.describe(kind.idOf(holder))}`);
    }
    if (!errors.empty) return refuse(400);
    try {
      const record = await kindObjects.put(id, body, { ifNoneMatch: "*" }, write);
      const summary = extension.outcome?.(record);
      await sessions.flash(
        signedIn,
        "success",
        `Created ${variant === undefined ? "" : `${variant} `}${kind.describe(kind.idOf(record))}${
          summary === undefined ? "" : `: ${summary}`
        }.`,
      );
      return reply.redirect(pathsOf(kind).page, 303);
    } catch (error) {
      if (error instanceof PreconditionFailedError) {
        const taken = await kindObjects.tryFind(id);
        errors.add(identity, taken === undefined ? "is taken" : takenMessage(kind, taken));
      } else if (!addStoreErrors(kind, error, errors)) throw error;
      return refuse(400);
    }
  };
}

// The New menu's entries in words: "New > Public or New > Hosted".
function newMenuOf(kind: ResourceKind): string {
  const variants = kind.definition.variants;
  if (variants === undefined) return "New";
  return kind.variants.map((variant) => `New > ${variants.values[variant]?.label ?? variant}`).join(" or ");
}

// A taken id names the object as it is stored ("Yahoo!"), not as it was typed ("yahoo!").
function takenMessage(kind: ResourceKind, existing: StoredObject): string {
  return `is taken: a ${kind.noun} named "${kind.idOf(existing)}" already exists (names are compared ignoring case). Edit it instead, or choose another name.`;
}
