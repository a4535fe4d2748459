import type { IncomingHttpHeaders, Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ChangeEvent } from "../../examples/webhook-receiver/index";
import { verifyWebhook } from "../../examples/webhook-receiver/index";

/** One request a recording receiver got. */
export interface ReceivedDelivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The event, when the example receiver's check of the signature and timestamp passed. */
  readonly event: ChangeEvent | undefined;
  /** Why the check failed. */
  readonly refused: string | undefined;
}

/** A receiver on loopback that records every request, checked by the example receiver's `verifyWebhook`. */
export interface RecordingReceiver {
  readonly url: string;
  readonly port: number;
  readonly deliveries: ReceivedDelivery[];
  /** The secret deliveries are checked with (set once the subscription is made). */
  secret: string;
  /** The status it answers with (default 204). */
  status: number;
  /** More headers of the answers (a redirect's Location). */
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** Starts a recording receiver on 127.0.0.1 (on `port`, or any free one). */
export async function startRecordingReceiver(port = 0): Promise<RecordingReceiver> {
  const receiver: RecordingReceiver = {
    url: "",
    port: 0,
    deliveries: [],
    secret: "",
    status: 204,
    headers: {},
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      let event: ChangeEvent | undefined;
      let refused: string | undefined;
      try {
        event = verifyWebhook(receiver.secret, request.headers, body);
      } catch (error) {
        refused = (error as Error).message;
      }
      receiver.deliveries.push({ headers: request.headers, body, event, refused });
      response.writeHead(receiver.status, receiver.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return Object.assign(receiver, { port: bound, url: `http://127.0.0.1:${bound}/hooks/imfed` });
}

/** Waits until `condition` holds, looking every 100 ms, for at most `timeoutMs` (generous: a bound on a broken run). */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting ${timeoutMs / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
