import type { FastifyRequest } from "fastify";
import { ForbiddenError, UnauthorizedError } from "../../core";
import type { TopologyStore } from "../topology-store";
import type { AuthFailureThrottle } from "./auth-failure-throttle";
import { logThrottled } from "./auth-failure-throttle";
import { HttpError } from "./http-error";

/**
 * Authenticates a request by the token of its `Authorization: Bearer` header and sets its
 * principal; with `adminOnly`, the token must be a CsAdministrator's. Only a token that fails
 * counts against its address's budget, so a valid token is served whatever its address did.
 */
export async function authenticate(
  store: TopologyStore,
  authFailures: AuthFailureThrottle,
  request: FastifyRequest,
  adminOnly: boolean,
): Promise<void> {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer +(\S+) *$/i.exec(header) : null;
  if (match?.[1] === undefined) {
    throw new UnauthorizedError(
      'send a token as "Authorization: Bearer <token>" (imfed serve printed the admin token at its first start)',
    );
  }
  const principal = await store.authenticate(match[1]);
  if (principal === undefined) {
    const verdict = authFailures.recordFailure(request.ip);
    if (verdict.throttled) {
      if (verdict.first) logThrottled(request.log, verdict, authFailures.limits);
      throw new HttpError(
        "too_many_requests",
        `the token is not valid (unknown or revoked), and too many invalid tokens came from this address (over ${authFailures.limits.failures} in ${authFailures.limits.windowMs / 1000} s); check the token and try again in ${verdict.retryAfterSeconds} s`,
        verdict.retryAfterSeconds,
      );
    }
    throw new UnauthorizedError("the token is not valid: it is unknown or was revoked");
  }
  request.principal = principal;
  if (adminOnly && principal.role !== "CsAdministrator") {
    throw new ForbiddenError(
      `the token "${principal.name}" has the role ${principal.role}, which may only read; this needs CsAdministrator`,
    );
  }
}
