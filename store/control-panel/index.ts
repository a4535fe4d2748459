import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from "fastify";
import type { ProviderRecord } from "../../core";
import {
  ConflictError,
  MAX_REASON_LENGTH,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
  providerKindSchema,
} from "../../core";
import { logThrottled } from "../http/auth-failure-throttle";
import { hashToken } from "../tokens";
import type { Principal, TopologyStore, WriteContext } from "../topology-store";
import { renderAuditPage } from "./audit-page";
import {
  FEDERATION_FIELD_LABELS,
  federationValuesFromForm,
  federationValuesOf,
  renderFederationPage,
} from "./federation-page";
import type { FormBody } from "./form-fields";
import { FormErrors, textField } from "./form-fields";
import type { PageFrame } from "./layout";
import { renderMessagePage } from "./message-page";
import type { ProviderFormValues } from "./provider-pages";
import {
  PROVIDER_FIELD_LABELS,
  newProviderValues,
  providerBodyOf,
  providerValuesFromForm,
  providerValuesOf,
  renderDeleteProvider,
  renderProviderForm,
  renderProviderView,
  renderProvidersPage,
} from "./provider-pages";
import { RecentAudit } from "./recent-audit";
import { SECURITY_HEADERS } from "./security-headers";
import type { Session, SessionLimits } from "./session-store";
import { DEFAULT_SESSION_LIMITS, SessionStore, randomSecret, sameSecret } from "./session-store";
import { renderSignInPage } from "./sign-in-page";
import { CONTROL_PANEL_CSS } from "./styles";

export { SessionStore, DEFAULT_SESSION_LIMITS } from "./session-store";
export type { SessionLimits } from "./session-store";
export { escapeHtml, html } from "./html";

/** Options of the Control Panel plugin. */
export interface ControlPanelOptions {
  /** The store every page reads and every form writes through (with `via: "control-panel"`). */
  readonly store: TopologyStore;
  /** How long sessions live; default 8 hours idle, 24 hours at most. */
  readonly sessionLimits?: SessionLimits;
}

/** The session cookie: a random id, HttpOnly and SameSite=Strict; the token stays on the server. */
export const SESSION_COOKIE = "imfed_session";
// The sign-in form has no session yet: its CSRF token is a double-submit cookie.
const SIGN_IN_COOKIE = "imfed_sign_in";

/** A signed-in request: its session, the session's id and the token's principal. */
interface SignedIn {
  readonly id: string;
  readonly session: Session;
  readonly principal: Principal;
}

type Handler = (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) => Promise<unknown>;

/**
 * The Control Panel (External User Access > Providers and Federation, and the audit log) as an
 * encapsulated fastify plugin: its form parser, cookies, security headers and error pages stay
 * inside it, so the API beside it still takes only JSON. It writes through the same
 * {@link TopologyStore} methods as the API, with `via: "control-panel"`, so validation and the
 * audit log are shared.
 */
