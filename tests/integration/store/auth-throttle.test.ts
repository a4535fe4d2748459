import { api, errorCode } from "../../helpers/api";
import { httpRequest, postSignIn } from "../../helpers/http-request";
import type { StoreProcess } from "../../helpers/store-process";
import { makeToken, startStore } from "../../helpers/store-process";

/**
 * Throttling of failed authentication (OWASP ASVS 2.2.1, API2:2023 broken authentication):
 * past a budget of unknown or revoked tokens per client address and window, the API answers
 * that address's further failures 429 `too_many_requests` with `Retry-After`, and the Control
 * Panel's sign-in answers a 429 page; a valid token from the same address is served throughout.
 * The window is long (10 minutes) so that it never ends while a test runs; the counts are small.
 */

const BUDGET = 5;
const WRONG = 12;

/**
 * The store's log lines that hold `text`, once there are `count` of them: a line may reach the
 * pipe just after the answer it was written before (waits at most 10 s).
 */
async function logLinesWith(store: StoreProcess, text: string, count = 1): Promise<string[]> {
  const matching = () =>
    store
      .output()
      .split("\n")
      .filter((line) => line.includes(text));
  for (let waited = 0; waited < 10_000 && matching().length < count; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return matching();
}

/** The Retry-After of an answer, as a number of seconds. */
function retryAfterOf(value: string | null | undefined): number {
  expect(value).toMatch(/^[0-9]+$/);
  return Number(value);
}

describe(`a store allowing ${BUDGET} failed authentications per address in 600 s`, () => {
  let store: StoreProcess;
  let viewer = "";
  const wrongTokens: string[] = [];

  beforeAll(async () => {
    store = await startStore({
      args: ["--auth-failure-limit", String(BUDGET), "--auth-failure-window", "600"],
    });
    const created = await api(store, "POST", "/v1/tokens", {
      token: store.adminToken,
      body: { name: "auditor", role: "CsViewOnlyAdministrator" },
    });
    expect(created.status).toBe(201);
    viewer = created.body.token;
  });

  afterAll(async () => {
    await store?.stop();
  });

  it("answers wrong tokens 401 up to the budget, then 429 with Retry-After, and serves valid tokens throughout", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < WRONG; i += 1) {
      const wrong = makeToken();
      wrongTokens.push(wrong);
      const answer = await api(store, "GET", "/v1/providers", { token: wrong });
      statuses.push(answer.status);
      if (answer.status === 429) {
        expect(errorCode(answer)).toBe("too_many_requests");
        const retryAfter = retryAfterOf(answer.headers.get("retry-after"));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(600);
        expect(answer.body.error.message).toContain("the token is not valid");
      } else {
        expect(errorCode(answer)).toBe("unauthorized");
      }
      // A valid token from the same address is never refused for what the address did.
      expect((await api(store, "GET", "/v1/providers", { token: store.adminToken })).status).toBe(200);
      expect((await api(store, "GET", "/v1/federation", { token: viewer })).status).toBe(200);
    }
    expect(statuses).toEqual([...Array(BUDGET).fill(401), ...Array(WRONG - BUDGET).fill(429)]);
  });

  it("still answers a request without a token 401: no guess, nothing counted", async () => {
    const answer = await api(store, "GET", "/v1/providers");
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe("unauthorized");
  });

  it("ignores X-Forwarded-For without --trust-proxy: a client cannot take a new address by saying so", async () => {
    const answer = await api(store, "GET", "/v1/providers", {
      token: makeToken(),
      headers: { "x-forwarded-for": "203.0.113.77" },
    });
    expect(answer.status).toBe(429);
  });

  it("shares the budget with the Control Panel's sign-in: a wrong token gets a 429 page, a valid one signs in", async () => {
    const wrong = makeToken();
    wrongTokens.push(wrong);
    const refused = await postSignIn(store.url, wrong);
    expect(refused.status).toBe(429);
    expect(retryAfterOf(refused.headers["retry-after"] as string)).toBeGreaterThanOrEqual(1);
    expect(refused.headers["content-type"]).toMatch(/^text\/html/);
    expect(refused.text).toContain("Too many sign-ins with a wrong token came from your address");
    expect(refused.text).not.toContain(wrong);

    const signedIn = await postSignIn(store.url, store.adminToken);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.location).toBe("/providers");
  });

  it("makes the flood visible: one log line per address and window, and a metric, with no token in the log", async () => {
    const metrics = await httpRequest(`${store.url}/metrics`, {
      headers: { authorization: `Bearer ${viewer}` },
    });
    const count = (throttled: boolean) =>
      Number(
        new RegExp(`^imfed_auth_failures_total\\{throttled="${throttled}"\\} (\\d+)`, "m").exec(
          metrics.text,
        )?.[1],
      );
    expect(count(false)).toBe(BUDGET);
    expect(count(true)).toBeGreaterThanOrEqual(WRONG - BUDGET + 2);
    const lines = await logLinesWith(store, "too many failed authentications from one address");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      client: "127.0.0.1",
      failures: BUDGET,
      level: 40,
    });
    for (const secret of [...wrongTokens, store.adminToken, viewer])
      expect(store.output()).not.toContain(secret);
  });
});

describe("a store behind --trust-proxy 127.0.0.1", () => {
  it("counts failures by the client address the proxy gives in X-Forwarded-For", async () => {
    const store = await startStore({
      args: ["--trust-proxy", "127.0.0.1", "--auth-failure-limit", "2", "--auth-failure-window", "600"],
    });
    try {
      const from = (address: string) =>
        api(store, "GET", "/v1/providers", { token: makeToken(), headers: { "x-forwarded-for": address } });
      const first = [];
      for (let i = 0; i < 3; i += 1) first.push((await from("203.0.113.1")).status);
      expect(first).toEqual([401, 401, 429]);
      // Another client behind the same proxy has a budget of its own.
      expect((await from("203.0.113.2")).status).toBe(401);
      const [throttled] = await logLinesWith(store, "too many failed authentications");
      expect(JSON.parse(throttled as string)).toMatchObject({ client: "203.0.113.1" });
    } finally {
      await store.stop();
    }
  });
});
