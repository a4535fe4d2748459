import type { Browser, BrowserContext, Page } from "playwright-core";
import { imProviderKind } from "../../../core";
import { api, providerPath } from "../../helpers/api";
import { browserSkipReason, launchChromium } from "../../helpers/browser";
import type { ConsumerProject, SerializedProviders } from "../../helpers/consumer-project";
import { makeConsumerProject } from "../../helpers/consumer-project";
import { runImfed } from "../../helpers/imfed-cli";
import type { ProviderHost } from "../../helpers/provider-host";
import { secret, startProviderHost, urnOf } from "../../helpers/provider-host";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

/**
 * A hosted provider's `sipClientPort` (Lync Server 2013 and later: `-SipClientPort`), the field
 * added to the kind's definition alone: every layer has it, derived from that definition. It is
 * a whole number from 1 to 65535, 443 by default, only a hosted provider's, changed in place,
 * and kept out of the default views as the cmdlets keep it out of their default output.
 */

const skipBrowser = browserSkipReason();
if (skipBrowser !== undefined) console.warn(`the Control Panel case is skipped: ${skipBrowser}`);

jest.setTimeout(120_000);

let store: StoreProcess;
let project: ConsumerProject;
let serialized: SerializedProviders;
let host: ProviderHost;

beforeAll(async () => {
  store = await startStore();
  project = makeConsumerProject();
  serialized = project.serializeProviders();
  host = await startProviderHost({ hostScript: project.hostScript, cwd: project.dir });
  await host.configure({ "imfed:endpoint": store.url, "imfed:token": secret(store.adminToken) });
}, 180_000);

afterAll(async () => {
  await host?.stop();
  await store?.stop();
  project?.remove();
});

function hosted(name: string, fqdn: string, extra: Record<string, unknown> = {}) {
  return { name, kind: "hosted", proxyFqdn: fqdn, enabled: true, ...extra };
}

function imfed(args: readonly string[]) {
  return runImfed(args, { IMFED_ENDPOINT: store.url, IMFED_TOKEN: store.adminToken });
}

