// A receiver of imfed's change events: a small Node server, with nothing but Node's own
// modules, that checks each delivery's signature and timestamp (Standard Webhooks 1.0, which
// imfed follows) before it trusts the body, and drops a delivery it has already handled.
//
//   IMFED_WEBHOOK_SECRET=whsec_... PORT=8080 npx tsx index.ts
//
// Put it behind your https endpoint, or forward each event's `summary` to a chat webhook or an
// incident tool where `handle` is (see docs/events.md).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders, Server } from "node:http";
import { createServer } from "node:http";

/** How far a delivery's timestamp may be from this machine's clock: five minutes, as imfed documents. */
export const TOLERANCE_SECONDS = 300;

/** The largest body this receiver reads; an event is a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A change event as imfed sends it: the audit entry, `drift` and a one-line `summary`. */
export interface ChangeEvent {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly via: string;
  readonly action: string;
  readonly target: string;
  readonly kind: string | null;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  readonly reason: string | null;
  readonly drift: boolean;
  readonly summary: string;
}

/** One delivery as received: its id, its headers and its raw body. */
export interface Delivery {
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A delivery that failed verification, with the reason. */
export class VerificationError extends Error {}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  if (typeof value !== "string" || value === "") throw new VerificationError(`the ${name} header is missing`);
  return value;
}

/**
 * Verifies a delivery and returns its event: the `webhook-signature` must hold a `v1,`
 * signature equal to the HMAC-SHA256, keyed with the secret's bytes (after `whsec_`), of
 * `<webhook-id>.<webhook-timestamp>.<body>`, compared in constant time; and the timestamp must
 * be within {@link TOLERANCE_SECONDS} of `now` (seconds), which refuses a replayed delivery.
 * `body` must be the raw bytes received: a body parsed and serialized again would not match.
 */
export function verifyWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  body: string,
  now: number = Math.floor(Date.now() / 1000),
): ChangeEvent {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  if (!/^[0-9]{1,12}$/.test(timestamp)) throw new VerificationError("the webhook-timestamp is not a number");
  if (Math.abs(now - Number(timestamp)) > TOLERANCE_SECONDS)
    throw new VerificationError(
      `the webhook-timestamp ${timestamp} is more than ${TOLERANCE_SECONDS} s from now (${now})`,
    );
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`, "utf8").digest();
  // The header may hold several signatures separated by spaces (during a secret's rotation).
  const valid = header(headers, "webhook-signature")
    .split(" ")
    .some((entry) => {
      const [version, signature] = entry.split(",");
      if (version !== "v1" || signature === undefined) return false;
      const given = Buffer.from(signature, "base64");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  if (!valid) throw new VerificationError("no valid v1 signature in webhook-signature");
  return JSON.parse(body) as ChangeEvent;
}

/** Options of {@link startReceiver}. */
export interface ReceiverOptions {
  /** The subscription's secret (`whsec_...`), from the answer to its creation. */
  readonly secret: string;
  readonly port?: number;
  readonly host?: string;
  /**
   * Handles one verified event, once per delivery id; a throw answers 500 and imfed retries.
   * `delivery` is the request as received (to keep, or to log).
   */
  readonly handle: (event: ChangeEvent, delivery: Delivery) => void | Promise<void>;
  /** Told of each delivery refused, with the reason. */
  readonly onRefused?: (reason: string) => void;
}

/**
 * Starts the receiver: POSTs are verified and answered 204 once handled, 401 when their
 * signature or timestamp does not verify. A delivery id seen before is answered 204 and not
 * handled again (imfed delivers at least once: a retry after a lost answer repeats an id).
 */
export async function startReceiver(options: ReceiverOptions): Promise<Server> {
  // In memory here; a real receiver keeps the ids it handled where it keeps what it did.
  const seen = new Set<string>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy();
      else chunks.push(chunk);
    });
    request.on("end", () => {
      void (async () => {
        if (request.method !== "POST") return response.writeHead(405, { allow: "POST" }).end();
        const body = Buffer.concat(chunks).toString("utf8");
        let event: ChangeEvent;
        try {
          event = verifyWebhook(options.secret, request.headers, body);
        } catch (error) {
          options.onRefused?.((error as Error).message);
          return response.writeHead(401).end();
        }
        const id = String(request.headers["webhook-id"]);
        if (!seen.has(id)) {
          await options.handle(event, { id, headers: request.headers, body });
          seen.add(id);
        }
        response.writeHead(204).end();
      })().catch(() => response.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 8080, options.host ?? "127.0.0.1", resolve),
  );
  return server;
}

if (require.main === module) {
  const secret = process.env.IMFED_WEBHOOK_SECRET ?? "";
  if (!secret.startsWith("whsec_")) {
    process.stderr.write("set IMFED_WEBHOOK_SECRET to the subscription's secret (whsec_...)\n");
    process.exit(2);
  }
  void startReceiver({
    secret,
    port: Number(process.env.PORT ?? 8080),
    handle: (event) => {
      process.stdout.write(`${event.drift ? "DRIFT " : ""}${event.summary}\n`);
    },
    onRefused: (reason) => process.stderr.write(`refused a delivery: ${reason}\n`),
  }).then((server) => process.stderr.write(`listening on ${JSON.stringify(server.address())}\n`));
}
