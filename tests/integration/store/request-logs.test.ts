import { api } from "../../helpers/api";
import type { StoreProcess } from "../../helpers/store-process";
import { makeToken, startStore } from "../../helpers/store-process";

/**
 * Tokens in logs and echoes (OWASP ASVS 7.1.1, 8.1.1): a token a client puts where none belongs
 * (a query string, the path, inside an `X-Request-Id`) is neither echoed in `X-Request-Id` nor
 * written to any log line, at the most verbose level. The test reads the store's real log
 * output, every line of it.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface LogLine {
  readonly msg: string;
  readonly reqId?: string;
  readonly req?: { readonly url?: string };
}

describe("a store logging at trace level", () => {
  let store: StoreProcess;
  const secrets: string[] = [];

  beforeAll(async () => {
    store = await startStore({ env: { IMFED_LOG_LEVEL: "trace" } });
    secrets.push(store.adminToken);
  });

  afterAll(async () => {
    await store?.stop();
  });

  /** The store's log lines so far, parsed, once the answer to the last request is in it. */
  async function logLines(lastId: string): Promise<LogLine[]> {
    for (
      let waited = 0;
      waited < 5_000 && !store.output().includes(`"reqId":"${lastId}","res"`);
      waited += 20
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return store
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as LogLine);
  }

  it("neither echoes nor logs an X-Request-Id that holds a token anywhere", async () => {
    const token = makeToken();
    secrets.push(token);
    const givenIds = [
      `trace-${token}`,
      `${token}.1`,
      `abc:${token.slice("imfed_".length)}`,
      `IMFED_${token.slice("imfed_".length)}`,
    ];
    for (const given of givenIds) {
      const answer = await api(store, "GET", "/v1/providers", {
        token: store.adminToken,
        headers: { "x-request-id": given },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("x-request-id")).toMatch(UUID);
    }
    // A plain id is still kept and echoed.
    const plain = await api(store, "GET", "/healthz", { headers: { "x-request-id": "deploy-42.7" } });
    expect(plain.headers.get("x-request-id")).toBe("deploy-42.7");
  });

  it("logs the URL of a request without its query string and without a token in its path", async () => {
    const inQuery = makeToken();
    const inPath = makeToken();
    secrets.push(inQuery, inPath);
    const requests: [string, string, number][] = [
      ["GET", `/v1/providers?access_token=${inQuery}`, 400],
      ["GET", `/v1/providers?kind=public&token=${encodeURIComponent(inQuery)}`, 400],
      ["GET", `/v1/nothing?x=${inQuery}`, 404],
      ["GET", `/v1/providers/%ZZ?token=${inQuery}`, 400],
      ["DELETE", `/v1/providers/${"n".repeat(120)}?token=${inQuery}`, 400],
      ["GET", `/v1/providers/${inPath}`, 404],
      ["GET", `/healthz?token=${inQuery}`, 400],
      ["GET", `/sign-in?next=%2Fproviders&token=${inQuery}`, 200],
    ];
    let lastId = "";
    for (const [method, path, status] of requests) {
      const answer = await api(store, method, path, { token: store.adminToken });
      expect({ path, status: answer.status }).toEqual({ path, status });
      lastId = answer.headers.get("x-request-id") ?? "";
    }
    // Without a token too: the 401 path.
    await api(store, "GET", `/v1/providers?token=${inQuery}`);
    const lines = await logLines(lastId);
    const urls = lines.flatMap((line) => (line.req?.url === undefined ? [] : [line.req.url]));
    expect(urls).toEqual(
      expect.arrayContaining([
        "/v1/providers?[redacted]",
        "/v1/nothing?[redacted]",
        "/v1/providers/%ZZ?[redacted]",
        "/v1/providers/[redacted]",
        "/healthz?[redacted]",
        "/sign-in?[redacted]",
      ]),
    );
    expect(urls.filter((url) => url.includes("?") && !url.endsWith("?[redacted]"))).toEqual([]);
  });

  it("holds no token, nor a token's random part, in any log line", async () => {
    const lines = store.output();
    expect(lines.split("\n").length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(lines).not.toContain(secret);
      expect(lines).not.toContain(secret.slice("imfed_".length));
    }
  });
});
