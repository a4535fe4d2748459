import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { WebhookPolicy } from "./webhook-url";
import { resolveWebhookAddress } from "./webhook-url";

/** The bounds of one delivery request. */
export interface WebhookLimits {
  /** The whole exchange (connect, send, the answer's headers and body) must end within this, in ms. */
  readonly timeoutMs: number;
  /** The most of an answer's body that is read (and kept for the error message); the rest is dropped. */
  readonly maxResponseBytes: number;
}

/** Ten seconds for a delivery (GitHub's own limit), and 64 KiB of an answer. */
export const DEFAULT_WEBHOOK_LIMITS: WebhookLimits = { timeoutMs: 10_000, maxResponseBytes: 64 * 1024 };

/** A delivery the receiver did not take: the reason, fit for the subscription's `lastError`. */
export class DeliveryFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeliveryFailure";
  }
}

/**
 * POSTs one signed event to a webhook and resolves when the receiver answered 2xx; anything
 * else throws a {@link DeliveryFailure} that says why. The host is resolved and every address
 * checked by the policy (server-side request forgery), and the connection made to the checked
 * address. A redirect is never followed (it is a failure: a 3xx could send the event, signed,
 * to a host nobody subscribed). Bounded in time and in the size of the answer read.
 */
export async function postWebhook(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string,
  policy: WebhookPolicy,
  limits: WebhookLimits = DEFAULT_WEBHOOK_LIMITS,
): Promise<number> {
  let resolved: { address: string; family: number };
  try {
    resolved = await resolveWebhookAddress(url, policy);
  } catch (error) {
    throw new DeliveryFailure((error as Error).message);
  }
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all === true)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [resolved]);
    else callback(null, resolved.address, resolved.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<number>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "POST",
        lookup,
        agent: false,
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "imfed-webhooks/1",
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (read < limits.maxResponseBytes) text += chunk.slice(0, limits.maxResponseBytes - read);
          read += Buffer.byteLength(chunk);
          if (read >= limits.maxResponseBytes) response.destroy();
        });
        const done = () => {
          clearTimeout(timer);
          if (status >= 200 && status < 300) return resolve(status);
          if (status >= 300 && status < 400)
            return reject(
              new DeliveryFailure(`the receiver answered ${status} (a redirect, which is never followed)`),
            );
          const excerpt = text.replace(/\s+/g, " ").trim().slice(0, 200);
          reject(
            new DeliveryFailure(`the receiver answered ${status}${excerpt === "" ? "" : `: ${excerpt}`}`),
          );
        };
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new DeliveryFailure(`the receiver did not answer within ${limits.timeoutMs / 1000} s`));
    }, limits.timeoutMs);
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(
        error instanceof DeliveryFailure ? error : new DeliveryFailure(`could not deliver: ${error.message}`),
      );
    });
    request.end(body);
  });
}
