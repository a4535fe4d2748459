import { DEFAULT_ENDPOINT, StoreClient, StoreUnavailableError } from "../../../client";
import {
  ConflictError,
  ForbiddenError,
  ImfedError,
  NotFoundError,
  PreconditionFailedError,
  UnauthorizedError,
  ValidationError,
  federationKind,
  imProviderKind,
} from "../../../core";

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

const provider = {
  name: "Yahoo!",
  kind: "public",
  proxyFqdn: "sip.yahoo.com",
  enabled: false,
  verificationLevel: "UseSourceVerification",
  builtIn: true,
  createdAt: "2026-01-01T00:00:00.000Z",
  revision: 3,
  updatedAt: "2026-01-01T00:00:00.000Z",
  updatedBy: "system",
  updatedVia: "api",
  updateReason: null,
};

/** A fetch that answers from a script, and records what was sent. */
function scriptedFetch(answers: (Response | Error)[]) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({
      method: String(init.method),
      url,
      headers: init.headers as Record<string, string>,
      body: init.body as string | undefined,
    });
    const answer = answers.shift();
    if (answer === undefined) throw new Error("no more answers");
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, sent };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function error(status: number, code: string, message: string, details?: unknown[]): Response {
  return json(status, { error: { code, message, ...(details ? { details } : {}) } });
}

const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
const reset = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
const fast = { retries: 3, baseDelayMs: 1, maxDelayMs: 2 };

function storeClient(fetch: typeof globalThis.fetch) {
  return new StoreClient({
    endpoint: "http://127.0.0.1:7430/",
    token: "imfed_secret",
    client: "pulumi",
    fetch,
    retry: fast,
  });
}

/** The client of providers, as the provider and the CLI use it. */
function client(fetch: typeof globalThis.fetch) {
  return storeClient(fetch).kind(imProviderKind);
}

/** The client of the federation settings. */
function federation(fetch: typeof globalThis.fetch) {
  return storeClient(fetch).kind(federationKind);
}

