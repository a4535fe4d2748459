import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ImfedError } from "../../core";
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../db/database-unavailable";
import type { TransportErrorCode } from "./http-error";
import { HttpError, badRequest, statusOf } from "./http-error";
import { MAX_BODY_BYTES } from "./transport";

// Fastify's own transport errors, by their codes, as the contract's.
const FASTIFY_ERRORS: Readonly<Record<string, TransportErrorCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
  FST_ERR_CTP_EMPTY_JSON_BODY: "bad_request",
  FST_ERR_CTP_INVALID_JSON_BODY: "bad_request",
};

/** The router's own errors (a URL it cannot match or decode), as the contract's 400, without quoting the path. */
export function routingError(error: FastifyError): HttpError {
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

// The contract's error for a failure, with its status, or undefined for anything else.
function contractError(error: FastifyError | ImfedError): { error: ImfedError; status: number } | undefined {
  if (error instanceof ImfedError) {
    const status = statusOf(error.code);
    return status === undefined ? undefined : { error, status };
  }
  const known = transportError(error);
  return known === undefined ? undefined : { error: known, status: statusOf(known.code) ?? 500 };
}

function transportError(error: FastifyError): HttpError | undefined {
  if (isDatabaseUnavailable(error)) {
    return new HttpError(
      "unavailable",
      `the store's database cannot be reached now; try again in ${DATABASE_RETRY_AFTER_SECONDS} s (GET /readyz says when it is back). A write answered so may or may not have been applied: read the object to see`,
      DATABASE_RETRY_AFTER_SECONDS,
    );
  }
  const code = FASTIFY_ERRORS[error.code];
  if (code === "unsupported_media_type") {
    return new HttpError(code, "send the body as application/json (Content-Type)");
  }
  if (code === "payload_too_large")
    return new HttpError(code, `the body must be at most ${MAX_BODY_BYTES} bytes`);
  if (code !== undefined || error instanceof SyntaxError) {
    return badRequest(`the body is not valid JSON: ${error.message}`);
  }
  // Another client error fastify raised itself, such as a malformed percent-encoding in the URL.
  if (error.statusCode === 400) return badRequest(error.message);
  return undefined;
}

/**
 * The one error handler of the API: the contract's error body (`{"error": {"code", "message",
 * "details"}}`) with its status for every known failure, `Retry-After` where the client may
 * try again later, and a bare 500 for anything else, with the details in the log only.
 */
export function sendError(error: FastifyError | ImfedError, request: FastifyRequest, reply: FastifyReply) {
  const known = contractError(error);
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
  if (known.status >= 500) request.log.error({ err: error }, "request failed");
  if (known.error instanceof HttpError && known.error.retryAfterSeconds !== undefined)
    reply.header("retry-after", String(known.error.retryAfterSeconds));
  return reply
    .code(known.status)
    .send({ error: { code: known.error.code, message: known.error.message, details: known.error.details } });
}
