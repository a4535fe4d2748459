import type { z } from "zod";
import type { ApiClientKind, AuditPage, CreatedToken, Decision, Role, TokenRecord } from "../core";
import {
  auditPageSchema,
  createdTokenSchema,
  decisionSchema,
  errorBodySchema,
  tokenRecordSchema,
} from "../core";
import type { RetryPolicy } from "./retry-policy";
import {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  isConnectionRefused,
  isRepeatable,
  isRetryableStatus,
} from "./retry-policy";
import { DEFAULT_ENDPOINT } from "./default-endpoint";
import { StoreUnavailableError } from "./store-unavailable-error";
import { errorOfWireCode } from "./wire-error";
import type { KindTransport, WriteOptions } from "./kind-client";
import { KindClient, itemsOf } from "./kind-client";
import type { KindDefinition, ResourceKind } from "../core/kinds";

export type { WriteOptions } from "./kind-client";

/** How a {@link StoreClient} reaches the store and names itself. */
export interface StoreClientOptions {
  /** The store's base URL, such as `http://127.0.0.1:7430`. */
  readonly endpoint: string;
  /** A bearer token (`imfed token create`); never logged, never part of an error message. */
  readonly token: string;
  /**
   * What the store records as `updatedVia` of every write (`X-Imfed-Client`); default `api`.
   * Only the Control Panel's own writes are recorded as `control-panel`.
   */
  readonly client?: ApiClientKind;
  /** How long one attempt may take, in milliseconds; default 10,000. */
  readonly timeoutMs?: number;
  /** When failed requests are repeated; see {@link RetryPolicy}. */
  readonly retry?: RetryPolicy;
  /** The fetch to use; default the global one (Node's undici, which keeps connections alive). */
  readonly fetch?: typeof fetch;
}

/** A page request of {@link StoreClient.listAudit}. */
export interface ListAuditOptions {
  /** The `seq` after which entries are listed; default 0 (from the start). */
  readonly after?: number;
  /** How many entries, 1 to 1000; default 100. */
  readonly limit?: number;
}

/** An incoming request as {@link StoreClient.evaluate} takes it. */
export interface EvaluateRequest {
  readonly provider: string;
  readonly assertion: "verified" | "unverified" | "none";
  readonly request: "presence" | "im";
  readonly senderInContacts?: boolean;
}

interface RequestInit {
  readonly body?: unknown;
  readonly write?: WriteOptions;
  /** Statuses that are answers, not errors (such as 404 for a `tryGet`). */
  readonly accept?: readonly number[];
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A typed client of the topology store's HTTP API v1. Every error body of the contract becomes
 * the error class of `core/` for its code (`NotFoundError`, `ConflictError`,
 * `PreconditionFailedError`, `ValidationError`, ...); a store that cannot be reached, or answers
 * outside the contract, is a {@link StoreUnavailableError}. Each attempt has a timeout; requests
 * that are safe to repeat are repeated with backoff (see {@link RetryPolicy}). Responses are
 * parsed with the record schemas of `core/`, keeping only the fields the contract names, so a
 * newer store that adds a field does not break an older client.
 */
export class StoreClient implements KindTransport {
  /** The store's base URL, without a trailing slash. */
  public readonly endpoint: string;
  readonly #token: string;
  readonly #client: ApiClientKind;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #fetch: typeof fetch;
  readonly #kinds = new Map<string, KindClient>();

  constructor(options: StoreClientOptions) {
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new StoreUnavailableError(
        `the store endpoint "${options.endpoint}" is not a URL, such as "${DEFAULT_ENDPOINT}"`,
      );
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new StoreUnavailableError(
        `the store endpoint "${options.endpoint}" must be an http or https URL`,
      );
    }
    this.endpoint = options.endpoint.replace(/\/+$/, "");
    this.#token = options.token;
    this.#client = options.client ?? "api";
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** The client of one resource kind's routes (made once per kind and kept). */
  kind<const D extends KindDefinition>(kind: ResourceKind<D>): KindClient<D> {
    let client = this.#kinds.get(kind.name);
    if (client === undefined) {
      client = new KindClient(kind as ResourceKind, this);
      this.#kinds.set(kind.name, client);
    }
    return client as unknown as KindClient<D>;
  }

