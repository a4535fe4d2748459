import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from "fastify";
import type { FederationRecord, ProviderKind, ProviderRecord } from "../../core";
import {
  NotFoundError,
  PreconditionFailedError,
  mergeProviderPatch,
  providerKindSchema,
  providerNameKey,
  imProviderKind,
} from "../../core";
import { logThrottled } from "../http/auth-failure-throttle";
import { hashToken } from "../tokens";
import type { Principal, TopologyStore, WriteContext } from "../topology-store";
import { reasonProblems, specOf } from "../topology-store";
import { renderAuditPage } from "./audit-page";
import { findChangesSince, renderChangesSince } from "./changes-since";
import type { EditOutcome, EditTarget } from "./commit-edit";
import { addStoreErrors, commitEdit } from "./commit-edit";
import { FEDERATION_FORM_FIELDS, federationValuesOf, renderFederationPage } from "./federation-page";
import type { FormBody } from "./form-fields";
import { FormErrors, textField } from "./form-fields";
import type { PageFrame } from "./layout";
import { renderMessagePage } from "./message-page";
import type { FormValues } from "./object-form";
import { bodyOf, labelsOf, readPostedEdit, readValue } from "./object-form";
import {
  newProviderValues,
  providerFormFields,
  providerValuesOf,
  renderDeleteProvider,
  renderProviderForm,
  renderProviderView,
  renderProvidersPage,
} from "./provider-pages";
import { RecentAudit } from "./recent-audit";
import { SECURITY_HEADERS } from "./security-headers";
import type { Flash, Session, SessionLimits } from "./session-store";
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
  /** How long sessions live and how many a token keeps; default 8 hours idle, 24 hours at most, 100 per token. */
  readonly sessionLimits?: SessionLimits;
}

/** The session cookie: a random id, HttpOnly and SameSite=Strict; the token stays on the server. */
export const SESSION_COOKIE = "imfed_session";
// The sign-in form has no session yet: its CSRF token is a double-submit cookie.
const SIGN_IN_COOKIE = "imfed_sign_in";

/** A signed-in request: its session, the token's principal, and the message a page shows once. */
interface SignedIn {
  readonly session: Session;
  readonly principal: Principal;
  readonly flash?: Flash;
}

type Handler = (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) => Promise<unknown>;

/**
 * The Control Panel (External User Access > Providers and Federation, and the audit log) as an
 * encapsulated fastify plugin: its form parser, cookies, security headers and error pages stay
 * inside it, so the API beside it still takes only JSON. It writes through the same
 * {@link TopologyStore} methods as the API, with `via: "control-panel"`, so validation and the
 * audit log are shared. Its sessions live in the store's database ({@link SessionStore}).
 */
