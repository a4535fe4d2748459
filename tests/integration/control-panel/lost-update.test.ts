import type { Browser, BrowserContext, Page } from "playwright-core";
import { api, providerPath } from "../../helpers/api";
import { artifactPath, browserSkipReason, launchChromium } from "../../helpers/browser";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

const skipReason = browserSkipReason();
const describeBrowser = skipReason === undefined ? describe : describe.skip;
if (skipReason !== undefined) console.warn(`Control Panel browser tests skipped: ${skipReason}`);

jest.setTimeout(90_000);

// Two people edit the same object in two browsers (two browser contexts, two sessions): tab A
// opens a form, tab B changes the object and commits, then tab A commits.
describeBrowser("Control Panel forms opened before someone else's change (two browsers)", () => {
  let store: StoreProcess;
  let browser: Browser;
  let oncallToken: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [store, browser] = await Promise.all([startStore(), launchChromium()]);
    const created = await api(store, "POST", "/v1/tokens", {
      token: store.adminToken,
      body: { name: "oncall", role: "CsAdministrator" },
    });
    expect(created.status).toBe(201);
    oncallToken = created.body.token as string;
  });

  afterAll(async () => {
    await browser?.close();
    await store?.stop();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function signIn(token: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: store.url, viewport: { width: 1280, height: 900 } });
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

  async function provider(name: string) {
    const response = await api(store, "GET", providerPath(name), { token: store.adminToken });
    expect(response.status).toBe(200);
    return response.body;
  }

  async function createProvider(body: Record<string, unknown>): Promise<void> {
    const response = await api(store, "PUT", providerPath(String(body.name)), {
      token: store.adminToken,
      body,
    });
    expect(response.status).toBe(201);
  }

  async function commit(page: Page): Promise<number> {
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === "POST"),
      page.getByRole("button", { name: "Commit" }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  }

  const details = (name: string) => `/providers/details?name=${encodeURIComponent(name)}`;

  it("keeps a block made in another browser through both Commits of a form opened before it, and shows who blocked it, when and why", async () => {
    await createProvider({
      name: "Fabrikam",
      kind: "hosted",
      proxyFqdn: "sip.fabrikam.example",
      enabled: true,
      autodiscoverUrl: "https://autodiscover.fabrikam.example/a",
    });
    const tabA = await signIn(store.adminToken);
    const tabB = await signIn(oncallToken);
    await tabA.goto(details("Fabrikam"));
    await expect(tabA.getByLabel("Enable communications with this provider").isChecked()).resolves.toBe(true);

    // Tab B blocks the provider (and moves its autodiscover URL) with a reason.
    await tabB.goto(details("Fabrikam"));
    await tabB.getByLabel("Enable communications with this provider").uncheck();
    await tabB.getByLabel("Autodiscover URL (optional)").fill("https://autodiscover.fabrikam.example/b");
    await tabB.getByLabel("Reason (optional)").fill("spam wave, incident 7");
    expect(await commit(tabB)).toBe(303);
    expect(await provider("Fabrikam")).toMatchObject({ enabled: false, updatedBy: "oncall" });

    // Tab A, still showing the provider enabled, changes only the filtering option and commits.
    const before = await auditNext();
    await tabA.getByLabel("Allow all communications with this provider").check();
    expect(await commit(tabA)).toBe(409);
    expect(await auditNext()).toBe(before);
    await expect(tabA.getByRole("alert").first().textContent()).resolves.toContain(
      "changed after you opened this page, so nothing was saved",
    );
    // What changed since: who, how, when (in the pages' one format), why, old and new values.
    const changed = tabA.getByRole("region", { name: "What changed since you opened this page" });
    const change = changed.getByRole("row", { name: /spam wave, incident 7/ });
    const changeText = (await change.textContent()) ?? "";
    expect(changeText).toContain("oncall");
    expect(changeText).toContain("control-panel");
    expect(changeText).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(changeText).toMatch(/Enable communications with this provider: Yes\s*→\s*No/);
    expect(changeText).toMatch(
      /Autodiscover URL: https:\/\/autodiscover\.fabrikam\.example\/a\s*→\s*https:\/\/autodiscover\.fabrikam\.example\/b/,
    );
    await tabA.screenshot({ path: artifactPath("control-panel", "lost-update-refused.png"), fullPage: true });

    // The fields tab A did not touch now hold the current values; its own change is kept.
    await expect(tabA.getByLabel("Enable communications with this provider").isChecked()).resolves.toBe(
      false,
    );
    await expect(tabA.getByLabel("Autodiscover URL (optional)").inputValue()).resolves.toBe(
      "https://autodiscover.fabrikam.example/b",
    );
    await expect(tabA.getByLabel("Allow all communications with this provider").isChecked()).resolves.toBe(
      true,
    );

    // The second Commit saves tab A's change and leaves the block (and the URL) as tab B made them.
    await tabA.getByLabel("Reason (optional)").fill("looser filtering");
    expect(await commit(tabA)).toBe(303);
    expect(await provider("Fabrikam")).toMatchObject({
      enabled: false,
      verificationLevel: "AlwaysVerifiable",
      autodiscoverUrl: "https://autodiscover.fabrikam.example/b",
      updatedBy: "admin",
      updateReason: "looser filtering",
    });
  });

  it("lifts a block from a form opened before it only when the user ticks the box again on the page that shows the block", async () => {
    await createProvider({
      name: "Northwind",
      kind: "public",
      proxyFqdn: "sip.northwind.example",
      enabled: true,
    });
    const tabA = await signIn(store.adminToken);
    await tabA.goto(details("Northwind"));
    const blocked = await api(store, "PATCH", providerPath("Northwind"), {
      token: oncallToken,
      body: { enabled: false },
      headers: { "x-imfed-reason": encodeURIComponent("incident 8") },
    });
    expect(blocked.status).toBe(200);

    // Tab A clears and ticks the box again: it ends as it was opened, so it is not a change.
    await tabA.getByLabel("Enable communications with this provider").uncheck();
    await tabA.getByLabel("Enable communications with this provider").check();
    expect(await commit(tabA)).toBe(409);
    await expect(tabA.getByLabel("Enable communications with this provider").isChecked()).resolves.toBe(
      false,
    );
    expect(await commit(tabA)).toBe(303);
    expect(await provider("Northwind")).toMatchObject({ enabled: false, updatedBy: "oncall" });

    // Ticking it on a page that shows the block is the user's decision, and is saved.
    await tabA.goto(details("Northwind"));
    await tabA.getByLabel("Enable communications with this provider").check();
    expect(await commit(tabA)).toBe(303);
    expect(await provider("Northwind")).toMatchObject({ enabled: true, updatedBy: "admin" });
  });

  it("flags a setting both browsers changed to different values and saves it only once the user chooses", async () => {
    await createProvider({
      name: "Litware",
      kind: "public",
      proxyFqdn: "sip.litware.example",
      enabled: false,
    });
    const tabA = await signIn(store.adminToken);
    const tabB = await signIn(oncallToken);
    await tabA.goto(details("Litware"));
    await tabB.goto(details("Litware"));
    await tabB.getByLabel("Allow communications only with users on recipients' contact lists").check();
    await tabB.getByLabel("Reason (optional)").fill("contacts only, ticket 9");
    expect(await commit(tabB)).toBe(303);

    const before = await auditNext();
    await tabA.getByLabel("Allow all communications with this provider").check();
    expect(await commit(tabA)).toBe(409);
    const decision = tabA.getByRole("group", { name: "Filtering option" });
    await expect(decision.textContent()).resolves.toContain("choose which to save");
    const keep = tabA.getByLabel(
      "Keep the current value: Allow communications only with users on recipients' contact lists",
    );
    const mine = tabA.getByLabel("Use your entry: Allow all communications with this provider");
    await expect(keep.isChecked()).resolves.toBe(false);
    await expect(mine.isChecked()).resolves.toBe(false);
    const outcome = tabA.getByRole("row", { name: /^Filtering option/ });
    await expect(outcome.textContent()).resolves.toContain("your choice");

    // Commit without a choice saves nothing and asks again.
    expect(await commit(tabA)).toBe(400);
    await expect(tabA.locator("#verificationLevel-error").textContent()).resolves.toContain(
      "choose which value to save",
    );
    expect(await auditNext()).toBe(before);
    expect(await provider("Litware")).toMatchObject({ verificationLevel: "AlwaysUnverifiable" });

    // The user chooses their own entry: that is saved.
    await tabA.getByLabel("Use your entry: Allow all communications with this provider").check();
    expect(await commit(tabA)).toBe(303);
    expect(await provider("Litware")).toMatchObject({
      verificationLevel: "AlwaysVerifiable",
      enabled: false,
      updatedBy: "admin",
    });
  });

  it("refuses the federation form after someone else's change, keeping their setting and the user's own", async () => {
    const tabA = await signIn(store.adminToken);
    await tabA.getByRole("navigation").getByRole("link", { name: "Federation" }).click();
    const meanwhile = await api(store, "PATCH", "/v1/federation", {
      token: oncallToken,
      body: { enabled: true },
      headers: { "x-imfed-reason": encodeURIComponent("go-live, change 10") },
    });
    expect(meanwhile.status).toBe(200);

    const before = await auditNext();
    await tabA.getByLabel("Enable partner domain discovery").check();
    expect(await commit(tabA)).toBe(409);
    expect(await auditNext()).toBe(before);
    const changed = tabA.getByRole("region", { name: "What changed since you opened this page" });
    const change = changed.getByRole("row", { name: /go-live, change 10/ });
    await expect(change.textContent()).resolves.toMatch(
      /Enable federation and public IM connectivity: No\s*→\s*Yes/,
    );
    await expect(tabA.getByLabel("Enable federation and public IM connectivity").isChecked()).resolves.toBe(
      true,
    );
    await expect(tabA.getByLabel("Enable partner domain discovery").isChecked()).resolves.toBe(true);
    expect(await commit(tabA)).toBe(303);
    const federation = await api(store, "GET", "/v1/federation", { token: store.adminToken });
    expect(federation.body).toMatchObject({ enabled: true, partnerDiscovery: true, updatedBy: "admin" });
  });

  it("does not delete a provider that changed after its delete confirmation was opened, and shows what changed", async () => {
    await createProvider({
      name: "Tailspin",
      kind: "public",
      proxyFqdn: "sip.tailspin.example",
      enabled: true,
    });
    const tabA = await signIn(store.adminToken);
    await tabA.goto(`/providers/delete?name=Tailspin`);
    const blocked = await api(store, "PATCH", providerPath("Tailspin"), {
      token: oncallToken,
      body: { enabled: false },
      headers: { "x-imfed-reason": encodeURIComponent("kept for the audit, ticket 11") },
    });
    expect(blocked.status).toBe(200);

    const [refused] = await Promise.all([
      tabA.waitForResponse((answer) => answer.request().method() === "POST"),
      tabA.getByRole("button", { name: "Delete provider" }).click(),
    ]);
    expect(refused.status()).toBe(409);
    expect(await provider("Tailspin")).toMatchObject({ enabled: false });
    const changed = tabA.getByRole("region", { name: "What changed since you opened this page" });
    await expect(changed.textContent()).resolves.toContain("kept for the audit, ticket 11");
    await expect(changed.textContent()).resolves.toMatch(
      /Enable communications with this provider: Yes\s*→\s*No/,
    );

    // Confirming again, on the page that shows the change, deletes it.
    const [deleted] = await Promise.all([
      tabA.waitForResponse((answer) => answer.request().method() === "POST"),
      tabA.getByRole("button", { name: "Delete provider" }).click(),
    ]);
    expect(deleted.status()).toBe(303);
    const gone = await api(store, "GET", providerPath("Tailspin"), { token: store.adminToken });
    expect(gone.status).toBe(404);
  });
});
