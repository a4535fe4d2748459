import type { Browser, BrowserContext, Page } from "playwright-core";
import { api, providerPath } from "../../helpers/api";
import { artifactPath, browserSkipReason, launchChromium } from "../../helpers/browser";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

const skipReason = browserSkipReason();
const describeBrowser = skipReason === undefined ? describe : describe.skip;
if (skipReason !== undefined) console.warn(`Control Panel browser tests skipped: ${skipReason}`);

jest.setTimeout(90_000);

const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 420, height: 860 };
// The longest name and an Access Edge of long labels: what stretches a page the most.
const LONG_NAME = `L${"o".repeat(62)}g`;
// Run in the page (the tests are compiled without the DOM's types).
const PAGE_WIDTH = "document.documentElement.scrollWidth";
const BORDER_COLOUR = (element: unknown): string =>
  (globalThis as unknown as { getComputedStyle(of: unknown): { borderLeftColor: string } }).getComputedStyle(
    element,
  ).borderLeftColor;
const LONG_FQDN = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.example`;

describeBrowser("Control Panel defaults and consistency in Chromium", () => {
  let store: StoreProcess;
  let browser: Browser;
  let viewOnlyToken: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [store, browser] = await Promise.all([startStore(), launchChromium()]);
    const created = await api(store, "POST", "/v1/tokens", {
      token: store.adminToken,
      body: { name: "auditor", role: "CsViewOnlyAdministrator" },
    });
    expect(created.status).toBe(201);
    viewOnlyToken = created.body.token as string;
    const long = await api(store, "PUT", providerPath(LONG_NAME), {
      token: store.adminToken,
      body: {
        kind: "hosted",
        proxyFqdn: LONG_FQDN,
        enabled: true,
        autodiscoverUrl: `https://${LONG_FQDN}/x`,
      },
      headers: { "x-imfed-reason": encodeURIComponent(`a reason without spaces ${"x".repeat(200)}`) },
    });
    expect(long.status).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await store?.stop();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function signIn(token = store.adminToken, viewport = WIDE): Promise<Page> {
    const context = await browser.newContext({ baseURL: store.url, viewport });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/providers");
    return page;
  }

  async function auditNext(): Promise<number> {
    const response = await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken });
    return response.body.next as number;
  }

  // Opens a provider's form, lets the API change the provider, and commits: the refused page.
  async function refusedCommit(page: Page, name: string): Promise<void> {
    await page.goto(`/providers/details?name=${encodeURIComponent(name)}`);
    const write = await api(store, "PATCH", providerPath(name), {
      token: store.adminToken,
      body: { verificationLevel: "AlwaysUnverifiable" },
      headers: { "x-imfed-reason": encodeURIComponent("meanwhile") },
    });
    expect(write.status).toBe(200);
    await page.getByLabel("Allow all communications with this provider").check();
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === "POST"),
      page.getByRole("button", { name: "Commit" }).click(),
    ]);
    expect(response.status()).toBe(409);
    await page.waitForLoadState();
    const reset = await api(store, "PATCH", providerPath(name), {
      token: store.adminToken,
      body: { verificationLevel: "UseSourceVerification" },
    });
    expect(reset.status).toBe(200);
  }

  it("opens New > Public and New > Hosted with Enable communications with this provider cleared", async () => {
    const page = await signIn();
    for (const kind of ["Public", "Hosted"]) {
      await page.goto("/providers");
      await page.getByText("New", { exact: true }).click();
      await page.getByRole("link", { name: kind }).click();
      await page.waitForURL(`**/providers/new?kind=${kind.toLowerCase()}`);
      await expect(page.getByLabel("Enable communications with this provider").isChecked()).resolves.toBe(
        false,
      );
    }
    // Committed as it opens, the provider is created not enabled.
    await page.getByLabel("Provider name").fill("Created Cleared");
    await page.getByLabel("Access Edge (or FQDN)").fill("sip.cleared.example");
    await page.getByRole("button", { name: "Commit" }).click();
    await page.waitForURL("**/providers");
    const created = await api(store, "GET", providerPath("Created Cleared"), { token: store.adminToken });
    expect(created.body).toMatchObject({ kind: "hosted", enabled: false });
  });

  it("shows every error of a new provider's form at once, naming a taken name as it is stored", async () => {
    const before = await auditNext();
    const page = await signIn();
    await page.goto("/providers/new?kind=public");
    await page.getByLabel("Provider name").fill("yahoo!");
    await page.getByLabel("Access Edge (or FQDN)").fill("not_a_host");
    await page.getByRole("button", { name: "Commit" }).click();
    const nameError = (await page.locator("#name-error").textContent()) ?? "";
    expect(nameError).toContain('a provider named "Yahoo!" already exists');
    expect(nameError).not.toContain('"yahoo!"');
    await expect(page.locator("#proxyFqdn-error").textContent()).resolves.toMatch(
      /Access Edge \(or FQDN\) .*label/,
    );
    await expect(page.locator("#error-summary li").count()).resolves.toBe(2);

    // A taken name and a taken Access Edge together, each named as stored.
    await page.getByLabel("Provider name").fill("msn");
    await page.getByLabel("Access Edge (or FQDN)").fill("SIP.Yahoo.com");
    await page.getByRole("button", { name: "Commit" }).click();
    await expect(page.locator("#name-error").textContent()).resolves.toContain(
      'a provider named "MSN" already exists',
    );
    await expect(page.locator("#proxyFqdn-error").textContent()).resolves.toContain('provider "Yahoo!"');
    expect(await auditNext()).toBe(before);
  });

  it("shows a problem as a problem and a success as a success", async () => {
    const page = await signIn();
    // Edit > Show details with no provider selected.
    await page.getByText("Edit", { exact: true }).click();
    await page.getByRole("button", { name: "Show details" }).click();
    await page.waitForURL("**/providers");
    const problem = page.locator("main .flash");
    await expect(problem.textContent()).resolves.toContain("Select a provider in the table first");
    await expect(problem.getAttribute("role")).resolves.toBe("alert");
    await expect(problem.getAttribute("class")).resolves.toContain("problem");
    await expect(page.getByRole("status").count()).resolves.toBe(0);
    const problemColour = await problem.evaluate(BORDER_COLOUR);

    await page.goto("/providers/details?name=MSN");
    await page.getByRole("button", { name: "Commit" }).click();
    await page.waitForURL("**/providers");
    const success = page.getByRole("status");
    await expect(success.textContent()).resolves.toContain('provider "MSN"');
    await expect(success.getAttribute("class")).resolves.toContain("success");
    const successColour = await success.evaluate(BORDER_COLOUR);
    expect(problemColour).toMatch(/^rgb/);
    expect(successColour).toMatch(/^rgb/);
    expect(successColour).not.toBe(problemColour);
  });

  it("tells a view-only user who opens the New form or a deletion that they can only view", async () => {
    const page = await signIn(viewOnlyToken);
    for (const path of ["/providers/new?kind=public", "/providers/delete?name=MSN"]) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "You can only view" }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole("alert").textContent()).resolves.toContain("CsAdministrator");
      await expect(page.getByRole("alert").textContent()).resolves.not.toContain("Nothing was saved");
    }
  });

  it("shows every time in one format, on every page and on a refused form", async () => {
    const page = await signIn();
    await refusedCommit(page, "AOL");
    const pages: [string, () => Promise<unknown>][] = [
      ["refused form", async () => undefined],
      ["providers", () => page.goto("/providers")],
      ["details", () => page.goto("/providers/details?name=AOL")],
      ["federation", () => page.goto("/federation")],
      ["audit", () => page.goto("/audit")],
      ["delete", () => page.goto("/providers/delete?name=AOL")],
    ];
    for (const [name, open] of pages) {
      await open();
      const times = await page.locator("main time").allTextContents();
      expect({ name, times: times.length > 0 }).toEqual({ name, times: true });
      for (const time of times)
        expect({ name, time }).toEqual({
          name,
          time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
        });
      // No time is shown any other way, such as raw ISO 8601.
      const text = await page.locator("main").innerText();
      expect({ name, iso: /\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text) }).toEqual({ name, iso: false });
    }
  });

  it("keeps every date on one line, in a wide window and in a 420 px one", async () => {
    for (const viewport of [WIDE, NARROW]) {
      const page = await signIn(store.adminToken, viewport);
      for (const path of ["/providers", "/audit"]) {
        await page.goto(path);
        const lines = await page
          .locator("main time")
          .evaluateAll((elements) => elements.map((element) => element.getClientRects().length));
        expect(lines.length).toBeGreaterThan(0);
        expect({ path, viewport, lines }).toEqual({ path, viewport, lines: lines.map(() => 1) });
      }
    }
  });

  it("lays out every page at 420 px wide without scrolling the page sideways", async () => {
    const page = await signIn(store.adminToken, NARROW);
    const check = async (name: string) => {
      const width = Number(await page.evaluate(PAGE_WIDTH));
      expect({ name, fits: width <= 420 }).toEqual({ name, fits: true });
    };
    const paths = [
      "/providers",
      "/providers/new?kind=hosted",
      `/providers/details?name=${encodeURIComponent(LONG_NAME)}`,
      `/providers/delete?name=${encodeURIComponent(LONG_NAME)}`,
      "/federation",
      "/audit",
    ];
    for (const path of paths) {
      await page.goto(path);
      await check(path);
    }
    await page.screenshot({ path: artifactPath("control-panel", "audit-420.png"), fullPage: true });
    await refusedCommit(page, LONG_NAME);
    await check("refused form");
    await page.screenshot({ path: artifactPath("control-panel", "refused-420.png"), fullPage: true });
    await page.goto("/providers");
    await page.screenshot({ path: artifactPath("control-panel", "providers-420.png"), fullPage: true });

    const signedOut = await browser.newContext({ baseURL: store.url, viewport: NARROW });
    contexts.push(signedOut);
    const signInPage = await signedOut.newPage();
    await signInPage.goto("/sign-in");
    expect(Number(await signInPage.evaluate(PAGE_WIDTH))).toBeLessThanOrEqual(420);
  });
});
