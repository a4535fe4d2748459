import type { IncomingHttpHeaders } from "node:http";
import http from "node:http";
import https from "node:https";

/** Options of {@link httpRequest}. */
export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The certificate authority to trust for an `https://` URL (a test's self-signed certificate). */
  readonly ca?: string | Buffer;
}

/** What a server answered to {@link httpRequest}. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/**
 * Sends one request with Node's own `http`/`https` client on a connection of its own (no
 * keep-alive agent, `Connection: close`), so that a test knows how many connections it holds,
 * and so that an `https://` store with a test's certificate can be trusted through `ca`.
 * Rejects when the connection fails or no answer comes in 30 s.
 */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: options.method ?? "GET",
        headers: {
          connection: "close",
          ...(options.body === undefined
            ? {}
            : { "content-length": String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
        agent: false,
        timeout: 30_000,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer in 30 s to ${url}`)));
    request.on("error", reject);
    request.end(options.body);
  });
}

/** The `Set-Cookie` line of the cookie `name` in an answer, or `undefined`. */
export function setCookieOf(answer: HttpAnswer, name: string): string | undefined {
  return (answer.headers["set-cookie"] ?? []).find((line) => line.startsWith(`${name}=`));
}

/**
 * Signs in at a store's Control Panel as a browser would: `GET /sign-in` for the form's CSRF
 * token and its cookie, then `POST /sign-in` with the token. `headers` go with both requests.
 * Returns the answer to the post (303 and a session cookie when the token is valid).
 */
export async function postSignIn(
  baseUrl: string,
  token: string,
  options: { readonly headers?: Readonly<Record<string, string>>; readonly ca?: string | Buffer } = {},
): Promise<HttpAnswer> {
  const form = await httpRequest(`${baseUrl}/sign-in`, options);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const cookie = setCookieOf(form, "imfed_sign_in")?.split(";")[0];
  if (csrf === undefined || cookie === undefined)
    throw new Error(`GET /sign-in gave no form token (${form.status}):\n${form.text.slice(0, 300)}`);
  const body = new URLSearchParams({ _csrf: csrf, next: "/providers", token }).toString();
  return httpRequest(`${baseUrl}/sign-in`, {
    ...options,
    method: "POST",
    headers: { ...options.headers, cookie, "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}
