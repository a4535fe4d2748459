import type { Socket } from "node:net";
import { connect } from "node:net";
import { httpRequest } from "../../helpers/http-request";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

/**
 * Slow clients (OWASP API4:2023, unrestricted resource consumption): the store's header,
 * request and keep-alive timeouts close connections that send a request slowly or not at all,
 * and its connection limit closes a connection over it at once, so that `/healthz` keeps
 * answering. Bounded in count (tens of sockets on loopback) and in time (every wait has a
 * generous deadline; nothing asserts how fast the store is).
 */

/** A raw socket to a store and what happened to it. */
interface SlowClient {
  readonly socket: Socket;
  /** Everything the store sent on it. */
  received(): string;
  /** True once the socket is closed. */
  closed(): boolean;
  /** Resolves when the socket is closed (by either side). */
  readonly whenClosed: Promise<void>;
}

/** Opens a socket to the store and writes `data` once connected; the test never ends it itself until cleanup. */
function slowClient(url: string, data: string): SlowClient {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname, () => {
    if (data !== "") socket.write(data);
  });
  let text = "";
  let isClosed = false;
  socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  socket.on("error", () => undefined);
  const whenClosed = new Promise<void>((resolve) =>
    socket.once("close", () => {
      isClosed = true;
      resolve();
    }),
  );
  return { socket, received: () => text, closed: () => isClosed, whenClosed };
}

/** The request line, headers and the first bytes of a body of 200 bytes: a client that then stalls. */
function stalledBody(token: string): string {
  return (
    "PUT /v1/federation HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
    `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"enab`
  );
}

/** Part of a request's headers: a client that stalls before the blank line. */
const STALLED_HEADERS = "GET /v1/providers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

/** Resolves when `condition` holds, checked every 50 ms; rejects after `deadlineMs` with `what`. */
async function waitUntil(condition: () => boolean, deadlineMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${deadlineMs / 1000} s: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `/healthz` on a connection of its own. */
function healthz(store: StoreProcess) {
  return httpRequest(`${store.url}/healthz`);
}

describe("a store with short timeouts (--headers-timeout 1 --request-timeout 2)", () => {
  let store: StoreProcess;
  const clients: SlowClient[] = [];

  beforeAll(async () => {
    store = await startStore({
      args: ["--headers-timeout", "1", "--request-timeout", "2", "--keep-alive-timeout", "1"],
    });
  });

  afterAll(async () => {
    for (const client of clients) client.socket.destroy();
    await store?.stop();
  });

  it("closes every connection whose headers or body stall, with 408, and goes on serving", async () => {
    const SLOW = 12;
    for (let i = 0; i < SLOW; i += 1) {
      clients.push(slowClient(store.url, stalledBody(store.adminToken)));
      clients.push(slowClient(store.url, STALLED_HEADERS));
      clients.push(slowClient(store.url, ""));
    }
    // The store closes them itself: the test never ends a socket before this resolves.
    await waitUntil(
      () => clients.every((client) => client.closed()),
      60_000,
      () => `${clients.filter((client) => !client.closed()).length} of ${clients.length} sockets still open`,
    );
    // Each got Node's 408 (and nothing else) before the close.
    const answers = new Set(clients.map((client) => client.received().split("\r\n")[0]));
    expect([...answers]).toEqual(["HTTP/1.1 408 Request Timeout"]);
    expect((await healthz(store)).status).toBe(200);
  });

  it("closes an idle keep-alive connection after its keep-alive timeout", async () => {
    const client = slowClient(store.url, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    clients.push(client);
    await waitUntil(client.closed, 30_000, () => "the keep-alive connection is still open");
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Keep-Alive: timeout=1\r\n/);
  });
});

describe("a store with a connection limit (--max-connections 12)", () => {
  const LIMIT = 12;
  let store: StoreProcess;
  const clients: SlowClient[] = [];

  beforeAll(async () => {
    // The default timeouts (10 s headers, 30 s request) hold the slow clients open throughout.
    store = await startStore({ args: ["--max-connections", String(LIMIT)] });
  });

  afterAll(async () => {
    for (const client of clients) client.socket.destroy();
    await store?.stop();
  });

  it("answers /healthz beside slow clients, closes connections over the limit at once, and answers again once they are gone", async () => {
    // Under the limit: 8 slow clients hold connections, and /healthz is served beside them.
    const first = Array.from({ length: 8 }, () => slowClient(store.url, stalledBody(store.adminToken)));
    clients.push(...first);
    const beside = await healthz(store);
    expect(beside.status).toBe(200);
    expect(first.filter((client) => client.closed())).toEqual([]);

    // Over it: 8 more that send nothing. Those over the limit are closed at once, with no byte
    // of an answer (a timeout would have answered 408 first), while the first ones stay open.
    const more = Array.from({ length: 8 }, () => slowClient(store.url, ""));
    clients.push(...more);
    const refused = () => more.filter((client) => client.closed() && client.received() === "");
    await waitUntil(
      () => refused().length >= more.length - (LIMIT - first.length),
      30_000,
      () => `${refused().length} connections over the limit refused`,
    );
    const refusedCount = refused().length;
    expect(first.filter((client) => client.closed())).toEqual([]);
    // /healthz is over the limit too while they hold it: refused, not left waiting.
    await expect(healthz(store)).rejects.toThrow();

    // Once the slow clients are gone, /healthz answers again.
    for (const client of clients) client.socket.destroy();
    await Promise.all(clients.map((client) => client.whenClosed));
    const deadline = Date.now() + 30_000;
    for (let last = ""; ;) {
      const answer = await healthz(store).catch((error: unknown) => String(error));
      if (typeof answer !== "string" && answer.status === 200) break;
      last = typeof answer === "string" ? answer : `status ${answer.status}`;
      if (Date.now() > deadline) throw new Error(`/healthz did not answer 200 within 30 s: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // The refusals are counted and logged.
    const metrics = await httpRequest(`${store.url}/metrics`, {
      headers: { authorization: `Bearer ${store.adminToken}` },
    });
    const count = Number(/^imfed_connections_refused_total (\d+)/m.exec(metrics.text)?.[1]);
    expect(count).toBeGreaterThanOrEqual(refusedCount);
    // The log line may reach the pipe after later answers: wait for it (at most 10 s).
    await waitUntil(
      () => store.output().includes("connections refused: the store holds its limit of connections"),
      10_000,
      () => "no log line of the refused connections",
    );
  });
});
