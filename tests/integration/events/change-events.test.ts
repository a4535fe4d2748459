import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import type { ChangeEvent, Delivery } from "../../../examples/webhook-receiver/index";
import { startReceiver } from "../../../examples/webhook-receiver/index";
import { webhookHeaders } from "../../../store/events/webhook-signature";
import { api, providerPath } from "../../helpers/api";
import { browserSkipReason, launchChromium } from "../../helpers/browser";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";
import type { RecordingReceiver } from "../../helpers/webhook-receiver";
import { startRecordingReceiver, waitFor } from "../../helpers/webhook-receiver";

/**
 * Change events from a real store process (trace-level logs) to real receivers on loopback:
 * the example receiver of examples/webhook-receiver, and recording receivers that check each
 * delivery with the example's verifyWebhook.
 */

jest.setTimeout(180_000);

const skipBrowser = browserSkipReason();
const itWithBrowser = skipBrowser === undefined ? it : it.skip;

let store: StoreProcess;
const secrets: string[] = [];
const closers: (() => Promise<void>)[] = [];

// Short retries, so a test sees failures and a pause within seconds.
const FAST_RETRIES = [
  "--allow-http-loopback-webhooks",
  "--webhook-retry-initial",
  "0.2",
  "--webhook-retry-max",
  "0.5",
  "--webhook-failure-limit",
  "3",
  "--log-level",
  "trace",
];

beforeAll(async () => {
  store = await startStore({ args: FAST_RETRIES });
});

afterAll(async () => {
  for (const close of closers) await close();
  await store?.stop();
});

async function subscribe(url: string, filter?: Record<string, unknown>, on: StoreProcess = store) {
  const response = await api(on, "POST", "/v1/subscriptions", {
    token: on.adminToken,
    body: { url, ...(filter === undefined ? {} : { filter }) },
  });
  expect(response.status).toBe(201);
  secrets.push(response.body.secret as string);
  return response.body as { id: string; secret: string };
}

async function subscription(id: string) {
  const response = await api(store, "GET", `/v1/subscriptions/${id}`, { token: store.adminToken });
  expect(response.status).toBe(200);
  return response.body;
}

async function write(method: string, path: string, body: unknown, client: string, reason: string) {
  const response = await api(store, method, path, {
    token: store.adminToken,
    body,
    headers: { "x-imfed-client": client, "x-imfed-reason": encodeURIComponent(reason) },
  });
  expect(response.status).toBeLessThan(300);
}

async function recording(): Promise<RecordingReceiver> {
  const receiver = await startRecordingReceiver();
  closers.push(() => receiver.close());
  return receiver;
}

