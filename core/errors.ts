import { z } from "zod";
/**
 * The error codes of the store's HTTP API v1 (DESIGN.md, "Errors"), shared by the store, the
 * client, the provider and the CLI so that every layer speaks of a failure the same way.
 */
export const ERROR_CODES = [
  "bad_request",
  "validation_failed",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "precondition_failed",
  "payload_too_large",
  "unsupported_media_type",
  "too_many_requests",
  "internal",
  "unavailable",
] as const;

/** One of the error codes of the API contract. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status that carries each error code. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
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

/** One failed rule of a validation: the property path (dot-separated) and what is wrong there. */
export interface ValidationDetail {
  readonly path: string;
  readonly message: string;
}

/** The base of every error imfed raises on purpose; `code` is the API contract's error code. */
export class ImfedError extends Error {
  public readonly code: ErrorCode;
  public readonly details: readonly ValidationDetail[];

  constructor(code: ErrorCode, message: string, details: readonly ValidationDetail[] = []) {
    super(message);
    this.name = "ImfedError";
    this.code = code;
    this.details = details;
  }
}

/** A value broke a rule of the domain; `details` lists every failure with its property path. */
export class ValidationError extends ImfedError {
  constructor(message: string, details: readonly ValidationDetail[]) {
    super("validation_failed", message, details);
    this.name = "ValidationError";
  }
}

/** The object (or path) does not exist. */
export class NotFoundError extends ImfedError {
  constructor(message: string) {
    super("not_found", message);
    this.name = "NotFoundError";
  }
}

/** The write collides with the store: a taken name or proxyFqdn, or a change to a field that cannot change. */
export class ConflictError extends ImfedError {
  constructor(message: string, details: readonly ValidationDetail[] = []) {
    super("conflict", message, details);
    this.name = "ConflictError";
  }
}

/** An `If-Match` or `If-None-Match` precondition did not hold: the object changed since it was read. */
export class PreconditionFailedError extends ImfedError {
  constructor(message: string) {
    super("precondition_failed", message);
    this.name = "PreconditionFailedError";
  }
}

/** No token, or a token the store does not know (never issued, or revoked). */
export class UnauthorizedError extends ImfedError {
  constructor(message: string) {
    super("unauthorized", message);
    this.name = "UnauthorizedError";
  }
}

/** The token is valid but its role does not allow the request. */
export class ForbiddenError extends ImfedError {
  constructor(message: string) {
    super("forbidden", message);
    this.name = "ForbiddenError";
  }
}

/**
 * Makes the error an error code stands for, so that a caller can tell failures apart with
 * `instanceof` whichever side of the wire raised them.
 */
export function errorFromCode(
  code: ErrorCode,
  message: string,
  details: readonly ValidationDetail[] = [],
): ImfedError {
  switch (code) {
    case "validation_failed":
      return new ValidationError(message, details);
    case "not_found":
      return new NotFoundError(message);
    case "conflict":
      return new ConflictError(message, details);
    case "precondition_failed":
      return new PreconditionFailedError(message);
    case "unauthorized":
      return new UnauthorizedError(message);
    case "forbidden":
      return new ForbiddenError(message);
    default:
      return new ImfedError(code, message, details);
  }
}

/** Tells whether a string is one of the contract's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/** The error body of every failed request. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
/** The error body of every failed request. */
export type ErrorBody = z.infer<typeof errorBodySchema>;
