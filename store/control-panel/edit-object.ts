import type { FastifyRequest } from "fastify";
import { commitEdit } from "./commit-edit";
import { sendNotFound } from "./error-pages";
import type { StoredObject } from "./extensions";
import { extensionOf } from "./extensions";
import { textField } from "./form-fields";
import { formFieldsOf, formValuesOf } from "./kind-form-fields";
import type { KindObjects } from "./kind-objects";
import { pathsOf } from "./kind-paths";
import { renderObjectDetails } from "./object-details-page";
import { readPostedEdit } from "./object-form";
import type { Handler } from "./page-handlers";
import { writeContextOf } from "./page-handlers";
import { formOf, queryOf, sendPage } from "./page-reply";
import type { KindPageContext } from "./object-routes";
import { frameOf } from "./signed-in-sessions";

/**
 * The details page of an object (Edit > Show details, or a singleton's page): its form for an
 * administrator, its settings as facts for a token that may only read. A collection's page
 * names the object in its query; without one, the list says to select one first.
 */
export function showObject(context: KindPageContext): Handler {
  const { kindObjects, sessions } = context;
  const { kind } = kindObjects;
  const extension = extensionOf(kind);
  const paths = pathsOf(kind);
  return async (request, reply, signedIn) => {
    const id = idOf(kindObjects, request);
    if (id === "") {
      await sessions.flash(
        signedIn,
        "problem",
        `Select a ${kind.noun} in the table first, then Edit > Show details.`,
      );
      return reply.redirect(paths.page, 303);
    }
    const record = await kindObjects.tryFind(id);
    if (record === undefined) return sendNotFound(reply, signedIn, kind.noun, kind.describe(id));
    const values = formValuesOf(kind, record);
    return sendPage(
      reply,
      renderObjectDetails(frameOf(signedIn), {
        kind,
        extension,
        mode: "edit",
        record,
        values,
        opened: values,
        revision: record.revision,
        reason: "",
        note: await noteOf(context, record),
        csrfToken: signedIn.session.csrfToken,
      }),
    );
  };
}

/**
 * Commits an object's details form ({@link commitEdit}): on success, the kind's page with the
 * outcome; when refused, the form again with every error, or with what changed since it was
 * opened.
 */
export function commitObject(context: KindPageContext): Handler {
  const { kindObjects, sessions, audit } = context;
  const { kind } = kindObjects;
  const extension = extensionOf(kind);
  const paths = pathsOf(kind);
  return async (request, reply, signedIn) => {
    const id = idOf(kindObjects, request);
    const record = await kindObjects.tryFind(id);
    if (record === undefined) return sendNotFound(reply, signedIn, kind.noun, kind.describe(id));
    const form = formOf(request);
    const reason = textField(form, "reason");
    const fields = formFieldsOf(kind, kind.variantOf(record), "edit");
    const outcome = await commitEdit(
      kindObjects,
      audit,
      record,
      readPostedEdit(fields, form),
      writeContextOf(signedIn, reason),
    );
    if (outcome.kind === "gone") return sendNotFound(reply, signedIn, kind.noun, kind.describe(id));
    if (outcome.kind === "saved") {
      const saved = outcome.record;
      const what = kind.describe(kindObjects.idOf(saved));
      const summary = extension.outcome?.(saved);
      await sessions.flash(
        signedIn,
        "success",
        outcome.changed
          ? `Saved ${what}${summary === undefined ? "" : `: ${summary}`}.`
          : `No change: ${what} already had these values.`,
      );
      return reply.redirect(paths.page, 303);
    }
    const { state } = outcome;
    return sendPage(
      reply.code(outcome.status),
      renderObjectDetails(frameOf(signedIn), {
        kind,
        extension,
        mode: "edit",
        record: state.record,
        values: state.values,
        opened: state.opened,
        revision: state.revision,
        conflicts: state.conflicts,
        errors: state.errors,
        changed: state.changed,
        reason,
        note: await noteOf(context, state.record),
        csrfToken: signedIn.session.csrfToken,
      }),
    );
  };
}

// The object a page is about: a singleton's id, or the collection's object named in the query.
function idOf(kindObjects: KindObjects, request: FastifyRequest): string {
  const { kind } = kindObjects;
  return kind.singletonId ?? queryOf(request, pathsOf(kind).idParameter) ?? "";
}

// A singleton's page shows its kind's note (a collection's note is on its list).
async function noteOf(context: KindPageContext, record: StoredObject) {
  const { kind } = context.kindObjects;
  if (kind.singletonId === undefined) return "";
  return (await extensionOf(kind).note?.(context.objects, record)) ?? "";
}
