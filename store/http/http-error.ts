import type { DomainErrorCode } from "../../core";
import { ImfedError } from "../../core";

/** The error codes of the HTTP transport itself, beside the domain's (docs/api.md). */
export type TransportErrorCode =
  | "bad_request"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "too_many_requests"
  | "internal"
  | "unavailable";

/** Every error code the API v1 answers with. */
export type WireErrorCode = DomainErrorCode | TransportErrorCode;

/** The HTTP status that carries each error code. */
export const ERROR_STATUS: Readonly<Record<WireErrorCode, number>> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  // Too many failed authentications from the caller's address; the answer carries Retry-After.
  too_many_requests: 429,
  internal: 500,
  // The database cannot be reached; the answer carries Retry-After.
  unavailable: 503,
};

/** The HTTP status of an error code, or `undefined` for a code the API does not answer with. */
export function statusOf(code: string): number | undefined {
  return Object.hasOwn(ERROR_STATUS, code) ? ERROR_STATUS[code as WireErrorCode] : undefined;
}

/**
 * A failure of the request as HTTP (its JSON, a header, its method, its size), or of the
 * store's ability to serve it now; `retryAfterSeconds` becomes `Retry-After`.
 */
export class HttpError extends ImfedError {
  declare readonly code: TransportErrorCode;

  constructor(
    code: TransportErrorCode,
    message: string,
    public readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
    this.name = "HttpError";
  }
}

/** A 400 `bad_request`: the request is malformed (its JSON, query or a header). */
export function badRequest(message: string): HttpError {
  return new HttpError("bad_request", message);
}
