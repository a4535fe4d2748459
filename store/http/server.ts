import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import Fastify from "fastify";
import type { LoggerOptions } from "pino";
import type { ImfedError } from "../../core";
import { NotFoundError } from "../../core";
import type { TopologyStore } from "../topology-store";
import { registerApiRoutes } from "./api-routes";
import type { AuthFailureLimits } from "./auth-failure-throttle";
import { AuthFailureThrottle, DEFAULT_AUTH_FAILURE_LIMITS } from "./auth-failure-throttle";
import { authenticate } from "./authenticate";
import { routingError, sendError } from "./error-handler";
import { HttpError } from "./http-error";
import { registerOperability, requestIdOf } from "./operability";
import { registerRequestContext } from "./request-context";
import { LOG_SERIALIZERS } from "./request-log";
import { RouteAccess } from "./route-access";
import type { WebhookPolicy } from "../events/webhook-url";
import type { TlsIdentity, TransportLimits } from "./transport";
import { DEFAULT_TRANSPORT_LIMITS, MAX_BODY_BYTES, createNodeServer } from "./transport";

/** Options of {@link buildServer}. */
export interface ServerOptions {
  readonly store: TopologyStore;
  /** pino options; `false` turns logging off. */
  readonly logger?: LoggerOptions | false;
  /** Registers further routes (the Control Panel) on the same server, after the API's. */
  readonly plugins?: readonly ((app: FastifyInstance) => void | Promise<void>)[];
  /** Timeouts and the connection limit; default {@link DEFAULT_TRANSPORT_LIMITS}. */
  readonly transport?: TransportLimits;
  /** Serve HTTPS with this certificate and key; plain HTTP without. */
  readonly tls?: TlsIdentity;
  /**
   * The proxies whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed: a comma-separated
   * list of addresses, CIDR ranges or the names `loopback`, `linklocal` and `uniquelocal`
   * (fastify's `trustProxy`, by proxy-addr). Without it, those headers are ignored.
   */
  readonly trustProxy?: string;
  /** The budget of failed authentications per client address; default {@link DEFAULT_AUTH_FAILURE_LIMITS}. */
  readonly authFailureLimits?: AuthFailureLimits;
  /** Where change events may be sent; default https to public addresses only. */
  readonly webhooks?: WebhookPolicy;
}

/**
 * Logger settings that keep secrets out of the logs: the request serializer logs no headers,
 * and these paths are redacted wherever a header object is logged all the same.
 */
export const LOG_REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "headers.cookie",
  "token",
  "*.token",
  "secret",
  "*.secret",
];

/**
 * Builds the store's HTTP server: the API v1 with authentication and roles, the contract's
 * transport rules and error bodies. The caller listens and closes it.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { store } = options;
  const transport = options.transport ?? DEFAULT_TRANSPORT_LIMITS;
  const authFailures = new AuthFailureThrottle(options.authFailureLimits ?? DEFAULT_AUTH_FAILURE_LIMITS);
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            ...options.logger,
            serializers: LOG_SERIALIZERS,
            redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" },
          },
    bodyLimit: MAX_BODY_BYTES,
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: requestIdOf,
    serverFactory: (handler) => createNodeServer(transport, options.tls, handler),
    // The server is made above; this only tells fastify to name https in its own log line.
    ...(options.tls === undefined ? {} : { https: {} }),
    trustProxy: options.trustProxy ?? false,
    // A URL the router cannot match or decode (a malformed percent-encoding, a name over the
    // length limit) is a bad request, after the token and its role are checked as for the
    // route the request was aimed at (the order of concerns of docs/api.md). The message never
    // quotes the path, which may be long.
    frameworkErrors: (error, request, reply) => {
      // No hook runs for such a request, so its common headers are set here.
      applyCommonHeaders(reply);
      reply.header("x-request-id", request.id);
      void (async () => {
        const access = routeAccess.accessOf(request.method, request.url);
        if (access !== "public") await authenticate(store, authFailures, request, access === "admin");
        throw routingError(error);
      })().catch((failure: unknown) => sendError(failure as ImfedError, request, reply));
    },
    // A request Node's HTTP parser cannot read never reaches a route; it still gets the
    // contract's error body (and the connection is closed, as the request's end is unknown).
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return;
      // The headers or the whole request did not arrive in time (TransportLimits): Node's own
      // answer, 408 and a closed connection, with no body for a client that is not reading.
      if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
        socket.end("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
      }
      const message =
        error.code === "HPE_HEADER_OVERFLOW"
          ? "the request's headers are too large"
          : "the request is not valid HTTP";
      const body = JSON.stringify({ error: { code: "bad_request", message, details: [] } });
      socket.end(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n" +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  const routeAccess = new RouteAccess(app);
  app.decorate("authFailures", authFailures);

  // Only JSON bodies are parsed (with fastify's parser, which refuses __proto__ and
  // constructor.prototype keys); any other content type is a 415 before the handler runs.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.addContentTypeParser(
    ["application/json", "application/merge-patch+json"],
    { parseAs: "string" },
    parseJson,
  );

  // Authentication and role come first of all concerns (docs/api.md).
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access ?? (request.url.startsWith("/v1/") ? "read" : "public");
    if (access === "public") return;
    await authenticate(store, authFailures, request, access === "admin");
  });

  // nosniff on every answer, and no-store on every answer that does not say otherwise: API
  // answers hold the topology, the audit log and, once, a token's secret, which no browser or
  // proxy cache should keep (OWASP ASVS 8.2.1). ETags still serve conditional requests.
  // The hooks that do not wait for anything take fastify's callback form: every request runs
  // them, and an async hook costs a promise and a turn of the microtask queue each time.
  app.addHook("onSend", (request, reply, payload, done) => {
    applyCommonHeaders(reply);
    done(null, payload);
  });

  // A body must have one of the route's content types; a route without body types ignores any body.
  app.addHook("preValidation", (request, reply, done) => {
    const types = request.routeOptions.config.bodyTypes;
    if (types === undefined) return done();
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!types.includes(contentType)) {
      return done(
        new HttpError(
          "unsupported_media_type",
          `send the body as ${types.join(" or ")} (Content-Type), not "${contentType || "none"}"`,
        ),
      );
    }
    done();
  });

  // The headers of every API request are parsed once, before the object is looked up.
  registerRequestContext(app);

  app.setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith("/v1/") || request.url === "/v1")
      await authenticate(store, authFailures, request, false);
    return sendError(
      new NotFoundError(`no such path: ${request.method} ${request.url.split("?")[0]}`),
      request,
      reply,
    );
  });

  registerApiRoutes(app, store, options.webhooks);
  registerOperability(app, store, authFailures);
  for (const plugin of options.plugins ?? []) await plugin(app);
  return app;
}

function applyCommonHeaders(reply: FastifyReply): void {
  reply.header("x-content-type-options", "nosniff");
  if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
}
