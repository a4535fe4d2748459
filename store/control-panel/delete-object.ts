import { NotFoundError, PreconditionFailedError } from "../../core";
import { reasonProblems } from "../topology-store";
import { findChangesSince, renderChangesSince } from "./changes-since";
import { sendNotFound, sendViewOnly } from "./error-pages";
import type { StoredObject } from "./extensions";
import { extensionOf } from "./extensions";
import { FormErrors, textField } from "./form-fields";
import { formFieldsOf } from "./kind-form-fields";
import { pathsOf } from "./kind-paths";
import { renderDeleteObject } from "./delete-object-page";
import type { Handler } from "./page-handlers";
import { writeContextOf } from "./page-handlers";
import { formOf, queryOf, sendPage } from "./page-reply";
import type { KindPageContext } from "./object-routes";
import { frameOf } from "./signed-in-sessions";

/** The delete confirmation of an object, with its settings now; a view-only token is told it can only view. */
export function confirmDeleteObject(context: KindPageContext): Handler {
  const { kindObjects } = context;
  const { kind } = kindObjects;
  const extension = extensionOf(kind);
  return async (request, reply, signedIn) => {
    if (signedIn.principal.role !== "CsAdministrator") return sendViewOnly(reply, signedIn);
    const id = queryOf(request, pathsOf(kind).idParameter) ?? "";
    const record = await kindObjects.tryFind(id);
    if (record === undefined) return sendNotFound(reply, signedIn, kind.noun, kind.describe(id));
    return sendPage(
      reply,
      renderDeleteObject(frameOf(signedIn), {
        kind,
        extension,
        record,
        reason: "",
        csrfToken: signedIn.session.csrfToken,
      }),
    );
  };
}

/**
 * Deletes an object confirmed at the revision the confirmation carries (If-Match). An object
 * that changed since the confirmation was opened is not deleted: the page shows what changed
 * and its settings now, and the user confirms again.
 */
export function deleteObject(context: KindPageContext): Handler {
  const { kindObjects, sessions, audit } = context;
  const { kind } = kindObjects;
  const extension = extensionOf(kind);
  const paths = pathsOf(kind);
  return async (request, reply, signedIn) => {
    const id = queryOf(request, paths.idParameter) ?? "";
    const record = await kindObjects.tryFind(id);
    if (record === undefined) return sendNotFound(reply, signedIn, kind.noun, kind.describe(id));
    const form = formOf(request);
    const reason = textField(form, "reason");
    const given = Number(textField(form, "revision"));
    const openedAt = Number.isSafeInteger(given) ? given : 0;
    const write = writeContextOf(signedIn, reason);
    const errors = new FormErrors({ reason: "Reason" });
    for (const detail of reasonProblems(write.reason)) errors.add(detail.path, detail.message);
    const page = (status: number, current: StoredObject, changed?: ReturnType<typeof renderChangesSince>) =>
      sendPage(
        reply.code(status),
        renderDeleteObject(frameOf(signedIn), {
          kind,
          extension,
          record: current,
          reason,
          errors,
          changed,
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    const refuseChanged = async (current: StoredObject) => {
      const currentId = kindObjects.idOf(current);
      const what = kindObjects.what(currentId);
      errors.add(
        "",
        `${what} changed after you opened this page, so it was not deleted. Its settings now are below: check them, then delete it again if you still mean to.`,
      );
      const changes = await findChangesSince(audit, kind.auditTarget(currentId), openedAt);
      return page(
        409,
        current,
        renderChangesSince({
          what,
          openedAt,
          fields: formFieldsOf(kind, kind.variantOf(current), "edit"),
          changes,
          current,
        }),
      );
    };
    if (!errors.empty) return page(400, record);
    if (openedAt !== record.revision) return refuseChanged(record);
    try {
      await kindObjects.remove(kindObjects.idOf(record), { ifMatch: [String(openedAt)] }, write);
      await sessions.flash(signedIn, "success", `Deleted ${kind.describe(kindObjects.idOf(record))}.`);
      return reply.redirect(paths.page, 303);
    } catch (error) {
      if (error instanceof NotFoundError) return sendNotFound(reply, signedIn, kind.noun, kind.describe(id));
      if (!(error instanceof PreconditionFailedError)) throw error;
      const current = await kindObjects.tryFind(id);
      return current === undefined
        ? sendNotFound(reply, signedIn, kind.noun, kind.describe(id))
        : refuseChanged(current);
    }
  };
}
