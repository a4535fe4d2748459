import type { AuditEntry } from "../../../core";
import { changeEventOf, isDrift, summaryOf } from "../../../store/events/change-event";
import { backoffMs, passes } from "../../../store/events/event-delivery";
import { webhookSignature } from "../../../store/events/webhook-signature";
import { addressProblem, checkWebhookUrl } from "../../../store/events/webhook-url";
import { TOLERANCE_SECONDS, verifyWebhook } from "../../../examples/webhook-receiver/index";

function entry(overrides: Partial<AuditEntry>): AuditEntry {
  return {
    seq: 7,
    at: "2026-12-02T17:00:00.000Z",
    actor: "ops-oncall",
    via: "control-panel",
    action: "update",
    target: "provider/Yahoo!",
    before: {
      name: "Yahoo!",
      kind: "public",
      proxyFqdn: "sip.yahoo.com",
      enabled: true,
      updatedVia: "pulumi",
    },
    after: {
      name: "Yahoo!",
      kind: "public",
      proxyFqdn: "sip.yahoo.com",
      enabled: false,
      updatedVia: "control-panel",
    },
    reason: "spam wave, incident 42",
    ...overrides,
  };
}

describe("change events", () => {
  it("says a provider's block and unblock in the operators' words", () => {
    expect(summaryOf(entry({}))).toBe("ops-oncall blocked Yahoo! via control-panel: spam wave, incident 42");
    const unblock = entry({ before: entry({}).after, after: entry({}).before, reason: null, via: "cli" });
    expect(summaryOf(unblock)).toBe("ops-oncall unblocked Yahoo! via cli");
  });

  it("derives the other verbs from the kind and the change", () => {
    expect(summaryOf(entry({ action: "create", before: null, reason: null }))).toBe(
      "ops-oncall created provider Yahoo! via control-panel",
    );
    expect(summaryOf(entry({ action: "delete", after: null, reason: null }))).toBe(
      "ops-oncall deleted provider Yahoo! via control-panel",
    );
    expect(
      summaryOf(
        entry({
          target: "federation",
          before: { enabled: false, partnerDiscovery: false },
          after: { enabled: true, partnerDiscovery: false },
          reason: "go-live",
        }),
      ),
    ).toBe("ops-oncall changed the federation settings (enabled false -> true) via control-panel: go-live");
    expect(summaryOf(entry({ target: "token/ci", action: "create", before: null, reason: null }))).toBe(
      "ops-oncall created token/ci via control-panel",
    );
  });

  it("keeps the summary on one line whatever the reason holds", () => {
    expect(summaryOf(entry({ reason: "one\ntwo\r\nthree" }))).not.toMatch(/[\r\n]/);
  });

  it("is drift only for a write outside Pulumi to an object Pulumi wrote last", () => {
    expect(isDrift(entry({}))).toBe(true);
    expect(isDrift(entry({ via: "pulumi" }))).toBe(false);
    expect(isDrift(entry({ before: { updatedVia: "cli" } }))).toBe(false);
    expect(isDrift(entry({ action: "create", before: null }))).toBe(false);
    expect(changeEventOf(entry({}))).toMatchObject({ kind: "ImProvider", drift: true, seq: 7 });
    expect(changeEventOf(entry({ target: "token/ci" })).kind).toBeNull();
  });

  it("filters by kind, by client and by drift", () => {
    expect(passes({}, entry({}))).toBe(true);
    expect(passes({ kinds: ["Federation"] }, entry({}))).toBe(false);
    expect(passes({ kinds: ["ImProvider"] }, entry({}))).toBe(true);
    expect(passes({ kinds: ["ImProvider"] }, entry({ target: "token/ci" }))).toBe(false);
    expect(passes({ via: ["cli", "api"] }, entry({}))).toBe(false);
    expect(passes({ driftOnly: true }, entry({ via: "pulumi" }))).toBe(false);
    expect(passes({ driftOnly: true, via: ["control-panel"] }, entry({}))).toBe(true);
  });

  it("backs off exponentially with jitter, never past the maximum and never at once", () => {
    const retry = { initialMs: 1000, maxMs: 60_000, failureLimit: 10 };
    for (let failures = 1; failures <= 40; failures++) {
      const exponential = Math.min(60_000, 1000 * 2 ** (failures - 1));
      for (let i = 0; i < 20; i++) {
        const wait = backoffMs(retry, failures);
        expect(wait).toBeGreaterThanOrEqual(exponential / 2);
        expect(wait).toBeLessThanOrEqual(exponential);
      }
    }
  });
});

