import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Fastify from "fastify";
import type { LoggerOptions } from "pino";
import type { ErrorCode } from "../../core";
import { ERROR_STATUS, ImfedError } from "../../core";
import type { TopologyStore } from "../topology-store";
import { registerOperability, requestIdOf } from "./operability";
import { badRequest, clientKindOf, reasonOf } from "./request-context";
import { registerApiRoutes } from "./routes";

/** The largest request body the API takes (DESIGN.md: "at most 64 KiB, else 413"). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Options of {@link buildServer}. */
export interface ServerOptions {
  readonly store: TopologyStore;
  /** pino options; `false` turns logging off. */
  readonly logger?: LoggerOptions | false;
  /** Registers further routes (the Control Panel) on the same server, after the API's. */
  readonly plugins?: readonly ((app: FastifyInstance) => void | Promise<void>)[];
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
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { ...options.logger, redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" } },
    bodyLimit: MAX_BODY_BYTES,
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: requestIdOf,
    // A URL the router cannot decode (a malformed percent-encoding) is a bad request, after
    // the token is checked as for any other API path.
    frameworkErrors: (error, request, reply) => {
      void (async () => {
        if (request.url.startsWith("/v1/")) await authenticate(store, request, false);
        throw badRequest(error.message);
      })().catch((failure: unknown) => sendError(failure as ImfedError, request, reply));
    },
    // A request Node's HTTP parser cannot read never reaches a route; it still gets the
    // contract's error body (and the connection is closed, as the request's end is unknown).
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return;
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
    await authenticate(store, request, access === "admin");
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
    if (request.url.startsWith("/v1/") || request.url === "/v1") await authenticate(store, request, false);
    return sendError(
      new ImfedError("not_found", `no such path: ${request.method} ${request.url.split("?")[0]}`),
      request,
      reply,
    );
  });

  registerApiRoutes(app, store);
  registerOperability(app, store);
  for (const plugin of options.plugins ?? []) await plugin(app);
  return app;
}

async function authenticate(
  store: TopologyStore,
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
  if (principal === undefined)
    throw new ImfedError("unauthorized", "the token is not valid: it is unknown or was revoked");
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

function contractError(error: FastifyError): ImfedError | undefined {
  if (error instanceof ImfedError) return error;
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
  return reply
    .code(ERROR_STATUS[known.code])
    .send({ error: { code: known.code, message: known.message, details: known.details } });
}
