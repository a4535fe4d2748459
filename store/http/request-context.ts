import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiClientKind } from "../../core";
import { ImfedError, MAX_REASON_LENGTH, apiClientKindSchema } from "../../core";
import type { Preconditions, Principal, WriteContext } from "../topology-store";
import type { AuthFailureThrottle } from "./auth-failure-throttle";

/** Who may call a route: anyone, any valid token, or an administrator's token. */
export type Access = "public" | "read" | "admin";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route; `/v1` routes default to `read`. */
    access?: Access;
    /** The content types the route's body may have; a route without it takes no body. */
    bodyTypes?: readonly string[];
  }
  interface FastifyRequest {
    /** The caller, once the token was checked. */
    principal?: Principal;
  }
  interface FastifyInstance {
    /** The budget of failed authentications per client address, shared by the API and the Control Panel's sign-in. */
    authFailures: AuthFailureThrottle;
  }
}

/** A 400 `bad_request`: the request is malformed (its JSON, query or a header). */
export function badRequest(message: string): ImfedError {
  return new ImfedError("bad_request", message);
}

/** The authenticated caller of a request; every `/v1` route has one by the time its handler runs. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new ImfedError("unauthorized", "a token is required");
  return request.principal;
}

/** Reads one header as a single string (a repeated header is a bad request). */
function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (Array.isArray(value)) throw badRequest(`the ${name} header must be given once`);
  return value;
}

/**
 * What the API client says it is, from `X-Imfed-Client` (default `api`): a claim, recorded as
 * given. `control-panel` is refused: only the store's own Control Panel writes are recorded so.
 */
export function clientKindOf(request: FastifyRequest): ApiClientKind {
  const header = singleHeader(request, "x-imfed-client");
  if (header === undefined) return "api";
  if (header === "control-panel") {
    throw badRequest(
      'X-Imfed-Client "control-panel" is recorded only for the Control Panel\'s own writes, which the store makes itself; an API client sends "pulumi", "cli" or "api"',
    );
  }
  const parsed = apiClientKindSchema.safeParse(header);
  if (!parsed.success) {
    throw badRequest(`X-Imfed-Client must be "pulumi", "cli" or "api", not "${header.slice(0, 40)}"`);
  }
  return parsed.data;
}

/** Why, from `X-Imfed-Reason` (UTF-8 percent-encoded as by encodeURIComponent), or `null`. */
export function reasonOf(request: FastifyRequest): string | null {
  const header = singleHeader(request, "x-imfed-reason");
  if (header === undefined || header === "") return null;
  let reason: string;
  try {
    reason = decodeURIComponent(header);
  } catch {
    throw badRequest("X-Imfed-Reason must be UTF-8 percent-encoded, as encodeURIComponent does");
  }
  if ([...reason].length > MAX_REASON_LENGTH) {
    throw badRequest(`X-Imfed-Reason must be at most ${MAX_REASON_LENGTH} characters once decoded`);
  }
  // PostgreSQL's text cannot hold U+0000, so neither backend takes it (one contract for both).
  if (reason.includes("\u0000")) throw badRequest("X-Imfed-Reason must not contain U+0000 (%00)");
  return reason;
}

/** The who, how and why of a write request. */
export function writeContextOf(request: FastifyRequest): WriteContext {
  return { actor: principalOf(request).name, via: clientKindOf(request), reason: reasonOf(request) };
}

const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e]*)"$/;

// RFC 9110 section 13.1.1: If-Match uses the strong comparison, so a weak tag never matches.
function parseEntityTags(header: string, name: string): readonly string[] | "*" {
  if (header.trim() === "*") return "*";
  const tags: string[] = [];
  for (const part of header.split(",")) {
    const match = ENTITY_TAG.exec(part.trim());
    if (match === null) throw badRequest(`${name} must be * or a list of entity tags such as "12"`);
    if (match[1] === undefined) tags.push(match[2] ?? "");
  }
  return tags;
}

/** The preconditions of a write, from `If-Match` and `If-None-Match` (writes accept only `*` there). */
export function preconditionsOf(request: FastifyRequest): Preconditions {
  const ifMatch = singleHeader(request, "if-match");
  const ifNoneMatch = singleHeader(request, "if-none-match");
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== "*") {
    throw badRequest("on a write, If-None-Match must be * (create only if it does not exist)");
  }
  return {
    ...(ifMatch === undefined ? {} : { ifMatch: parseEntityTags(ifMatch, "If-Match") }),
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch: "*" as const }),
  };
}

/**
 * Answers a read with the object and its `ETag`, or 304 when the caller's `If-None-Match`
 * already names the current revision.
 */
export function sendWithEtag(
  request: FastifyRequest,
  reply: FastifyReply,
  body: { readonly revision: number },
  status = 200,
) {
  const etag = `"${body.revision}"`;
  reply.header("etag", etag);
  if (request.method === "GET") {
    const ifNoneMatch = singleHeader(request, "if-none-match");
    if (ifNoneMatch !== undefined) {
      const tags = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
      if (tags.includes("*") || tags.includes(etag)) return reply.code(304).send();
    }
  }
  return reply.code(status).send(body);
}