export const controlPanelPlugin: FastifyPluginAsync<ControlPanelOptions> = async (app, options) => {
  const { store } = options;
  const sessions = new SessionStore(options.sessionLimits ?? DEFAULT_SESSION_LIMITS);
  const recentAudit = new RecentAudit(store);

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);

  app.addHook("onSend", async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, "control panel request failed");
    const message =
      status === 413
        ? "The form is too large."
        : status < 500
          ? `The request could not be read: ${error.message}`
          : `Something went wrong; the store's log has the details (request ${request.id}). Nothing was saved unless the page says so.`;
    return sendPage(reply.code(status), renderMessagePage({ title: "Error" }, "Error", message));
  });

  // ---- sessions --------------------------------------------------------------------------

  // The session of a request, if its token still works: a revoked token ends the session at once.
  async function trySignedIn(request: FastifyRequest): Promise<SignedIn | undefined> {
    const id = request.cookies[SESSION_COOKIE];
    const session = sessions.tryFind(id);
    if (id === undefined || session === undefined) return undefined;
    const principal = await store.authenticateHash(session.tokenHash);
    if (principal === undefined) {
      sessions.delete(id);
      return undefined;
    }
    return { id, session, principal };
  }

  function frameOf(signedIn: SignedIn): PageFrame {
    const flash = signedIn.session.flash;
    delete signedIn.session.flash;
    return {
      title: "",
      principal: signedIn.principal,
      csrfToken: signedIn.session.csrfToken,
      ...(flash === undefined ? {} : { flash }),
    };
  }

  /** A page for any signed-in token; without a session, the sign-in page. */
  const page =
    (handler: Handler) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const signedIn = await trySignedIn(request);
      if (signedIn === undefined) {
        const ended = request.cookies[SESSION_COOKIE] !== undefined;
        reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
        return reply.redirect(
          `/sign-in?next=${encodeURIComponent(request.url)}${ended ? "&ended=1" : ""}`,
          303,
        );
      }
      return handler(request, reply, signedIn);
    };

  /**
   * A form post: a session, then the CSRF token of the session in `_csrf` (403 without it),
   * then, unless `anyRole`, the administrator role (403 for a view-only token): the server
   * refuses a view-only token's writes even though its pages show no edit controls.
   */
  const action =
    (handler: Handler, anyRole = false) =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const signedIn = await trySignedIn(request);
      if (signedIn === undefined) {
        reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
        return sendPage(
          reply.code(401),
          renderMessagePage(
            { title: "Signed out" },
            "Your session has ended",
            "You are not signed in (the session expired, or its token was revoked). Nothing was saved. Sign in again and repeat the change.",
          ),
        );
      }
      const frame = frameOf(signedIn);
      const given = textField(formOf(request), "_csrf");
      if (
        request.headers["sec-fetch-site"] === "cross-site" ||
        given === "" ||
        !sameSecret(given, signedIn.session.csrfToken)
      ) {
        return sendPage(
          reply.code(403),
          renderMessagePage(
            { ...frame, title: "Refused" },
            "The form was refused",
            "The form's security token is missing or out of date, so nothing was saved. Go back, reload the page and try again.",
          ),
        );
      }
      if (!anyRole && signedIn.principal.role !== "CsAdministrator") return forbidden(reply, signedIn);
      return handler(request, reply, signedIn);
    };

  function forbidden(reply: FastifyReply, signedIn: SignedIn) {
    return sendPage(
      reply.code(403),
      renderMessagePage(
        { ...frameOf(signedIn), title: "Forbidden" },
        "Not allowed",
        `The token "${signedIn.principal.name}" has the role ${signedIn.principal.role}, which may only read; changes need a CsAdministrator token. Nothing was saved.`,
      ),
    );
  }

  function notFound(reply: FastifyReply, signedIn: SignedIn, name: string) {
    return sendPage(
      reply.code(404),
      renderMessagePage(
        { ...frameOf(signedIn), title: "Not found" },
        "No such provider",
        `There is no provider named "${name}" (it may have been deleted).`,
      ),
    );
  }

  function writeContext(signedIn: SignedIn, reason: string): WriteContext {
    const trimmed = reason.trim();
    return { actor: signedIn.principal.name, via: "control-panel", reason: trimmed === "" ? null : trimmed };
  }

  // ---- routes -------------------------------------------------------------------------------

  app.get("/control-panel.css", async (_request, reply) =>
    reply
      .type("text/css; charset=utf-8")
      .header("cache-control", "public, max-age=300")
      .send(CONTROL_PANEL_CSS),
  );

  app.get("/", async (request, reply) =>
    reply.redirect((await trySignedIn(request)) === undefined ? "/sign-in" : "/providers", 303),
  );

  app.get<{ Querystring: { next?: string; ended?: string; signedOut?: string } }>(
    "/sign-in",
    async (request, reply) => {
      const csrfToken = randomSecret();
      reply.setCookie(SIGN_IN_COOKIE, csrfToken, cookieOptions(request));
      const notice =
        request.query.ended !== undefined
          ? "Your session ended (it expired, or its token was revoked). Sign in again."
          : request.query.signedOut !== undefined
            ? "You are signed out."
            : undefined;
      return sendPage(
        reply,
        renderSignInPage({
          csrfToken,
          next: safeNext(request.query.next),
          ...(notice === undefined ? {} : { notice }),
        }),
      );
    },
  );

  app.post("/sign-in", async (request, reply) => {
    const form = formOf(request);
    const expected = request.cookies[SIGN_IN_COOKIE];
    const given = textField(form, "_csrf");
    if (expected === undefined || given === "" || !sameSecret(given, expected)) {
      return sendPage(
        reply.code(403),
        renderMessagePage(
          { title: "Refused" },
          "The form was refused",
          "The sign-in form's security token is missing or out of date. Open the sign-in page again.",
        ),
      );
    }
    const next = safeNext(textField(form, "next"));
    const token = textField(form, "token").trim();
    const principal = token === "" ? undefined : await store.authenticate(token);
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
    sessions.delete(request.cookies[SESSION_COOKIE]);
    const { id } = sessions.create(hashToken(token));
    reply.clearCookie(SIGN_IN_COOKIE, cookieOptions(request));
    reply.setCookie(SESSION_COOKIE, id, cookieOptions(request));
    return reply.redirect(next, 303);
  });

  app.post(
    "/sign-out",
    action(async (request, reply, signedIn) => {
      sessions.delete(signedIn.id);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
      return reply.redirect("/sign-in?signedOut=1", 303);
    }, true),
  );

  app.get(
    "/providers",
    page(async (_request, reply, signedIn) => {
      const [providers, federation] = await Promise.all([store.listProviders(), store.getFederation()]);
      return sendPage(
        reply,
        renderProvidersPage(frameOf(signedIn), { providers, federationEnabled: federation.enabled }),
      );
    }),
  );

  app.get<{ Querystring: { kind?: string } }>(
    "/providers/new",
    page(async (request, reply, signedIn) => {
      if (signedIn.principal.role !== "CsAdministrator") return forbidden(reply, signedIn);
      const kind = providerKindSchema.safeParse((request.query as { kind?: string }).kind);
      if (!kind.success) return reply.redirect("/providers", 303);
      return sendPage(
        reply,
        renderProviderForm(frameOf(signedIn), {
          mode: "create",
          values: newProviderValues(kind.data),
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    }),
  );

  app.post(
    "/providers/new",
    action(async (request, reply, signedIn) => {
      const form = formOf(request);
      const kind = providerKindSchema.safeParse(textField(form, "kind"));
      const values = providerValuesFromForm(form, kind.success ? kind.data : "public");
      const errors = new FormErrors(PROVIDER_FIELD_LABELS);
      if (!kind.success)
        errors.add("", 'The kind must be "public" or "hosted": open New > Public or Hosted again.');
      checkReason(values.reason, errors);
      if (errors.empty) {
        try {
          const { record } = await store.putProvider(
            values.name,
            providerBodyOf(values, "create"),
            { ifNoneMatch: "*" },
            writeContext(signedIn, values.reason),
          );
          signedIn.session.flash = `Created ${record.kind} provider "${record.name}" (${record.enabled ? "enabled" : "not enabled"}).`;
          return reply.redirect("/providers", 303);
        } catch (error) {
          if (error instanceof PreconditionFailedError) {
            errors.add(
              "name",
              `is taken: a provider named "${values.name}" already exists (names are compared ignoring case). Edit it instead, or choose another name.`,
            );
          } else if (!addStoreErrors(error, errors)) throw error;
        }
      }
      return sendPage(
        reply.code(400),
        renderProviderForm(frameOf(signedIn), {
          mode: "create",
          values,
          errors,
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    }),
  );

  app.get<{ Querystring: { name?: string } }>(
    "/providers/details",
    page(async (request, reply, signedIn) => {
      const name = (request.query as { name?: string }).name;
      if (typeof name !== "string" || name === "") {
        signedIn.session.flash = "Select a provider in the table first, then Edit > Show details.";
        return reply.redirect("/providers", 303);
      }
      const record = await store.tryFindProvider(name);
      if (record === undefined) return notFound(reply, signedIn, name);
      const frame = frameOf(signedIn);
      if (signedIn.principal.role !== "CsAdministrator")
        return sendPage(reply, renderProviderView(frame, record));
      return sendPage(
        reply,
        renderProviderForm(frame, {
          mode: "edit",
          values: providerValuesOf(record),
          record,
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    }),
  );

  app.post<{ Querystring: { name?: string } }>(
    "/providers/details",
    action(async (request, reply, signedIn) => {
      const name = String((request.query as { name?: string }).name ?? "");
      let record = await store.tryFindProvider(name);
      if (record === undefined) return notFound(reply, signedIn, name);
      const form = formOf(request);
      let values: ProviderFormValues = {
        ...providerValuesFromForm(form, record.kind),
        name: record.name,
        proxyFqdn: record.proxyFqdn,
      };
      const errors = new FormErrors(PROVIDER_FIELD_LABELS);
      checkReason(values.reason, errors);
      if (errors.empty) {
        try {
          const saved = await store.patchProvider(
            record.name,
            providerBodyOf(values, "edit"),
            values.revision === undefined ? {} : { ifMatch: [String(values.revision)] },
            writeContext(signedIn, values.reason),
          );
          signedIn.session.flash =
            saved.revision === values.revision
              ? `No change: provider "${saved.name}" already had these settings.`
              : `Saved provider "${saved.name}": communications ${saved.enabled ? "enabled" : "blocked (not enabled)"}.`;
          return reply.redirect("/providers", 303);
        } catch (error) {
          if (error instanceof PreconditionFailedError) {
            record = await store.tryFindProvider(name);
            if (record === undefined) return notFound(reply, signedIn, name);
            errors.add("", changedSinceMessage(`Provider "${record.name}"`, record));
            values = { ...values, revision: record.revision };
          } else if (!addStoreErrors(error, errors)) throw error;
        }
      }
      return sendPage(
        reply.code(errors.empty ? 200 : 400),
        renderProviderForm(frameOf(signedIn), {
          mode: "edit",
          values,
          errors,
          record,
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    }),
  );

  app.get<{ Querystring: { name?: string } }>(
    "/providers/delete",
    page(async (request, reply, signedIn) => {
      if (signedIn.principal.role !== "CsAdministrator") return forbidden(reply, signedIn);
      const name = String((request.query as { name?: string }).name ?? "");
      const record = await store.tryFindProvider(name);
      if (record === undefined) return notFound(reply, signedIn, name);
      return sendPage(reply, renderDeleteProvider(frameOf(signedIn), record, signedIn.session.csrfToken, ""));
    }),
  );

  app.post<{ Querystring: { name?: string } }>(
    "/providers/delete",
    action(async (request, reply, signedIn) => {
      const name = String((request.query as { name?: string }).name ?? "");
      const record = await store.tryFindProvider(name);
      if (record === undefined) return notFound(reply, signedIn, name);
      const form = formOf(request);
      const reason = textField(form, "reason");
      const revision = textField(form, "revision");
      const errors = new FormErrors({ reason: "Reason" });
      checkReason(reason, errors);
      if (errors.empty) {
        try {
          await store.deleteProvider(
            record.name,
            revision === "" ? {} : { ifMatch: [revision] },
            writeContext(signedIn, reason),
          );
          signedIn.session.flash = `Deleted provider "${record.name}".`;
          return reply.redirect("/providers", 303);
        } catch (error) {
          if (error instanceof NotFoundError) return notFound(reply, signedIn, name);
          if (!(error instanceof PreconditionFailedError)) throw error;
          const current = await store.tryFindProvider(name);
          if (current === undefined) return notFound(reply, signedIn, name);
          errors.add("", changedSinceMessage(`Provider "${current.name}"`, current));
          return sendPage(
            reply.code(409),
            renderDeleteProvider(frameOf(signedIn), current, signedIn.session.csrfToken, reason, errors),
          );
        }
      }
      return sendPage(
        reply.code(400),
        renderDeleteProvider(frameOf(signedIn), record, signedIn.session.csrfToken, reason, errors),
      );
    }),
  );

  app.get(
    "/federation",
    page(async (_request, reply, signedIn) => {
      const record = await store.getFederation();
      return sendPage(
        reply,
        renderFederationPage(frameOf(signedIn), record, {
          values: federationValuesOf(record),
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    }),
  );

  app.post(
    "/federation",
    action(async (request, reply, signedIn) => {
      let values = federationValuesFromForm(formOf(request));
      const errors = new FormErrors(FEDERATION_FIELD_LABELS);
      checkReason(values.reason, errors);
      if (errors.empty) {
        try {
          const saved = await store.patchFederation(
            { ...values.settings },
            values.revision === undefined ? {} : { ifMatch: [String(values.revision)] },
            writeContext(signedIn, values.reason),
          );
          signedIn.session.flash =
            saved.revision === values.revision
              ? "No change: the federation settings were already so."
              : `Saved the federation settings: federation is ${saved.enabled ? "enabled" : "disabled"}.`;
          return reply.redirect("/federation", 303);
        } catch (error) {
          if (error instanceof PreconditionFailedError) {
            const current = await store.getFederation();
            errors.add("", changedSinceMessage("The federation settings", current));
            values = { ...values, revision: current.revision };
          } else if (!addStoreErrors(error, errors)) throw error;
        }
      }
      return sendPage(
        reply.code(400),
        renderFederationPage(frameOf(signedIn), await store.getFederation(), {
          values,
          errors,
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    }),
  );

  app.get(
    "/audit",
    page(async (_request, reply, signedIn) =>
      sendPage(reply, renderAuditPage(frameOf(signedIn), await recentAudit.recent())),
    ),
  );
};

/**
 * The Control Panel for `buildServer({plugins})`: registers {@link controlPanelPlugin} in its
 * own encapsulated scope on the store's server.
 */
export function controlPanel(options: ControlPanelOptions): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(controlPanelPlugin, options);
  };
}

function sendPage(reply: FastifyReply, body: string) {
  return reply.type("text/html; charset=utf-8").send(body);
}

function formOf(request: FastifyRequest): FormBody {
  const body = request.body;
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as FormBody) : {};
}

// The session cookie is Secure when the page is served over https (behind a TLS proxy, set
// fastify's trustProxy so that request.protocol says so).
function cookieOptions(request: FastifyRequest) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "strict" as const,
    secure: request.protocol === "https",
  };
}

// Only the Control Panel's own pages are places to go after sign-in (no open redirect).
function safeNext(next: string | undefined): string {
  if (typeof next !== "string") return "/providers";
  return /^\/(providers|federation|audit)(\/[a-z]+)?(\?[A-Za-z0-9%._~=&+!()*'-]*)?$/.test(next)
    ? next
    : "/providers";
}

// The API checks the reason's length in its X-Imfed-Reason header; the Control Panel has no
// header, so it checks the same limit here before it writes.
function checkReason(reason: string, errors: FormErrors): void {
  if ([...reason.trim()].length > MAX_REASON_LENGTH) {
    errors.add("reason", `must be at most ${MAX_REASON_LENGTH} characters`);
  }
}

// The store's refusals become inline errors: validation details and conflicts at their fields.
function addStoreErrors(error: unknown, errors: FormErrors): boolean {
  if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) return false;
  if (error.details.length === 0) errors.add("", error.message);
  else if (error instanceof ConflictError && error.details.every((detail) => detail.path !== "proxyFqdn"))
    errors.add("", error.message);
  else for (const detail of error.details) errors.add(detail.path, detail.message);
  return true;
}

function changedSinceMessage(
  what: string,
  current: Pick<ProviderRecord, "revision" | "updatedBy" | "updatedVia" | "updatedAt" | "updateReason">,
): string {
  const reason = current.updateReason === null ? "" : `, reason: "${current.updateReason}"`;
  return `${what} changed after you opened this page (by ${current.updatedBy} via ${current.updatedVia} at ${current.updatedAt}${reason}). Nothing was saved. Your entries are kept below: check them against the current settings and Commit again.`;
}
