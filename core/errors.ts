import { z } from "zod";

/**
 * The error codes of the domain's failures, one per error class below. They are also the API
 * contract's codes for these failures; the codes of the transport itself (a malformed request,
 * a wrong method, a store that cannot serve now) belong to the HTTP layer (`store/http`) and
 * to the client, which speak HTTP.
 */
export const DOMAIN_ERROR_CODES = [
  "validation_failed",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "precondition_failed",
] as const;

/** One of the domain's error codes. */
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** One failed rule of a validation: the property path (dot-separated) and what is wrong there. */
export interface ValidationDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * The base of every error imfed raises on purpose. `code` is the API contract's error code:
 * a {@link DomainErrorCode} for the subclasses below, or a code of the layer that raised it
 * (the HTTP layer's `bad_request`, the client's `internal`).
 */
export class ImfedError extends Error {
  public readonly code: string;
  public readonly details: readonly ValidationDetail[];

  constructor(code: string, message: string, details: readonly ValidationDetail[] = []) {
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
