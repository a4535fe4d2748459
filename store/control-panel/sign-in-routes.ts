import type { FastifyInstance } from "fastify";
import { logThrottled } from "../http/auth-failure-throttle";
import { hashToken } from "../tokens";
import { sendRefusedForm } from "./error-pages";
import { textField } from "./form-fields";
import { isOwnPage } from "./kind-paths";
import { HOME } from "./navigation";
import type { PageHandlers } from "./page-handlers";
import { crossSite } from "./page-handlers";
import { formOf, queryOf, sendPage } from "./page-reply";
import { randomSecret, sameSecret } from "./session-store";
import type { SignedInSessions } from "./signed-in-sessions";
import { SESSION_COOKIE, SIGN_IN_COOKIE, cookieOptions } from "./signed-in-sessions";
import { renderSignInPage } from "./sign-in-page";

/**
 * Registers sign-in and sign-out: `/` (the home page or the sign-in page), `GET /sign-in` (a
 * token, exchanged for a session cookie), `POST /sign-in` (a new session id at every sign-in;
 * a wrong token counts against the address's budget of failed authentications, shared with the
 * API's) and `POST /sign-out`.
 */
export function signInRoutes(app: FastifyInstance, sessions: SignedInSessions, handlers: PageHandlers): void {
  app.get("/", async (request, reply) =>
    reply.redirect((await sessions.trySignedIn(request)) === undefined ? "/sign-in" : HOME.href, 303),
  );

  app.get("/sign-in", async (request, reply) => {
    const csrfToken = randomSecret();
    reply.setCookie(SIGN_IN_COOKIE, csrfToken, cookieOptions(request));
    const notice =
      queryOf(request, "ended") !== undefined
        ? "Your session ended (it expired, or its token was revoked). Sign in again."
        : queryOf(request, "signedOut") !== undefined
          ? "You are signed out."
          : undefined;
    return sendPage(
      reply,
      renderSignInPage({
        csrfToken,
        next: safeNext(queryOf(request, "next")),
        ...(notice === undefined ? {} : { notice }),
      }),
    );
  });

  app.post("/sign-in", async (request, reply) => {
    const form = formOf(request);
    const expected = request.cookies[SIGN_IN_COOKIE];
    const given = textField(form, "_csrf");
    // Another site's form (Sec-Fetch-Site: cross-site) is refused here as at every other form.
    if (crossSite(request) || expected === undefined || given === "" || !sameSecret(given, expected)) {
      return sendRefusedForm(
        reply,
        undefined,
        "The sign-in form came from another site, or its security token is missing or out of date. Open the sign-in page again.",
      );
    }
    const next = safeNext(textField(form, "next"));
    const token = textField(form, "token").trim();
    const principal = token === "" ? undefined : await sessions.tokens.authenticate(token);
    if (principal === undefined) {
      const csrfToken = randomSecret();
      reply.setCookie(SIGN_IN_COOKIE, csrfToken, cookieOptions(request));
      // A wrong token counts against the address's budget, shared with the API's (a valid
      // token is never refused for it): past the budget the answer is 429 with Retry-After.
      const verdict = token === "" ? undefined : app.authFailures.recordFailure(request.ip);
      if (verdict?.throttled === true) {
        if (verdict.first) logThrottled(request.log, verdict, app.authFailures.limits);
        return sendPage(
          reply.code(429).header("retry-after", String(verdict.retryAfterSeconds)),
          renderSignInPage({
            csrfToken,
            next,
            error: `Too many sign-ins with a wrong token came from your address. The token is not valid (unknown or revoked); wait ${verdict.retryAfterSeconds} seconds, then sign in with a valid token.`,
          }),
        );
      }
      return sendPage(
        reply.code(token === "" ? 400 : 401),
        renderSignInPage({
          csrfToken,
          next,
          error:
            token === ""
              ? "Enter a token."
              : "The token is not valid: it is unknown or was revoked. Check it, or make another with imfed token create.",
        }),
      );
    }
    // A new session id at every sign-in (no session fixation).
    await sessions.sessions.delete(request.cookies[SESSION_COOKIE]);
    const { id } = await sessions.sessions.create(hashToken(token));
    reply.clearCookie(SIGN_IN_COOKIE, cookieOptions(request));
    reply.setCookie(SESSION_COOKIE, id, cookieOptions(request));
    return reply.redirect(next, 303);
  });

  app.post(
    "/sign-out",
    handlers.action(async (request, reply, signedIn) => {
      await sessions.sessions.end(signedIn.session);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
      return reply.redirect("/sign-in?signedOut=1", 303);
    }, true),
  );
}

// Only the Control Panel's own pages are places to go after sign-in (no open redirect).
function safeNext(next: string | undefined): string {
  return typeof next === "string" && isOwnPage(next) ? next : HOME.href;
}
