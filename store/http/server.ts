import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Fastify from "fastify";
import type { LoggerOptions } from "pino";
import type { ErrorCode } from "../../core";
import { ERROR_STATUS, ImfedError } from "../../core";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/database-unavailable";
import type { TopologyStore } from "../topology-store";
import type { AuthFailureLimits } from "./auth-failure-throttle";
import { AuthFailureThrottle, DEFAULT_AUTH_FAILURE_LIMITS, logThrottled } from "./auth-failure-throttle";
import { registerOperability, requestIdOf } from "./operability";
import { badRequest, clientKindOf, reasonOf } from "./request-context";
import { LOG_SERIALIZERS } from "./request-log";
import { RouteAccess } from "./route-access";
import { registerApiRoutes } from "./routes";
import type { TlsIdentity, TransportLimits } from "./transport";
import { DEFAULT_TRANSPORT_LIMITS, createNodeServer } from "./transport";

/** The largest request body the API takes (DESIGN.md: "at most 64 KiB, else 413"). */
export const MAX_BODY_BYTES = 64 * 1024;

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
}

// A failure the client may repeat later: the answer carries Retry-After.
class RetryLaterError extends ImfedError {
  constructor(
    code: ErrorCode,
    message: string,
    public readonly retryAfterSeconds: number,
  ) {
    super(code, message);
    this.name = "RetryLaterError";
  }
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
    // route the request was aimed at (DESIGN.md's order of concerns). The message never
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

  // Authentication and role come first of all concerns (DESIGN.md, "Errors").
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access ?? (request.url.startsWith("/v1/") ? "read" : "public");
    if (access === "public") return;
    await authenticate(store, authFailures, request, access === "admin");
  });

  // nosniff on every answer, and no-store on every answer that does not say otherwise: API
  // answers hold the topology, the audit log and, once, a token's secret, which no browser or
  // proxy cache should keep (OWASP ASVS 8.2.1). ETags still serve conditional requests.
  app.addHook("onSend", async (request, reply, payload) => {
    applyCommonHeaders(reply);
    return payload;
  });

  // A body must have one of the route's content types; a route without body types ignores any body.
  app.addHook("preValidation", async (request) => {
    const types = request.routeOptions.config.bodyTypes;
    if (types === undefined) return;
    const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!types.includes(contentType)) {
      throw new ImfedError(
        "unsupported_media_type",
        `send the body as ${types.join(" or ")} (Content-Type), not "${contentType || "none"}"`,
      );
    }
  });

  // X-Imfed-Client and X-Imfed-Reason are checked on every API request, before the object is
  // looked up, so that a malformed header is a 400 whatever the object's state.
  app.addHook("preHandler", async (request) => {
    if (!request.url.startsWith("/v1/")) return;
    clientKindOf(request);
    reasonOf(request);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith("/v1/") || request.url === "/v1")
      await authenticate(store, authFailures, request, false);
    return sendError(
      new ImfedError("not_found", `no such path: ${request.method} ${request.url.split("?")[0]}`),
      request,
      reply,
    );
  });

  registerApiRoutes(app, store);
  registerOperability(app, store, authFailures);
  for (const plugin of options.plugins ?? []) await plugin(app);
  return app;
}

function applyCommonHeaders(reply: FastifyReply): void {
  reply.header("x-content-type-options", "nosniff");
  if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
}

// The token of the Authorization header is checked first; only a token that fails counts
// against its address's budget, so a valid token is served whatever its address did.
async function authenticate(
  store: TopologyStore,
  authFailures: AuthFailureThrottle,
  request: FastifyRequest,
  adminOnly: boolean,
): Promise<void> {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer +(\S+) *$/i.exec(header) : null;
  if (match?.[1] === undefined) {
    throw new ImfedError(
      "unauthorized",
      'send a token as "Authorization: Bearer <token>" (imfed serve printed the admin token at its first start)',
    );
  }
  const principal = await store.authenticate(match[1]);
  if (principal === undefined) {
    const verdict = authFailures.recordFailure(request.ip);
    if (verdict.throttled) {
      if (verdict.first) logThrottled(request.log, verdict, authFailures.limits);
      throw new RetryLaterError(
        "too_many_requests",
        `the token is not valid (unknown or revoked), and too many invalid tokens came from this address (over ${authFailures.limits.failures} in ${authFailures.limits.windowMs / 1000} s); check the token and try again in ${verdict.retryAfterSeconds} s`,
        verdict.retryAfterSeconds,
      );
    }
    throw new ImfedError("unauthorized", "the token is not valid: it is unknown or was revoked");
  }
  request.principal = principal;
  if (adminOnly && principal.role !== "CsAdministrator") {
    throw new ImfedError(
      "forbidden",
      `the token "${principal.name}" has the role ${principal.role}, which may only read; this needs CsAdministrator`,
    );
  }
}

// Fastify's own transport errors, by their codes, as the contract's.
const FASTIFY_ERRORS: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
  FST_ERR_CTP_EMPTY_JSON_BODY: "bad_request",
  FST_ERR_CTP_INVALID_JSON_BODY: "bad_request",
};

// The router's own errors, as the contract's 400, without quoting the path.
function routingError(error: FastifyError): ImfedError {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
    return badRequest(
      "a name in the path is over 100 characters, longer than any name the store holds (provider names are at most 64)",
    );
  }
  if (error.code === "FST_ERR_BAD_URL") {
    return badRequest(
      "the path holds a malformed percent-encoding: encode names as encodeURIComponent does (a % followed by two hex digits of UTF-8)",
    );
  }
  return badRequest("the request's path could not be read; check its encoding");
}

function contractError(error: FastifyError): ImfedError | undefined {
  if (error instanceof ImfedError) return error;
  if (isDatabaseUnavailable(error)) {
    return new RetryLaterError(
      "unavailable",
      `the store's database cannot be reached now; try again in ${DATABASE_RETRY_AFTER_SECONDS} s (GET /readyz says when it is back). A write answered so may or may not have been applied: read the object to see`,
      DATABASE_RETRY_AFTER_SECONDS,
    );
  }
  const code = FASTIFY_ERRORS[error.code];
  if (code === "unsupported_media_type") {
    return new ImfedError(code, "send the body as application/json (Content-Type)");
  }
  if (code === "payload_too_large")
    return new ImfedError(code, `the body must be at most ${MAX_BODY_BYTES} bytes`);
  if (code !== undefined || error instanceof SyntaxError) {
    return badRequest(`the body is not valid JSON: ${error.message}`);
  }
  // Another client error fastify raised itself, such as a malformed percent-encoding in the URL.
  if (error.statusCode === 400) return badRequest(error.message);
  return undefined;
}

// The one error handler: the contract's error body for every known failure, a bare 500 for
// anything else, with the details in the log only.
function sendError(error: FastifyError | ImfedError, request: FastifyRequest, reply: FastifyReply) {
  const known = contractError(error as FastifyError);
  if (known === undefined) {
    request.log.error({ err: error }, "request failed");
    return reply.code(500).send({
      error: {
        code: "internal",
        message: `internal error; the store's log has the details (request ${request.id})`,
        details: [],
      },
    });
  }
  if (ERROR_STATUS[known.code] >= 500) request.log.error({ err: error }, "request failed");
  if (known instanceof RetryLaterError) reply.header("retry-after", String(known.retryAfterSeconds));
  return reply
    .code(ERROR_STATUS[known.code])
    .send({ error: { code: known.code, message: known.message, details: known.details } });
}
