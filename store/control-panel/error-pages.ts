import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { renderMessagePage } from "./message-page";
import { sendPage } from "./page-reply";
import type { SignedIn } from "./signed-in-sessions";
import { frameOf } from "./signed-in-sessions";

/**
 * The Control Panel's error pages: each says what went wrong, whether anything was saved, and
 * what to do next, with the status the contract gives it.
 */

/** 403 for a change by a token that may only read: the server refuses it even though its pages show no edit controls. */
export function sendForbidden(reply: FastifyReply, signedIn: SignedIn): FastifyReply {
  return sendPage(
    reply.code(403),
    renderMessagePage(
      { ...frameOf(signedIn), title: "Forbidden" },
      "Not allowed",
      `The token "${signedIn.principal.name}" has the role ${signedIn.principal.role}, which may only read; changes need a CsAdministrator token. Nothing was saved.`,
    ),
  );
}

/** 403 for a page that only makes sense for changes (New, Delete), opened with a view-only token. */
export function sendViewOnly(reply: FastifyReply, signedIn: SignedIn): FastifyReply {
  return sendPage(
    reply.code(403),
    renderMessagePage(
      { ...frameOf(signedIn), title: "View only" },
      "You can only view",
      `You are signed in with the token "${signedIn.principal.name}", of the role ${signedIn.principal.role}: it can view every page and the audit log, but not change anything. To make changes, sign out and sign in with a CsAdministrator token.`,
    ),
  );
}

/** 404 for an object that is not in the store (`what`: `provider "Contoso"`), with the noun of its kind. */
export function sendNotFound(
  reply: FastifyReply,
  signedIn: SignedIn,
  noun: string,
  what: string,
): FastifyReply {
  return sendPage(
    reply.code(404),
    renderMessagePage(
      { ...frameOf(signedIn), title: "Not found" },
      `No such ${noun}`,
      `There is no ${what} (it may have been deleted).`,
    ),
  );
}

/** 401 for a form posted without a live session: nothing was saved. */
export function sendSignedOut(reply: FastifyReply): FastifyReply {
  return sendPage(
    reply.code(401),
    renderMessagePage(
      { title: "Signed out" },
      "Your session has ended",
      "You are not signed in (the session expired, or its token was revoked). Nothing was saved. Sign in again and repeat the change.",
    ),
  );
}

/** 403 for a form without the session's CSRF token, or posted from another site. */
export function sendRefusedForm(
  reply: FastifyReply,
  signedIn: SignedIn | undefined,
  message: string,
): FastifyReply {
  return sendPage(
    reply.code(403),
    renderMessagePage(
      { ...(signedIn === undefined ? { title: "" } : frameOf(signedIn)), title: "Refused" },
      "The form was refused",
      message,
    ),
  );
}

/**
 * The Control Panel's one error handler: a request it cannot read (4xx) says why, anything else
 * is a bare 500 page that points at the store's log (which has the details) and promises nothing
 * was saved unless the page says so.
 */
export function sendErrorPage(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, "control panel request failed");
  const message =
    status === 413
      ? "The form is too large."
      : status < 500
        ? `The request could not be read: ${error.message}`
        : `Something went wrong; the store's log has the details (request ${request.id}). Nothing was saved unless the page says so.`;
  return sendPage(reply.code(status), renderMessagePage({ title: "Error" }, "Error", message));
}