describe("change events", () => {
  itWithBrowser(
    "delivers a block made in the Control Panel on a provider Pulumi wrote as drift, with who, via and why, signed so that the example receiver verifies it",
    async () => {
      const token = await api(store, "POST", "/v1/tokens", {
        token: store.adminToken,
        body: { name: "ops-oncall", role: "CsAdministrator" },
      });
      expect(token.status).toBe(201);
      await write("PATCH", providerPath("Yahoo!"), { enabled: true }, "pulumi", "adopted by the program");

      // The example receiver, as a user runs it, on a port of its own.
      const received: { event: ChangeEvent; delivery: Delivery }[] = [];
      const refused: string[] = [];
      const placeholder = await startRecordingReceiver();
      const port = placeholder.port;
      await placeholder.close();
      const created = await subscribe(`http://127.0.0.1:${port}/imfed`, { driftOnly: true });
      const server: Server = await startReceiver({
        secret: created.secret,
        port,
        handle: (event, delivery) => {
          received.push({ event, delivery });
        },
        onRefused: (reason) => refused.push(reason),
      });
      closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));

      const browser: Browser = await launchChromium();
      try {
        const page = await (await browser.newContext({ baseURL: store.url })).newPage();
        await page.goto("/sign-in");
        await page.getByLabel("Token").fill(token.body.token as string);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL("**/providers");
        await page.goto(`/providers/details?name=${encodeURIComponent("Yahoo!")}`);
        await page.getByLabel("Enable communications with this provider").uncheck();
        await page.getByLabel("Reason (optional)").fill("spam wave, incident 42");
        await page.getByRole("button", { name: "Commit" }).click();
        await page.waitForLoadState();
      } finally {
        await browser.close();
      }

      await waitFor("the block to reach the example receiver", () => received.length > 0);
      expect(refused).toEqual([]);
      const [{ event, delivery }] = received as [{ event: ChangeEvent; delivery: Delivery }];
      expect(event).toMatchObject({
        drift: true,
        actor: "ops-oncall",
        via: "control-panel",
        action: "update",
        target: "provider/Yahoo!",
        kind: "ImProvider",
        reason: "spam wave, incident 42",
        summary: "ops-oncall blocked Yahoo! via control-panel: spam wave, incident 42",
      });
      expect(event.before).toMatchObject({ enabled: true, updatedVia: "pulumi" });
      expect(event.after).toMatchObject({ enabled: false, updatedVia: "control-panel" });
      expect(delivery.headers["webhook-id"]).toBe(`msg_${created.id}_${event.seq}`);
      expect(delivery.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(JSON.stringify(delivery.headers)).not.toContain(created.secret);

      // The same delivery replayed to the example receiver: a tampered body, and a timestamp
      // older than the tolerance (signed with the right secret), are both refused.
      const post = (headers: Record<string, string>, body: string) =>
        fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/imfed`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body,
        });
      const headersOf = (d: Delivery) => ({
        "webhook-id": String(d.headers["webhook-id"]),
        "webhook-timestamp": String(d.headers["webhook-timestamp"]),
        "webhook-signature": String(d.headers["webhook-signature"]),
      });
      const tampered = delivery.body.replace('"drift":true', '"drift":false');
      expect(tampered).not.toBe(delivery.body);
      expect((await post(headersOf(delivery), tampered)).status).toBe(401);
      const old = Math.floor(Date.now() / 1000) - 600;
      const replayed = webhookHeaders(created.secret, `msg_${created.id}_0`, old, delivery.body);
      expect((await post(replayed, delivery.body)).status).toBe(401);
      expect(refused).toEqual([
        "no valid v1 signature in webhook-signature",
        expect.stringContaining("more than 300 s from now"),
      ]);
      expect(received).toHaveLength(1);
    },
  );

  it("pauses a subscription after repeated failures with the reason and time, and delivers what it missed once resumed", async () => {
    const receiver = await recording();
    receiver.status = 500;
    const created = await subscribe(receiver.url, { kinds: ["Federation"] });
    receiver.secret = created.secret;
    await write("PATCH", "/v1/federation", { partnerDiscovery: true }, "cli", "first");
    await waitFor("the pause", async () => (await subscription(created.id)).state === "paused");
    const paused = await subscription(created.id);
    expect(paused).toMatchObject({ state: "paused", failures: 3, lastError: "the receiver answered 500" });
    expect(Date.parse(paused.lastErrorAt)).not.toBeNaN();
    expect(receiver.deliveries).toHaveLength(3);
    await write("PATCH", "/v1/federation", { partnerDiscovery: false }, "cli", "second");

    receiver.status = 204;
    const viewOnly = await api(store, "POST", "/v1/tokens", {
      token: store.adminToken,
      body: { name: "auditor", role: "CsViewOnlyAdministrator" },
    });
    const forbidden = await api(store, "POST", `/v1/subscriptions/${created.id}/resume`, {
      token: viewOnly.body.token as string,
    });
    expect(forbidden.status).toBe(403);
    const resumed = await api(store, "POST", `/v1/subscriptions/${created.id}/resume`, {
      token: store.adminToken,
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ state: "active", failures: 0 });
    await waitFor(
      "both changes",
      () => new Set(receiver.deliveries.map((d) => d.headers["webhook-id"])).size === 2,
    );
    const reasons = [
      ...new Map(receiver.deliveries.map((d) => [d.headers["webhook-id"], d.event?.reason])).values(),
    ];
    expect(reasons).toEqual(["first", "second"]);
    expect(receiver.deliveries.every((d) => d.refused === undefined)).toBe(true);
  });

  it("refuses URLs that are not https or that reach private addresses, and never follows a redirect", async () => {
    for (const url of [
      "http://hooks.example.com/imfed",
      "ftp://hooks.example.com/imfed",
      "https://10.1.2.3/imfed",
      "https://169.254.169.254/latest/meta-data",
      "https://[fd00::1]/imfed",
      "https://user:password@hooks.example.com/imfed",
      "not a url",
    ]) {
      const response = await api(store, "POST", "/v1/subscriptions", {
        token: store.adminToken,
        body: { url },
      });
      expect([url, response.status]).toEqual([url, 400]);
      expect(response.body.error.details[0].path).toBe("url");
    }

    // A store without the flag refuses http to loopback, and a name that resolves to loopback
    // is refused when a delivery is made (checked at each delivery: DNS can change).
    const strict = await startStore({
      args: ["--webhook-retry-initial", "0.2", "--webhook-failure-limit", "1"],
    });
    try {
      const local = await api(strict, "POST", "/v1/subscriptions", {
        token: strict.adminToken,
        body: { url: "http://127.0.0.1:9/imfed" },
      });
      expect(local.status).toBe(400);
      expect(local.body.error.message).toContain("--allow-http-loopback-webhooks");
      const named = await subscribe("https://localhost:9/imfed", undefined, strict);
      await waitFor("the refused delivery", async () => {
        const got = await api(strict, "GET", `/v1/subscriptions/${named.id}`, { token: strict.adminToken });
        return got.body.state === "paused";
      });
      const got = await api(strict, "GET", `/v1/subscriptions/${named.id}`, { token: strict.adminToken });
      expect(got.body.lastError).toMatch(/refused to connect to localhost: .* loopback address/);
    } finally {
      await strict.stop();
    }

    // A redirect is a failure, and its target is never asked.
    const target = await recording();
    const redirecting = await recording();
    redirecting.status = 302;
    redirecting.headers = { location: target.url };
    const created = await subscribe(redirecting.url, { kinds: ["Federation"] });
    redirecting.secret = created.secret;
    await write("PATCH", "/v1/federation", { archivingDisclaimer: true }, "cli", "redirected");
    await waitFor("the failed delivery", async () => (await subscription(created.id)).failures > 0);
    expect((await subscription(created.id)).lastError).toContain("302 (a redirect, which is never followed)");
    expect(redirecting.deliveries.length).toBeGreaterThan(0);
    expect(target.deliveries).toEqual([]);
  });

  it("never shows a subscription's secret in a GET, an audit entry, a delivery or the store's trace-level log", async () => {
    const receiver = await recording();
    const created = await subscribe(receiver.url);
    receiver.secret = created.secret;
    await write("PATCH", "/v1/federation", { anonymousUserAccess: true }, "cli", "secret check");
    await waitFor("a delivery", () => receiver.deliveries.some((d) => d.event?.reason === "secret check"));
    // The subscription's own creation is an audit entry it receives, without the secret.
    expect(receiver.deliveries[0]?.event).toMatchObject({
      target: `subscription/${created.id}`,
      action: "create",
    });
    await api(store, "DELETE", `/v1/subscriptions/${created.id}`, { token: store.adminToken });

    const list = await api(store, "GET", "/v1/subscriptions", { token: store.adminToken });
    const audit = await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken });
    expect(audit.text).toContain(`subscription/${created.id}`);
    // The audit log (view-only tokens read it) holds a subscription's origin, not its whole URL,
    // where chat webhooks carry their credential.
    expect(audit.text).toContain(`"url":"${new URL(receiver.url).origin}/..."`);
    expect(audit.text).not.toContain(receiver.url);
    expect(list.text).not.toContain(created.id);
    const everything = [
      list.text,
      audit.text,
      ...receiver.deliveries.map((d) => JSON.stringify(d.headers) + d.body),
      store.output(),
    ].join("\n");
    // The log is at trace level, and tells of the deliveries.
    expect(store.output()).toContain('"msg":"change event delivered"');
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(secret.slice("whsec_".length));
    }
  });
});
