import type { ValidationDetail } from "../core";
import {
  ConflictError,
  ForbiddenError,
  ImfedError,
  NotFoundError,
  PreconditionFailedError,
  UnauthorizedError,
  ValidationError,
} from "../core";

type Make = (message: string, details: readonly ValidationDetail[]) => ImfedError;

const generic =
  (code: string): Make =>
  (message, details) =>
    new ImfedError(code, message, details);

// Every error code of the API v1 contract (docs/api.md): the domain's become the error
// classes of core/, so that a caller tells failures apart with `instanceof` whichever side of
// the wire raised them; the transport's stay an ImfedError with their code.
const WIRE_ERRORS: Readonly<Record<string, Make>> = {
  validation_failed: (message, details) => new ValidationError(message, details),
  unauthorized: (message) => new UnauthorizedError(message),
  forbidden: (message) => new ForbiddenError(message),
  not_found: (message) => new NotFoundError(message),
  conflict: (message, details) => new ConflictError(message, details),
  precondition_failed: (message) => new PreconditionFailedError(message),
  bad_request: generic("bad_request"),
  method_not_allowed: generic("method_not_allowed"),
  payload_too_large: generic("payload_too_large"),
  unsupported_media_type: generic("unsupported_media_type"),
  too_many_requests: generic("too_many_requests"),
  internal: generic("internal"),
  unavailable: generic("unavailable"),
};

/**
 * The error an error body of the contract stands for, by its code; `undefined` for a code the
 * contract does not have (an answer outside the contract).
 */
export function errorOfWireCode(
  code: string,
  message: string,
  details: readonly ValidationDetail[],
): ImfedError | undefined {
  return Object.hasOwn(WIRE_ERRORS, code) ? WIRE_ERRORS[code]?.(message, details) : undefined;
}