  /**
   * Sends one request of the API with the token, the client kind, the preconditions and the
   * reason, repeating it where that is safe; answers the status and the parsed body, or throws
   * the error class of the contract's error code.
   */
  send(method: string, path: string, init: RequestInit = {}): Promise<Answer> {
    return this.#request(method, path, init);
  }

  /** `GET /healthz`: resolves when the store answers `{"status":"ok"}`. */
  async health(): Promise<void> {
    await this.#request("GET", "/healthz");
  }

  /** The store's decision for an incoming request (`POST /v1/evaluate`); repeated like a read. */
  async evaluate(request: EvaluateRequest): Promise<Decision> {
    const { body } = await this.#request("POST", "/v1/evaluate", { body: request });
    return parseWith(decisionSchema, body, "decision");
  }

  /** One page of the audit log, oldest first. */
  async listAudit(options: ListAuditOptions = {}): Promise<AuditPage> {
    const query = new URLSearchParams();
    if (options.after !== undefined) query.set("after", String(options.after));
    if (options.limit !== undefined) query.set("limit", String(options.limit));
    const suffix = query.size === 0 ? "" : `?${query.toString()}`;
    const { body } = await this.#request("GET", `/v1/audit${suffix}`);
    return parseWith(auditPageSchema, body, "audit page");
  }

  /** Creates a token; the answer holds its secret, shown this once. */
  async createToken(name: string, role: Role): Promise<CreatedToken> {
    const { body } = await this.#request("POST", "/v1/tokens", { body: { name, role } });
    return parseWith(createdTokenSchema, body, "token");
  }

  /** Every token, without secrets. */
  async listTokens(): Promise<TokenRecord[]> {
    const { body } = await this.#request("GET", "/v1/tokens");
    return itemsOf(body).map((item) => parseWith(tokenRecordSchema, item, "token"));
  }

  /** Revokes a token at once. */
  async deleteToken(name: string): Promise<void> {
    await this.#request("DELETE", `/v1/tokens/${encodeURIComponent(name)}`);
  }

  async #request(method: string, path: string, init: RequestInit = {}): Promise<Answer> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token}`,
      accept: "application/json",
      "x-imfed-client": this.#client,
    };
    const write = init.write ?? {};
    if (write.ifMatch !== undefined) headers["if-match"] = write.ifMatch === "*" ? "*" : `"${write.ifMatch}"`;
    if (write.ifNoneMatch === true) headers["if-none-match"] = "*";
    if (write.reason !== undefined) headers["x-imfed-reason"] = encodeURIComponent(write.reason);
    let payload: string | undefined;
    if (init.body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(init.body);
    }
    const conditional = write.ifMatch !== undefined || write.ifNoneMatch === true;
    // POST /v1/evaluate writes nothing, so it is as safe to repeat as a GET.
    const repeatable = isRepeatable({ method, conditional }) || path === "/v1/evaluate";
    const url = `${this.endpoint}${path}`;

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method,
          headers,
          body: payload,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        const mayRepeat = repeatable || isConnectionRefused(error);
        if (mayRepeat && attempt < this.#retry.retries) {
          await sleep(backoffDelay(this.#retry, attempt + 1));
          continue;
        }
        throw new StoreUnavailableError(
          `${method} ${url} failed: ${describeFetchFailure(error, this.#timeoutMs)}`,
        );
      }
      if (repeatable && isRetryableStatus(response.status) && attempt < this.#retry.retries) {
        await response.body?.cancel();
        await sleep(backoffDelay(this.#retry, attempt + 1));
        continue;
      }
      const body = await readBody(response, method, url);
      if (response.ok || init.accept?.includes(response.status)) return { status: response.status, body };
      throw errorFromBody(response.status, body, method, url);
    }
  }
}

async function readBody(response: Response, method: string, url: string): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StoreUnavailableError(
      `${method} ${url} answered ${response.status} with a body that is not JSON`,
      response.status,
    );
  }
}

/** Maps an error body of the contract to the error class of its code. */
function errorFromBody(status: number, body: unknown, method: string, url: string) {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    const error = errorOfWireCode(code, message, details ?? []);
    if (error !== undefined) return error;
  }
  return new StoreUnavailableError(
    `${method} ${url} answered ${status} without an error body of the API`,
    status,
  );
}

function describeFetchFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === "string") return `${cause.code} (is "imfed serve" running there?)`;
  return error instanceof Error ? error.message : String(error);
}

function parseWith<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new StoreUnavailableError(
    `the store answered with a ${what} that does not match the API: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