export const controlPanelPlugin: FastifyPluginAsync<ControlPanelOptions> = async (app, options) => {
  const { store } = options;
  const db = store.storeDatabase.db;
  const sessions = new SessionStore(db, options.sessionLimits ?? DEFAULT_SESSION_LIMITS);
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

  // The session of a request, if its token still works: a revoked token ends the session at once
  // (its sessions are also deleted with it, in the revoking transaction).
  async function trySignedIn(request: FastifyRequest): Promise<SignedIn | undefined> {
    const session = await sessions.tryFind(request.cookies[SESSION_COOKIE]);
    if (session === undefined) return undefined;
    const principal = await store.authenticateHash(session.tokenHash);
    if (principal === undefined) {
      await sessions.end(session);
      return undefined;
    }
    return { session, principal };
  }

  function frameOf(signedIn: SignedIn): PageFrame {
    return {
      title: "",
      principal: signedIn.principal,
      csrfToken: signedIn.session.csrfToken,
      ...(signedIn.flash === undefined ? {} : { flash: signedIn.flash }),
    };
  }

  async function flash(signedIn: SignedIn, kind: Flash["kind"], text: string): Promise<void> {
    await sessions.setFlash(signedIn.session, { kind, text });
  }

  /** A page for any signed-in token, which shows the session's message once; without a session, the sign-in page. */
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
      const message = signedIn.session.flash;
      if (message === undefined) return handler(request, reply, signedIn);
      await sessions.clearFlash(signedIn.session);
      return handler(request, reply, { ...signedIn, flash: message });
    };

  /**
   * A form post: a session, then a same-site request (a browser's `Sec-Fetch-Site`) with the
   * CSRF token of the session in `_csrf` (403 without it), then, unless `anyRole`, the
   * administrator role (403 for a view-only token): the server refuses a view-only token's
   * writes even though its pages show no edit controls.
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
      const given = textField(formOf(request), "_csrf");
      if (crossSite(request) || given === "" || !sameSecret(given, signedIn.session.csrfToken)) {
        return sendPage(
          reply.code(403),
          renderMessagePage(
            { ...frameOf(signedIn), title: "Refused" },
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

  // A page that only makes sense for changes (New, Delete), opened with a view-only token.
  function viewOnly(reply: FastifyReply, signedIn: SignedIn) {
    return sendPage(
      reply.code(403),
      renderMessagePage(
        { ...frameOf(signedIn), title: "View only" },
        "You can only view",
        `You are signed in with the token "${signedIn.principal.name}", of the role ${signedIn.principal.role}: it can view the providers, the federation settings and the audit log, but not change them. To make changes, sign out and sign in with a CsAdministrator token.`,
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

  function writeContext(signedIn: SignedIn, reason: string | null): WriteContext {
    return { actor: signedIn.principal.name, via: "control-panel", reason };
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
    // Another site's form (Sec-Fetch-Site: cross-site) is refused here as at every other form.
    if (crossSite(request) || expected === undefined || given === "" || !sameSecret(given, expected)) {
      return sendPage(
        reply.code(403),
        renderMessagePage(
          { title: "Refused" },
          "The form was refused",
          "The sign-in form came from another site, or its security token is missing or out of date. Open the sign-in page again.",
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
    await sessions.delete(request.cookies[SESSION_COOKIE]);
    const { id } = await sessions.create(hashToken(token));
    reply.clearCookie(SIGN_IN_COOKIE, cookieOptions(request));
    reply.setCookie(SESSION_COOKIE, id, cookieOptions(request));
    return reply.redirect(next, 303);
  });

  app.post(
    "/sign-out",
    action(async (request, reply, signedIn) => {
      await sessions.end(signedIn.session);
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
      if (signedIn.principal.role !== "CsAdministrator") return viewOnly(reply, signedIn);
      const kind = providerKindSchema.safeParse((request.query as { kind?: string }).kind);
      if (!kind.success) {
        await flash(signedIn, "problem", "Choose New > Public or New > Hosted to add a provider.");
        return reply.redirect("/providers", 303);
      }
      return sendPage(
        reply,
        renderProviderForm(frameOf(signedIn), {
          mode: "create",
          kind: kind.data,
          values: newProviderValues(kind.data),
          reason: "",
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    }),
  );

  app.post(
    "/providers/new",
    action(async (request, reply, signedIn) => {
      const form = formOf(request);
      const parsedKind = providerKindSchema.safeParse(textField(form, "kind"));
      const kind: ProviderKind = parsedKind.success ? parsedKind.data : "public";
      const fields = providerFormFields(kind, "create");
      const values: FormValues = Object.fromEntries(
        fields.map((field) => [field.name, readValue(field, form)]),
      );
      const reason = textField(form, "reason");
      const errors = new FormErrors(labelsOf(fields));
      const refuse = (status: number) =>
        sendPage(
          reply.code(status),
          renderProviderForm(frameOf(signedIn), {
            mode: "create",
            kind,
            values,
            reason,
            errors,
            csrfToken: signedIn.session.csrfToken,
          }),
        );
      if (!parsedKind.success)
        errors.add("", 'The kind must be "public" or "hosted": open New > Public or Hosted again.');
      // Every error of the form at once: the core schema, the reason, a taken name and a taken
      // Access Edge; then the write, with If-None-Match so that a name taken meanwhile is refused.
      const body = { ...bodyOf(fields, values, "omit"), kind };
      const parsed = imProviderKind.validate(body);
      if (!parsed.ok) for (const detail of parsed.details) errors.add(detail.path, detail.message);
      for (const detail of reasonProblems(reasonOf(reason))) errors.add(detail.path, detail.message);
      const providers = await store.listProviders();
      const sameName = providers.find(
        (provider) => providerNameKey(provider.name) === providerNameKey(values.name ?? ""),
      );
      if (sameName !== undefined) errors.add("name", takenNameMessage(sameName));
      const proxyFqdn = parsed.ok ? parsed.value.proxyFqdn : undefined;
      const sameEdge = providers.find((provider) => provider.proxyFqdn === proxyFqdn);
      if (sameEdge !== undefined) errors.add("proxyFqdn", `is used by provider "${sameEdge.name}"`);
      if (!errors.empty) return refuse(400);
      try {
        const { record } = await store.putProvider(
          values.name ?? "",
          body,
          { ifNoneMatch: "*" },
          writeContext(signedIn, reasonOf(reason)),
        );
        await flash(
          signedIn,
          "success",
          `Created ${record.kind} provider "${record.name}" (${record.enabled ? "enabled" : "not enabled"}).`,
        );
        return reply.redirect("/providers", 303);
      } catch (error) {
        if (error instanceof PreconditionFailedError) {
          const taken = await store.tryFindProvider(values.name ?? "");
          errors.add("name", taken === undefined ? "is taken" : takenNameMessage(taken));
        } else if (!addStoreErrors(error, errors)) throw error;
        return refuse(400);
      }
    }),
  );

  app.get<{ Querystring: { name?: string } }>(
    "/providers/details",
    page(async (request, reply, signedIn) => {
      const name = (request.query as { name?: string }).name;
      if (typeof name !== "string" || name === "") {
        await flash(signedIn, "problem", "Select a provider in the table first, then Edit > Show details.");
        return reply.redirect("/providers", 303);
      }
      const record = await store.tryFindProvider(name);
      if (record === undefined) return notFound(reply, signedIn, name);
      const frame = frameOf(signedIn);
      if (signedIn.principal.role !== "CsAdministrator")
        return sendPage(reply, renderProviderView(frame, record));
      const values = providerValuesOf(record);
      return sendPage(
        reply,
        renderProviderForm(frame, {
          mode: "edit",
          kind: record.kind,
          values,
          opened: values,
          revision: record.revision,
          reason: "",
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
      const record = await store.tryFindProvider(name);
      if (record === undefined) return notFound(reply, signedIn, name);
      const form = formOf(request);
      const fields = providerFormFields(record.kind, "edit");
      const reason = textField(form, "reason");
      const context = writeContext(signedIn, reasonOf(reason));
      const target: EditTarget<ProviderRecord> = {
        fields,
        auditTarget: `provider/${record.name}`,
        what: `Provider "${record.name}"`,
        valuesOf: providerValuesOf,
        validate: (current, body) => {
          const parsed = imProviderKind.validate({
            ...mergeProviderPatch(specOf(current), body),
            name: current.name,
          });
          return parsed.ok ? [] : parsed.details;
        },
        write: (body, revision) =>
          store.patchProvider(record.name, body, { ifMatch: [String(revision)] }, context),
        refetch: () => store.tryFindProvider(record.name),
      };
      const outcome = await commitEdit(db, target, record, readPostedEdit(fields, form), context.reason);
      if (outcome.kind === "gone") return notFound(reply, signedIn, name);
      if (outcome.kind === "saved") {
        const saved = outcome.record;
        await flash(
          signedIn,
          "success",
          outcome.changed
            ? `Saved provider "${saved.name}": communications ${saved.enabled ? "enabled" : "blocked (not enabled)"}.`
            : `No change: provider "${saved.name}" already had these settings.`,
        );
        return reply.redirect("/providers", 303);
      }
      const { state } = outcome;
      return sendPage(
        reply.code(outcome.status),
        renderProviderForm(frameOf(signedIn), {
          mode: "edit",
          kind: state.record.kind,
          record: state.record,
          values: state.values,
          opened: state.opened,
          revision: state.revision,
          conflicts: state.conflicts,
          errors: state.errors,
          changed: state.changed,
          reason,
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    }),
  );

  app.get<{ Querystring: { name?: string } }>(
    "/providers/delete",
    page(async (request, reply, signedIn) => {
      if (signedIn.principal.role !== "CsAdministrator") return viewOnly(reply, signedIn);
      const name = String((request.query as { name?: string }).name ?? "");
      const record = await store.tryFindProvider(name);
      if (record === undefined) return notFound(reply, signedIn, name);
      return sendPage(
        reply,
        renderDeleteProvider(frameOf(signedIn), {
          record,
          reason: "",
          csrfToken: signedIn.session.csrfToken,
        }),
      );
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
      const given = Number(textField(form, "revision"));
      const openedAt = Number.isSafeInteger(given) ? given : 0;
      const errors = new FormErrors({ reason: "Reason" });
      for (const detail of reasonProblems(reasonOf(reason))) errors.add(detail.path, detail.message);
      // A provider that changed since the confirmation was opened is not deleted: the page
      // shows what changed and its settings now, and the user confirms again.
      const refuseChanged = async (current: ProviderRecord) => {
        errors.add(
          "",
          `Provider "${current.name}" changed after you opened this page, so it was not deleted. Its settings now are below: check them, then delete it again if you still mean to.`,
        );
        const changes = await findChangesSince(db, `provider/${current.name}`, openedAt);
        return sendPage(
          reply.code(409),
          renderDeleteProvider(frameOf(signedIn), {
            record: current,
            reason,
            errors,
            changed: renderChangesSince({
              fields: providerFormFields(current.kind, "edit"),
              changes,
              current,
            }),
            csrfToken: signedIn.session.csrfToken,
          }),
        );
      };
      if (!errors.empty) {
        return sendPage(
          reply.code(400),
          renderDeleteProvider(frameOf(signedIn), {
            record,
            reason,
            errors,
            csrfToken: signedIn.session.csrfToken,
          }),
        );
      }
      if (openedAt !== record.revision) return refuseChanged(record);
      try {
        await store.deleteProvider(
          record.name,
          { ifMatch: [String(openedAt)] },
          writeContext(signedIn, reasonOf(reason)),
        );
        await flash(signedIn, "success", `Deleted provider "${record.name}".`);
        return reply.redirect("/providers", 303);
      } catch (error) {
        if (error instanceof NotFoundError) return notFound(reply, signedIn, name);
        if (!(error instanceof PreconditionFailedError)) throw error;
        const current = await store.tryFindProvider(name);
        return current === undefined ? notFound(reply, signedIn, name) : refuseChanged(current);
      }
    }),
  );

  app.get(
    "/federation",
    page(async (_request, reply, signedIn) => {
      const record = await store.getFederation();
      const values = federationValuesOf(record);
      return sendPage(
        reply,
        renderFederationPage(frameOf(signedIn), record, {
          values,
          opened: values,
          revision: record.revision,
          reason: "",
          csrfToken: signedIn.session.csrfToken,
        }),
      );
    }),
  );

  app.post(
    "/federation",
    action(async (request, reply, signedIn) => {
      const form = formOf(request);
      const reason = textField(form, "reason");
      const context = writeContext(signedIn, reasonOf(reason));
      const target: EditTarget<FederationRecord> = {
        fields: FEDERATION_FORM_FIELDS,
        auditTarget: "federation",
        what: "The federation settings",
        valuesOf: federationValuesOf,
        validate: () => [],
        write: (body, revision) => store.patchFederation(body, { ifMatch: [String(revision)] }, context),
        refetch: () => store.getFederation(),
      };
      const record = await store.getFederation();
      const outcome: EditOutcome<FederationRecord> = await commitEdit(
        db,
        target,
        record,
        readPostedEdit(FEDERATION_FORM_FIELDS, form),
        context.reason,
      );
      if (outcome.kind === "saved") {
        await flash(
          signedIn,
          "success",
          outcome.changed
            ? `Saved the federation settings: federation is ${outcome.record.enabled ? "enabled" : "disabled"}.`
            : "No change: the federation settings were already so.",
        );
        return reply.redirect("/federation", 303);
      }
      if (outcome.kind === "gone") throw new Error("the federation settings cannot be gone");
      const { state } = outcome;
      return sendPage(
        reply.code(outcome.status),
        renderFederationPage(frameOf(signedIn), state.record, {
          values: state.values,
          opened: state.opened,
          revision: state.revision,
          conflicts: state.conflicts,
          errors: state.errors,
          changed: state.changed,
          reason,
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

// A browser says where a request comes from (Fetch Metadata, https://www.w3.org/TR/fetch-metadata/):
// a form posted from another site is refused whatever it carries. Clients that send no
// Sec-Fetch-Site (older browsers, scripts) are held to the CSRF token alone.
function crossSite(request: FastifyRequest): boolean {
  return request.headers["sec-fetch-site"] === "cross-site";
}

// The reason of a write as the store records it: trimmed, and none when empty.
function reasonOf(reason: string): string | null {
  const trimmed = reason.trim();
  return trimmed === "" ? null : trimmed;
}

// A taken name names the provider as it is stored ("Yahoo!"), not as it was typed ("yahoo!").
function takenNameMessage(existing: ProviderRecord): string {
  return `is taken: a provider named "${existing.name}" already exists (names are compared ignoring case). Edit it instead, or choose another name.`;
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