describe("StoreClient", () => {
  it("sends the token, the client kind, the preconditions and the percent-encoded reason", async () => {
    const { fetch, sent } = scriptedFetch([json(200, { ...provider, enabled: true })]);
    await client(fetch).put(
      "Yahoo!",
      { name: "Yahoo!", kind: "public", proxyFqdn: "sip.yahoo.com", enabled: true },
      {
        ifMatch: 3,
        reason: "Ticket #12: enable Yahoo! ✓",
      },
    );
    expect(sent[0]).toMatchObject({
      method: "PUT",
      url: "http://127.0.0.1:7430/v1/providers/Yahoo!",
      headers: {
        authorization: "Bearer imfed_secret",
        "x-imfed-client": "pulumi",
        "if-match": '"3"',
        "x-imfed-reason": encodeURIComponent("Ticket #12: enable Yahoo! ✓"),
        "content-type": "application/json",
      },
    });
  });

  it("encodes names in paths", async () => {
    const { fetch, sent } = scriptedFetch([json(200, { ...provider, name: "A B (c)" })]);
    await client(fetch).get("A B (c)");
    expect(sent[0]!.url).toBe("http://127.0.0.1:7430/v1/providers/A%20B%20(c)");
  });

  it.each([
    [404, "not_found", NotFoundError],
    [409, "conflict", ConflictError],
    [412, "precondition_failed", PreconditionFailedError],
    [401, "unauthorized", UnauthorizedError],
    [403, "forbidden", ForbiddenError],
  ] as const)("maps %i %s to its error class", async (status, code, type) => {
    const { fetch } = scriptedFetch([error(status, code, "it failed")]);
    const failure = client(fetch).get("x");
    await expect(failure).rejects.toBeInstanceOf(type);
    await expect(failure).rejects.toThrow("it failed");
  });

  it.each([
    [400, "bad_request"],
    [405, "method_not_allowed"],
    [413, "payload_too_large"],
    [415, "unsupported_media_type"],
  ] as const)("keeps the transport's %i %s as an error of that code", async (status, code) => {
    const { fetch } = scriptedFetch([error(status, code, "it failed")]);
    const failure: unknown = await client(fetch)
      .get("x")
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ImfedError);
    expect(failure).not.toBeInstanceOf(StoreUnavailableError);
    expect((failure as ImfedError).code).toBe(code);
  });

  it("reports an error code outside the contract as the store being unavailable", async () => {
    const { fetch } = scriptedFetch([error(418, "teapot", "short and stout")]);
    await expect(client(fetch).get("x")).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("keeps the validation details", async () => {
    const details = [{ path: "proxyFqdn", message: "must not end with a dot" }];
    const { fetch } = scriptedFetch([error(400, "validation_failed", "invalid provider", details)]);
    const failure = await client(fetch)
      .patch("x", { proxyFqdn: "a." })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).details).toEqual(details);
  });

  it("answers undefined for a provider that does not exist", async () => {
    const { fetch } = scriptedFetch([error(404, "not_found", "no provider")]);
    expect(await client(fetch).tryGet("x")).toBeUndefined();
  });

  it("tells a create from a replace", async () => {
    const { fetch } = scriptedFetch([json(201, provider), json(200, provider)]);
    expect((await client(fetch).put("Yahoo!", provider as never)).created).toBe(true);
    expect((await client(fetch).put("Yahoo!", provider as never)).created).toBe(false);
  });

  it("repeats a GET after a reset connection and a 503", async () => {
    const { fetch, sent } = scriptedFetch([reset, error(503, "internal", "busy"), json(200, provider)]);
    expect((await client(fetch).get("Yahoo!")).name).toBe("Yahoo!");
    expect(sent).toHaveLength(3);
  });

  it("does not repeat a conditional write whose outcome is unknown", async () => {
    const { fetch, sent } = scriptedFetch([reset, json(200, provider)]);
    await expect(client(fetch).put("Yahoo!", provider as never, { ifMatch: 3 })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(sent).toHaveLength(1);
  });

  it("does not repeat a PATCH whose outcome is unknown", async () => {
    const { fetch, sent } = scriptedFetch([reset, json(200, provider)]);
    await expect(client(fetch).patch("Yahoo!", { enabled: false })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(sent).toHaveLength(1);
  });

  it("repeats an unconditional PUT, which is idempotent", async () => {
    const { fetch, sent } = scriptedFetch([reset, json(200, provider)]);
    await client(fetch).put("Yahoo!", provider as never);
    expect(sent).toHaveLength(2);
  });

  it("repeats any request when the connection was refused, since nothing was sent", async () => {
    const { fetch, sent } = scriptedFetch([refused, json(200, provider)]);
    await client(fetch).patch("Yahoo!", { enabled: false }, { ifMatch: 3 });
    expect(sent).toHaveLength(2);
  });

  it("gives up after the retries with an error that names the request and never the token", async () => {
    const { fetch, sent } = scriptedFetch([refused, refused, refused, refused]);
    const failure: unknown = await federation(fetch)
      .get()
      .catch((e: unknown) => e);
    expect(sent).toHaveLength(4);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(
      /GET http:\/\/127\.0\.0\.1:7430\/v1\/federation failed: ECONNREFUSED/,
    );
    expect((failure as Error).message).not.toContain("imfed_secret");
  });

  it("reports an answer outside the contract as the store being unavailable", async () => {
    const { fetch } = scriptedFetch([new Response("<html>bad gateway</html>", { status: 500 })]);
    await expect(federation(fetch).get()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("ignores fields a newer store adds", async () => {
    const { fetch } = scriptedFetch([json(200, { ...provider, region: "emea" })]);
    expect(await client(fetch).get("Yahoo!")).not.toHaveProperty("region");
  });

  it("suggests the default endpoint when the endpoint is not a URL", () => {
    expect(() => new StoreClient({ endpoint: "127.0.0.1 7430", token: "t" })).toThrow(
      `the store endpoint "127.0.0.1 7430" is not a URL, such as "${DEFAULT_ENDPOINT}"`,
    );
    expect(DEFAULT_ENDPOINT).toBe("http://127.0.0.1:7430");
  });

  it("times out an attempt", async () => {
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      )) as unknown as typeof fetch;
    const slow = new StoreClient({
      endpoint: "http://127.0.0.1:1",
      token: "t",
      fetch: hanging,
      timeoutMs: 20,
      retry: { ...fast, retries: 0 },
    });
    await expect(slow.kind(federationKind).get()).rejects.toThrow(/no answer within 20 ms/);
  });
});
