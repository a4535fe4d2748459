import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { httpRequest, postSignIn, setCookieOf } from "../../helpers/http-request";
import type { StoreProcess } from "../../helpers/store-process";
import { IMFED_BIN, startStore } from "../../helpers/store-process";

/**
 * HTTPS and the Secure session cookie: `imfed serve --tls-cert/--tls-key` serves HTTPS itself
 * with a self-signed certificate made here, and `--trust-proxy` believes a TLS proxy's
 * `X-Forwarded-Proto` (and only then). The Control Panel's session cookie is Secure whenever
 * the request arrived over HTTPS.
 */

let dir: string;
let certFile: string;
let keyFile: string;
let cert: Buffer;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "imfed-tls-"));
  certFile = path.join(dir, "cert.pem");
  keyFile = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "pipe" },
  );
  cert = readFileSync(certFile);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The attributes of a Set-Cookie line, lower-cased, without the name and value. */
function attributesOf(line: string | undefined): string[] {
  expect(line).toBeDefined();
  return (line ?? "")
    .split(";")
    .slice(1)
    .map((attribute) => attribute.trim().toLowerCase());
}

describe("a store serving HTTPS (--tls-cert, --tls-key)", () => {
  let store: StoreProcess;

  beforeAll(async () => {
    store = await startStore({ args: ["--tls-cert", certFile, "--tls-key", keyFile] });
  });

  afterAll(async () => {
    await store?.stop();
  });

  it("listens on https and answers the API with the certificate given", async () => {
    expect(store.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpRequest(`${store.url}/healthz`, { ca: cert });
    expect(health.status).toBe(200);
    const providers = await httpRequest(`${store.url}/v1/providers`, {
      ca: cert,
      headers: { authorization: `Bearer ${store.adminToken}` },
    });
    expect(providers.status).toBe(200);
    expect(JSON.parse(providers.text).items.length).toBe(3);
    // A plain-HTTP request to the TLS port is not served.
    await expect(httpRequest(store.url.replace(/^https:/, "http:") + "/healthz")).rejects.toThrow();
  });

  it("sets Secure on the session cookie of a sign-in over HTTPS", async () => {
    const answer = await postSignIn(store.url, store.adminToken, { ca: cert });
    expect(answer.status).toBe(303);
    const session = attributesOf(setCookieOf(answer, "imfed_session"));
    expect(session).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=strict", "path=/"]));
  });
});

describe("a plain-HTTP store", () => {
  it("behind --trust-proxy sets Secure when the proxy says X-Forwarded-Proto: https, and not when it says http", async () => {
    const store = await startStore({ args: ["--trust-proxy", "127.0.0.1"] });
    try {
      const viaTls = await postSignIn(store.url, store.adminToken, {
        headers: { "x-forwarded-proto": "https" },
      });
      expect(viaTls.status).toBe(303);
      expect(attributesOf(setCookieOf(viaTls, "imfed_session"))).toContain("secure");

      const viaHttp = await postSignIn(store.url, store.adminToken, {
        headers: { "x-forwarded-proto": "http" },
      });
      expect(viaHttp.status).toBe(303);
      expect(attributesOf(setCookieOf(viaHttp, "imfed_session"))).not.toContain("secure");
    } finally {
      await store.stop();
    }
  });

  it("without --trust-proxy ignores X-Forwarded-Proto: the cookie is not Secure over plain HTTP", async () => {
    const store = await startStore();
    try {
      const answer = await postSignIn(store.url, store.adminToken, {
        headers: { "x-forwarded-proto": "https" },
      });
      expect(answer.status).toBe(303);
      const session = attributesOf(setCookieOf(answer, "imfed_session"));
      expect(session).toEqual(expect.arrayContaining(["httponly", "samesite=strict"]));
      expect(session).not.toContain("secure");
    } finally {
      await store.stop();
    }
  });

  it("behind a --trust-proxy that is not the peer ignores X-Forwarded-Proto", async () => {
    const store = await startStore({ args: ["--trust-proxy", "10.0.0.0/8"] });
    try {
      const answer = await postSignIn(store.url, store.adminToken, {
        headers: { "x-forwarded-proto": "https" },
      });
      expect(answer.status).toBe(303);
      expect(attributesOf(setCookieOf(answer, "imfed_session"))).not.toContain("secure");
    } finally {
      await store.stop();
    }
  });
});

describe("imfed serve's TLS and proxy flags", () => {
  const serve = (args: readonly string[]) =>
    spawnSync(
      process.execPath,
      [IMFED_BIN, "serve", "--port", "0", "--db", path.join(dir, "x.db"), ...args],
      {
        encoding: "utf8",
        timeout: 30_000,
      },
    );

  it("refuses --tls-cert without --tls-key, with a usage error that names both", () => {
    const result = serve(["--tls-cert", certFile]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--tls-cert and --tls-key go together");
  });

  it.each([["true"], ["2"], ["*"], ["10.0.0.0/99"]])(
    "refuses --trust-proxy %s: only addresses, CIDR ranges and named ranges",
    (value) => {
      const result = serve(["--trust-proxy", value]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("--trust-proxy takes the addresses of your proxies");
    },
  );
});