describe("webhook URLs and addresses", () => {
  const strict = { allowHttpLoopback: false };
  const loose = { allowHttpLoopback: true };

  it("refuses every address that is not public, and loopback unless allowed", () => {
    for (const address of [
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "fd00::1",
      "fe80::1",
      "::ffff:10.0.0.1",
    ])
      expect([address, addressProblem(address, loose)]).toEqual([address, expect.any(String)]);
    expect(addressProblem("127.0.0.1", strict)).toContain("--allow-http-loopback-webhooks");
    expect(addressProblem("::1", strict)).toContain("loopback");
    expect(addressProblem("127.0.0.1", loose)).toBeUndefined();
    expect(addressProblem("93.184.216.34", strict)).toBeUndefined();
    expect(addressProblem("2606:4700::6810:85e5", strict)).toBeUndefined();
  });

  it("takes https, and http only to loopback when allowed", () => {
    expect(checkWebhookUrl("https://hooks.example.com/imfed", strict).host).toBe("hooks.example.com");
    expect(() => checkWebhookUrl("http://127.0.0.1:8080/", strict)).toThrow(/--allow-http-loopback-webhooks/);
    expect(checkWebhookUrl("http://127.0.0.1:8080/", loose).port).toBe("8080");
    expect(checkWebhookUrl("http://localhost:8080/", loose).port).toBe("8080");
    expect(() => checkWebhookUrl("http://hooks.example.com/", loose)).toThrow(/must be https/);
    expect(() => checkWebhookUrl("https://hooks.example.com/#x", strict)).toThrow(/fragment/);
  });
});

describe("the example receiver's verification", () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
  const now = 1_800_000_000;
  const body = JSON.stringify({ seq: 1, summary: "x" });
  const headers = (timestamp: number, signedBody = body) => ({
    "webhook-id": "msg_sub_1_1",
    "webhook-timestamp": String(timestamp),
    "webhook-signature": webhookSignature(secret, "msg_sub_1_1", timestamp, signedBody),
  });

  it("accepts what the store signs, within the tolerance", () => {
    expect(verifyWebhook(secret, headers(now), body, now)).toEqual({ seq: 1, summary: "x" });
    expect(verifyWebhook(secret, headers(now - TOLERANCE_SECONDS), body, now).seq).toBe(1);
  });

  it("refuses a tampered body, another id, another secret and an old or future timestamp", () => {
    expect(() => verifyWebhook(secret, headers(now), body.replace("x", "y"), now)).toThrow(
      /no valid v1 signature/,
    );
    expect(() => verifyWebhook(secret, { ...headers(now), "webhook-id": "msg_sub_1_2" }, body, now)).toThrow(
      /no valid v1 signature/,
    );
    const other = `whsec_${Buffer.alloc(32, 8).toString("base64")}`;
    expect(() => verifyWebhook(other, headers(now), body, now)).toThrow(/no valid v1 signature/);
    expect(() => verifyWebhook(secret, headers(now - TOLERANCE_SECONDS - 1), body, now)).toThrow(
      /more than 300 s/,
    );
    expect(() => verifyWebhook(secret, headers(now + TOLERANCE_SECONDS + 1), body, now)).toThrow(
      /more than 300 s/,
    );
  });
});