describe("through the HTTP API", () => {
  it("is 443 on a hosted provider written without it, and absent from a public provider", async () => {
    const created = await api(store, "PUT", providerPath("Port Default"), {
      token: store.adminToken,
      body: hosted("Port Default", "sip.port-default.example"),
    });
    expect(created.status).toBe(201);
    expect(created.body.sipClientPort).toBe(443);
    const yahoo = await api(store, "GET", providerPath("Yahoo!"), { token: store.adminToken });
    expect(yahoo.body).not.toHaveProperty("sipClientPort");
  });

  it.each([0, 65536, 443.5, "443", null])(
    "refuses %p with the field named and nothing written",
    async (value) => {
      const before = await api(store, "GET", providerPath("Port Default"), { token: store.adminToken });
      const refused = await api(store, "PATCH", providerPath("Port Default"), {
        token: store.adminToken,
        body: { sipClientPort: value },
      });
      if (value === null) {
        // In a merge patch, null restores the default.
        expect([refused.status, refused.body.sipClientPort]).toEqual([200, 443]);
        return;
      }
      expect([refused.status, refused.body.error]).toEqual([
        400,
        expect.objectContaining({
          code: "validation_failed",
          details: [{ path: "sipClientPort", message: "must be a whole number from 1 to 65535" }],
        }),
      ]);
      const after = await api(store, "GET", providerPath("Port Default"), { token: store.adminToken });
      expect(after.body).toEqual(before.body);
    },
  );

  it("changes in place: a PATCH keeps the provider (its creation time) and gives it a new revision", async () => {
    const before = await api(store, "GET", providerPath("Port Default"), { token: store.adminToken });
    const changed = await api(store, "PATCH", providerPath("Port Default"), {
      token: store.adminToken,
      body: { sipClientPort: 5061 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      sipClientPort: 5061,
      revision: (before.body.revision as number) + 1,
    });
  });
});

describe("through the Pulumi provider", () => {
  it("creates a hosted provider with it, and a change of it is an update in place, not a replacement", async () => {
    const provider = serialized.imProviderProvider;
    const urn = urnOf(imProviderKind.typeToken, "port-provider");
    const declared = { ...hosted("Port Provider", "sip.port-provider.example"), sipClientPort: 5061 };
    const checked = await host.check(urn, {}, { ...declared, __provider: provider });
    expect(checked.failures).toEqual([]);
    const { id, outputs } = await host.create(urn, checked.inputs);
    expect(outputs.sipClientPort).toBe(5061);

    const next = await host.check(urn, checked.inputs, {
      ...declared,
      sipClientPort: 5062,
      __provider: provider,
    });
    expect(next.failures).toEqual([]);
    const diff = await host.diff(urn, id, {
      oldInputs: checked.inputs,
      oldOutputs: outputs,
      newInputs: next.inputs,
    });
    expect(diff).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(urn, id, {
      oldInputs: checked.inputs,
      oldOutputs: outputs,
      newInputs: next.inputs,
    });
    expect(updated.outputs.sipClientPort).toBe(5062);
    const stored = await api(store, "GET", providerPath("Port Provider"), { token: store.adminToken });
    expect(stored.body).toMatchObject({ sipClientPort: 5062, updatedVia: "pulumi" });
  });

  it("refuses an invalid port in check, naming the field", async () => {
    const urn = urnOf(imProviderKind.typeToken, "port-invalid");
    const declared = { ...hosted("Port Invalid", "sip.port-invalid.example"), sipClientPort: 70000 };
    const checked = await host.check(urn, {}, { ...declared, __provider: serialized.imProviderProvider });
    expect(checked.failures).toEqual([
      { property: "sipClientPort", reason: expect.stringContaining("65535") },
    ]);
  });
});

describe("through the CLI", () => {
  it("sets it with --sip-client-port, shows it only with --all, and refuses a bad port with exit 2", async () => {
    const created = await imfed([
      "providers",
      "create",
      "Port CLI",
      "--kind",
      "hosted",
      "--fqdn",
      "sip.port-cli.example",
      "--enabled",
      "true",
      "--json",
    ]);
    expect([created.code, created.stderr]).toEqual([0, ""]);
    expect(JSON.parse(created.stdout)).toMatchObject({ sipClientPort: 443 });

    const set = await imfed(["providers", "set", "Port CLI", "--sip-client-port", "5070", "--json"]);
    expect([set.code, set.stderr]).toEqual([0, ""]);
    expect(JSON.parse(set.stdout)).toMatchObject({ sipClientPort: 5070 });

    const view = await imfed(["providers", "show", "Port CLI"]);
    expect(view.stdout).not.toContain("SIP client port");
    const all = await imfed(["providers", "show", "Port CLI", "--all"]);
    expect(all.stdout).toMatch(/SIP client port\s*:?\s*5070/);

    const refused = await imfed(["providers", "set", "Port CLI", "--sip-client-port", "70000"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("sipClientPort must be a whole number from 1 to 65535");
    const stored = await api(store, "GET", providerPath("Port CLI"), { token: store.adminToken });
    expect(stored.body.sipClientPort).toBe(5070);
  });
});

(skipBrowser === undefined ? describe : describe.skip)("through the Control Panel in Chromium", () => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: store.url, viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  async function signIn(): Promise<Page> {
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Token").fill(store.adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/providers");
    return page;
  }

  it("offers it on a hosted provider's form with 443 preselected, not on a public one's, and commits a change in place", async () => {
    const page = await signIn();
    await page.goto("/providers/new?kind=public");
    await expect(page.getByLabel("SIP client port").count()).resolves.toBe(0);
    await page.goto("/providers/new?kind=hosted");
    await expect(page.getByLabel("SIP client port").inputValue()).resolves.toBe("443");

    await page.goto(`/providers/details?name=${encodeURIComponent("Port Default")}`);
    const before = await api(store, "GET", providerPath("Port Default"), { token: store.adminToken });
    await expect(page.getByLabel("SIP client port").inputValue()).resolves.toBe(
      String(before.body.sipClientPort),
    );
    await page.getByLabel("SIP client port").fill("5080");
    await page.getByRole("button", { name: "Commit" }).click();
    await page.waitForURL("**/providers");
    const after = await api(store, "GET", providerPath("Port Default"), { token: store.adminToken });
    expect(after.body).toMatchObject({
      sipClientPort: 5080,
      updatedVia: "control-panel",
      createdAt: before.body.createdAt,
    });
    expect(after.body.revision).toBeGreaterThan(before.body.revision as number);
  });
});
