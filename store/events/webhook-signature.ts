import { createHmac, randomBytes } from "node:crypto";

/**
 * The prefix of a subscription's secret (Standard Webhooks' `whsec_`), so that secret scanners
 * and people can tell one; the rest is 32 random bytes in base64, the key itself.
 */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** Makes a new signing secret: `whsec_` and 256 random bits in base64. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString("base64");
}

/**
 * How far a delivery's `webhook-timestamp` may be from the receiver's clock, in seconds: five
 * minutes, as Standard Webhooks, Stripe and Svix recommend. An older delivery is a replay.
 */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * The `webhook-signature` of a delivery (Standard Webhooks 1.0): `v1,` and the base64
 * HMAC-SHA256, keyed with the secret's bytes, of `<webhook-id>.<webhook-timestamp>.<body>`.
 * The id and the time are signed with the body, so neither can be changed or replayed apart.
 */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`, "utf8").digest("base64");
  return `v1,${mac}`;
}

/** The headers of one delivery: `webhook-id`, `webhook-timestamp` and `webhook-signature`. */
export function webhookHeaders(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": webhookSignature(secret, id, timestamp, body),
  };
}
