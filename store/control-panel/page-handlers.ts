import type { FastifyReply, FastifyRequest } from "fastify";
import type { WriteContext } from "../topology-store";
import { sendForbidden, sendRefusedForm, sendSignedOut } from "./error-pages";
import { textField } from "./form-fields";
import { formOf } from "./page-reply";
import { sameSecret } from "./session-store";
import type { SignedIn, SignedInSessions } from "./signed-in-sessions";
import { SESSION_COOKIE, cookieOptions } from "./signed-in-sessions";

/** A page or a form post of a signed-in session. */
export type Handler = (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) => Promise<unknown>;

/** A route's handler as fastify calls it. */
export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * The two wrappers every route of a signed-in session goes through: {@link page} for what a
 * browser opens and {@link action} for what its forms post. They hold the Control Panel's
 * rules of access in one place.
 */
export class PageHandlers {
  constructor(private readonly sessions: SignedInSessions) {}

  /** A page for any signed-in token, which shows the session's message once; without a session, the sign-in page. */
  page(handler: Handler): RouteHandler {
    return async (request, reply) => {
      const signedIn = await this.sessions.trySignedIn(request);
      if (signedIn === undefined) {
        const ended = request.cookies[SESSION_COOKIE] !== undefined;
        reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
        return reply.redirect(
          `/sign-in?next=${encodeURIComponent(request.url)}${ended ? "&ended=1" : ""}`,
          303,
        );
      }
      return handler(request, reply, await this.sessions.takeFlash(signedIn));
    };
  }

  /**
   * A form post: a session, then a same-site request (a browser's `Sec-Fetch-Site`) with the
   * CSRF token of the session in `_csrf` (403 without it), then, unless `anyRole`, the
   * administrator role (403 for a view-only token): the server refuses a view-only token's
   * writes even though its pages show no edit controls.
   */
  action(handler: Handler, anyRole = false): RouteHandler {
    return async (request, reply) => {
      const signedIn = await this.sessions.trySignedIn(request);
      if (signedIn === undefined) {
        reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
        return sendSignedOut(reply);
      }
      const given = textField(formOf(request), "_csrf");
      if (crossSite(request) || given === "" || !sameSecret(given, signedIn.session.csrfToken)) {
        return sendRefusedForm(
          reply,
          signedIn,
          "The form's security token is missing or out of date, so nothing was saved. Go back, reload the page and try again.",
        );
      }
      if (!anyRole && signedIn.principal.role !== "CsAdministrator") return sendForbidden(reply, signedIn);
      return handler(request, reply, signedIn);
    };
  }
}

/**
 * Tells whether a browser says the request comes from another site (Fetch Metadata,
 * https://www.w3.org/TR/fetch-metadata/): a form posted from another site is refused whatever
 * it carries. Clients that send no Sec-Fetch-Site (older browsers, scripts) are held to the
 * CSRF token alone.
 */
export function crossSite(request: FastifyRequest): boolean {
  return request.headers["sec-fetch-site"] === "cross-site";
}

/** Who writes, how and why, for a write of a signed-in session; the reason as the form's `reason` gives it. */
export function writeContextOf(signedIn: SignedIn, reason: string): WriteContext {
  return { actor: signedIn.principal.name, via: "control-panel", reason: reasonOf(reason) };
}

/** The reason of a write as the store records it: trimmed, and none when empty. */
export function reasonOf(reason: string): string | null {
  const trimmed = reason.trim();
  return trimmed === "" ? null : trimmed;
}
