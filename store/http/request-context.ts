import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiClientKind } from "../../core";
import { MAX_REASON_LENGTH, UnauthorizedError, apiClientKindSchema } from "../../core";
import type { Preconditions } from "../preconditions";
import type { Principal } from "../token-registry";
import type { WriteContext } from "../write-context";
import type { AuthFailureThrottle } from "./auth-failure-throttle";
import { HttpError, badRequest } from "./http-error";

/** Who may call a route: anyone, any valid token, or an administrator's token. */
export type Access = "public" | "read" | "admin";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call the route; `/v1` routes default to `read`. */
    access?: Access;
    /** The content types the route's body may have; a route without it takes no body. */
    bodyTypes?: readonly string[];
    /** The route is a write of an object, which takes `If-Match` and `If-None-Match: *`. */
    preconditions?: true;
  }
  interface FastifyRequest {
    /** The caller, once the token was checked. */
    principal?: Principal;
    /** The API request's headers, parsed once before its handler runs. */
    apiContext?: RequestContext;
  }
  interface FastifyInstance {
    /** The budget of failed authentications per client address, shared by the API and the Control Panel's sign-in. */
    authFailures: AuthFailureThrottle;
  }
}

/** What the headers of an API request say, parsed once per request ({@link registerRequestContext}). */
export interface RequestContext {
  /** What the client says it is (`X-Imfed-Client`, default `api`). */
  readonly via: ApiClientKind;
  /** Why (`X-Imfed-Reason`, decoded), or `null`. */
  readonly reason: string | null;
  /** `If-Match` and `If-None-Match`, on a route that takes preconditions; else none. */
  readonly preconditions: Preconditions;
}

const NO_PRECONDITIONS: Preconditions = Object.freeze({});

/**
 * Parses the headers of every API request (under `/v1/`) into its {@link RequestContext}, once,
 * before its handler runs and before the object is looked up, so that a malformed header is a
 * 400 whatever the object's state; handlers read it with {@link writeContextOf} and
 * {@link preconditionsOf}.
 */
export function registerRequestContext(app: FastifyInstance): void {
  // A callback hook: every API request runs it, and it waits for nothing.
  app.addHook("preHandler", (request, reply, done) => {
    if (!request.url.startsWith("/v1/")) return done();
    try {
      request.apiContext = {
        via: clientKindOf(request),
        reason: reasonOf(request),
        preconditions: request.routeOptions.config.preconditions
          ? parsePreconditions(request)
          : NO_PRECONDITIONS,
      };
    } catch (error) {
      return done(error as Error);
    }
    done();
  });
}

/** The authenticated caller of a request; every `/v1` route has one by the time its handler runs. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new UnauthorizedError("a token is required");
  return request.principal;
}

/** The who, how and why of a write request. */
export function writeContextOf(request: FastifyRequest): WriteContext {
  const context = contextOf(request);
  return { actor: principalOf(request).name, via: context.via, reason: context.reason };
}

/** The preconditions of a write, from `If-Match` and `If-None-Match`. */
export function preconditionsOf(request: FastifyRequest): Preconditions {
  return contextOf(request).preconditions;
}

function contextOf(request: FastifyRequest): RequestContext {
  if (request.apiContext === undefined)
    throw new HttpError("internal", "the request's headers were not read");
  return request.apiContext;
}

/** Reads one header as a single string (a repeated header is a bad request). */
export function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (Array.isArray(value)) throw badRequest(`the ${name} header must be given once`);
  return value;
}

// What the API client says it is, from X-Imfed-Client (default api): a claim, recorded as given.
// control-panel is refused: only the store's own Control Panel writes are recorded so.
function clientKindOf(request: FastifyRequest): ApiClientKind {
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

// Why, from X-Imfed-Reason (UTF-8 percent-encoded as by encodeURIComponent), or null.
function reasonOf(request: FastifyRequest): string | null {
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

// A write's preconditions, from If-Match and If-None-Match (writes accept only * there).
function parsePreconditions(request: FastifyRequest): Preconditions {
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
