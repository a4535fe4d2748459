import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import { KINDS } from "../../core";
import type { ObjectStore } from "../object-store";
import type { TopologyStore } from "../topology-store";
import { renderAuditPage } from "./audit-page";
import { sendErrorPage } from "./error-pages";
import { AUDIT_PATH } from "./kind-paths";
import { objectRoutes } from "./object-routes";
import { PageHandlers } from "./page-handlers";
import { sendPage } from "./page-reply";
import { RecentAudit } from "./recent-audit";
import { SECURITY_HEADERS } from "./security-headers";
import type { SessionLimits } from "./session-store";
import { DEFAULT_SESSION_LIMITS, SessionStore } from "./session-store";
import { signInRoutes } from "./sign-in-routes";
import { SignedInSessions, frameOf } from "./signed-in-sessions";
import { CONTROL_PANEL_CSS } from "./styles";

export { SessionStore, DEFAULT_SESSION_LIMITS } from "./session-store";
export type { SessionLimits } from "./session-store";
export { SESSION_COOKIE } from "./signed-in-sessions";
export { escapeHtml, html } from "./html";

/** Options of the Control Panel plugin. */
export interface ControlPanelOptions {
  /** The store every page reads and every form writes through (with `via: "control-panel"`). */
  readonly store: TopologyStore;
  /** How long sessions live and how many a token keeps; default 8 hours idle, 24 hours at most, 100 per token. */
  readonly sessionLimits?: SessionLimits;
}

/**
 * The Control Panel (External User Access > Providers and Federation, and the audit log) as an
 * encapsulated fastify plugin: its form parser, cookies, security headers and error pages stay
 * inside it, so the API beside it still takes only JSON. Its pages are derived from the
 * resource kinds (one set of pages per kind in `KINDS`, see {@link objectRoutes}); it writes
 * through the store's {@link ObjectStore}, as the API does, with `via: "control-panel"`, so
 * validation and the audit log are shared. Its sessions live in the store's database
 * ({@link SessionStore}).
 */
export const controlPanelPlugin: FastifyPluginAsync<ControlPanelOptions> = async (app, options) => {
  const { store } = options;
  // Transitional: the store itself once TopologyStore implements ObjectStore.
  const objects: ObjectStore = store;
  const sessions = new SignedInSessions(
    new SessionStore(store.storeDatabase.db, options.sessionLimits ?? DEFAULT_SESSION_LIMITS),
    store,
  );
  const handlers = new PageHandlers(sessions);
  const recentAudit = new RecentAudit(store);

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);

  app.addHook("onSend", async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    return payload;
  });
  app.setErrorHandler(sendErrorPage);

  app.get("/control-panel.css", async (_request, reply) =>
    reply
      .type("text/css; charset=utf-8")
      .header("cache-control", "public, max-age=300")
      .send(CONTROL_PANEL_CSS),
  );
  signInRoutes(app, sessions, handlers);
  for (const kind of KINDS) objectRoutes(app, { objects, audit: store, sessions, handlers }, kind);
  app.get(
    AUDIT_PATH,
    handlers.page(async (_request, reply, signedIn) =>
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
