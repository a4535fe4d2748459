import type { Browser, BrowserContext, Page } from "playwright-core";
import { api, providerPath } from "../../helpers/api";
import { artifactPath, browserSkipReason, launchChromium } from "../../helpers/browser";
import type { StoreProcess } from "../../helpers/store-process";
import { startStore } from "../../helpers/store-process";

const skipReason = browserSkipReason();
const describeBrowser = skipReason === undefined ? describe : describe.skip;
if (skipReason !== undefined) {
  // A visible message, not a silent skip.
  console.warn(`Control Panel browser tests skipped: ${skipReason}`);
}

jest.setTimeout(60_000);

describeBrowser("Control Panel in Chromium against a real store", () => {
  let store: StoreProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [store, browser] = await Promise.all([startStore(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await store?.stop();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: store.url, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  async function signIn(token = store.adminToken): Promise<Page> {
    const page = await newPage();
    await page.goto("/");
    await page.getByLabel("Token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/providers");
    return page;
  }

  async function auditNext(): Promise<number> {
    const response = await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken });
    return response.body.next as number;
  }

  async function makeToken(name: string, role: string): Promise<string> {
    const response = await api(store, "POST", "/v1/tokens", {
      token: store.adminToken,
      body: { name, role },
    });
    expect(response.status).toBe(201);
    return response.body.token as string;
  }

  it("signs in with a token for an HttpOnly, SameSite=Strict session cookie that does not hold the token", async () => {
    const page = await signIn();
    await expect(page.getByRole("heading", { name: "Providers" }).isVisible()).resolves.toBe(true);
    await expect(page.getByText("Signed in as")).toBeTruthy();
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === "imfed_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    expect(session?.value).not.toContain(store.adminToken);
    expect(JSON.stringify(cookies)).not.toContain(store.adminToken);
    // The built-ins are in the table, not enabled, with the default filtering option's label.
    const msn = page.getByRole("row", { name: /MSN/ });
    await expect(msn.textContent()).resolves.toContain("federation.messenger.msn.com");
    await expect(msn.textContent()).resolves.toMatch(/\bNo\b/);
    await expect(msn.textContent()).resolves.toContain(
      "Allow communications only with users verified by this provider",
    );
  });

  it("refuses a wrong token at sign-in with an inline error", async () => {
    const page = await newPage();
    await page.goto("/sign-in");
    await page.getByLabel("Token").fill("imfed_not-a-token-of-this-store");
    const [response] = await Promise.all([
      page.waitForResponse(
        (answer) => answer.url().endsWith("/sign-in") && answer.request().method() === "POST",
      ),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    expect(response.status()).toBe(401);
    await expect(page.locator("#token-error").textContent()).resolves.toContain("not valid");
    expect((await page.context().cookies()).some((cookie) => cookie.name === "imfed_session")).toBe(false);
  });

  it("sends security headers: a CSP without inline script, no framing, no sniffing", async () => {
    const page = await newPage();
    const response = await page.goto("/sign-in");
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"]).toContain("default-src 'none'");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).not.toContain("unsafe-inline");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["cache-control"]).toBe("no-store");
  });

  it("creates a public provider by the Lync procedure: New > Public, name, Access Edge, enable, a filtering option, Commit", async () => {
    const page = await signIn();
    // Step 3: External User Access, Providers, New, Public.
    await page.getByRole("link", { name: "External User Access" }).click();
    await page.getByRole("link", { name: "Providers", exact: true }).click();
    await page.getByText("New", { exact: true }).click();
    await page.getByRole("link", { name: "Public" }).click();
    await page.waitForURL("**/providers/new?kind=public");
    // The default filtering option is preselected.
    await expect(
      page.getByLabel("Allow communications only with users verified by this provider").isChecked(),
    ).resolves.toBe(true);
    // Hosted-only fields are not on a public provider's form.
    await expect(page.getByLabel("Autodiscover URL (optional)").count()).resolves.toBe(0);
    await page.getByLabel("Provider name").fill("Contoso IM");
    await page.getByLabel("Access Edge (or FQDN)").fill("SIP.Contoso.example");
    // Step 4: select Enable communications with this provider, then a filtering option.
    await page.getByLabel("Enable communications with this provider").check();
    await page.getByLabel("Allow all communications with this provider").check();
    await page.getByLabel("Reason (optional)").fill("new partner, change 1234");
    // Step 6: Commit.
    await page.getByRole("button", { name: "Commit" }).click();
    await page.waitForURL("**/providers");
    await expect(page.getByRole("status").textContent()).resolves.toContain(
      'Created public provider "Contoso IM"',
    );
    const row = page.getByRole("row", { name: /Contoso IM/ });
    await expect(row.textContent()).resolves.toContain("sip.contoso.example");
    await expect(row.textContent()).resolves.toContain("Allow all communications with this provider");
    await page.screenshot({ path: artifactPath("control-panel", "providers-page.png"), fullPage: true });

    const provider = await api(store, "GET", providerPath("Contoso IM"), { token: store.adminToken });
    expect(provider.status).toBe(200);
    expect(provider.body).toMatchObject({
      name: "Contoso IM",
      kind: "public",
      proxyFqdn: "sip.contoso.example",
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
      updatedBy: "admin",
      updatedVia: "control-panel",
      updateReason: "new partner, change 1234",
    });
  });

  it("blocks the provider by clearing Enable communications with this provider and Commit with a reason", async () => {
    const page = await signIn();
    // Step 5: click the provider in the table, Edit, Show details.
    await page.getByLabel("Select Contoso IM").check();
    await page.getByText("Edit", { exact: true }).click();
    await page.getByRole("button", { name: "Show details" }).click();
    await page.waitForURL(/\/providers\/details\?name=Contoso/);
    await expect(page.getByLabel("Provider name").getAttribute("readonly")).resolves.not.toBeNull();
    await expect(page.getByLabel("Allow all communications with this provider").isChecked()).resolves.toBe(
      true,
    );
    await page.screenshot({ path: artifactPath("control-panel", "edit-form.png"), fullPage: true });
    await page.getByLabel("Enable communications with this provider").uncheck();
    await page.getByLabel("Reason (optional)").fill("spam wave, incident 42");
    await page.getByRole("button", { name: "Commit" }).click();
    await page.waitForURL("**/providers");
    await expect(page.getByRole("status").textContent()).resolves.toContain("blocked");
    await expect(page.getByRole("row", { name: /Contoso IM/ }).textContent()).resolves.toMatch(/\bNo\b/);

    const provider = await api(store, "GET", providerPath("Contoso IM"), { token: store.adminToken });
    expect(provider.body).toMatchObject({
      enabled: false,
      verificationLevel: "AlwaysVerifiable",
      updatedBy: "admin",
      updatedVia: "control-panel",
      updateReason: "spam wave, incident 42",
    });
    const audit = await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken });
    const last = audit.body.items.at(-1);
    expect(last).toMatchObject({
      actor: "admin",
      via: "control-panel",
      action: "update",
      target: "provider/Contoso IM",
      reason: "spam wave, incident 42",
    });
    expect(last.before.enabled).toBe(true);
    expect(last.after.enabled).toBe(false);

    // The audit page shows the change with its reason.
    await page.getByRole("link", { name: "Audit log" }).click();
    const entry = page.getByRole("row", { name: /spam wave, incident 42/ });
    await expect(entry.textContent()).resolves.toContain("enabled: true → false");
    await expect(entry.textContent()).resolves.toContain("control-panel");
  });

  it("shows an inline error at Access Edge (or FQDN) for a bad FQDN and writes nothing", async () => {
    const before = await auditNext();
    const page = await signIn();
    await page.goto("/providers/new?kind=public");
    await page.getByLabel("Provider name").fill("Bad Edge");
    await page.getByLabel("Access Edge (or FQDN)").fill("not_a_host");
    await page.getByLabel("Enable communications with this provider").check();
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === "POST"),
      page.getByRole("button", { name: "Commit" }).click(),
    ]);
    expect(response.status()).toBe(400);
    const fieldError = page.locator("#proxyFqdn-error");
    await expect(fieldError.textContent()).resolves.toMatch(/Access Edge \(or FQDN\) .*label/);
    await expect(page.getByLabel("Access Edge (or FQDN)").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(
      page.getByLabel("Access Edge (or FQDN)").getAttribute("aria-describedby"),
    ).resolves.toContain("proxyFqdn-error");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Nothing was saved");
    // What was typed is kept.
    await expect(page.getByLabel("Provider name").inputValue()).resolves.toBe("Bad Edge");
    await expect(page.getByLabel("Access Edge (or FQDN)").inputValue()).resolves.toBe("not_a_host");

    expect(await auditNext()).toBe(before);
    expect((await api(store, "GET", providerPath("Bad Edge"), { token: store.adminToken })).status).toBe(404);
  });

  it("shows a taken Access Edge FQDN as an inline conflict and writes nothing", async () => {
    const before = await auditNext();
    const page = await signIn();
    await page.goto("/providers/new?kind=hosted");
    await expect(page.getByLabel("Autodiscover URL (optional)").count()).resolves.toBe(1);
    await page.getByLabel("Provider name").fill("Copy of MSN");
    await page.getByLabel("Access Edge (or FQDN)").fill("federation.messenger.msn.com");
    await page.getByRole("button", { name: "Commit" }).click();
    await expect(page.locator("#proxyFqdn-error").textContent()).resolves.toContain('provider "MSN"');
    expect(await auditNext()).toBe(before);
  });

  it("refuses a Commit when someone else changed the provider since the form was opened, saying who", async () => {
    const page = await signIn();
    await page.goto(`/providers/details?name=${encodeURIComponent("Contoso IM")}`);
    const meanwhile = await api(store, "PATCH", providerPath("Contoso IM"), {
      token: store.adminToken,
      body: { verificationLevel: "AlwaysUnverifiable" },
      headers: { "x-imfed-reason": encodeURIComponent("changed by the pipeline") },
    });
    expect(meanwhile.status).toBe(200);
    const before = await auditNext();
    await page.getByLabel("Enable communications with this provider").check();
    await page.getByRole("button", { name: "Commit" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "changed after you opened this page",
    );
    const changed = page.getByRole("region", { name: "What changed since you opened this page" });
    await expect(changed.textContent()).resolves.toContain("changed by the pipeline");
    expect(await auditNext()).toBe(before);
    // The form now carries the new revision, the operator's own change and the pipeline's
    // filtering option: a second Commit applies both.
    await expect(page.getByLabel("Enable communications with this provider").isChecked()).resolves.toBe(true);
    await expect(
      page.getByLabel("Allow communications only with users on recipients' contact lists").isChecked(),
    ).resolves.toBe(true);
    await page.getByRole("button", { name: "Commit" }).click();
    await page.waitForURL("**/providers");
    const provider = await api(store, "GET", providerPath("Contoso IM"), { token: store.adminToken });
    expect(provider.body).toMatchObject({
      enabled: true,
      verificationLevel: "AlwaysUnverifiable",
      updatedVia: "control-panel",
    });
  });

  it("creates a hosted provider with its hosted-only settings, and shows a bad autodiscover URL inline", async () => {
    const page = await signIn();
    await page.getByText("New", { exact: true }).click();
    await page.getByRole("link", { name: "Hosted" }).click();
    await page.getByLabel("Provider name").fill("Hosted Lync");
    await page.getByLabel("Access Edge (or FQDN)").fill("sip.hostedlync.example");
    await page.getByLabel("Enable shared SIP address space").check();
    await page.getByLabel("Autodiscover URL (optional)").fill("http://insecure.example/autodiscover");
    await page.getByRole("button", { name: "Commit" }).click();
    await expect(page.locator("#autodiscoverUrl-error").textContent()).resolves.toContain("https URL");
    await page
      .getByLabel("Autodiscover URL (optional)")
      .fill("https://autodiscover.hostedlync.example/autodiscover");
    await page.getByRole("button", { name: "Commit" }).click();
    await page.waitForURL("**/providers");
    const provider = await api(store, "GET", providerPath("Hosted Lync"), { token: store.adminToken });
    expect(provider.body).toMatchObject({
      kind: "hosted",
      enabledSharedAddressSpace: true,
      hostsOcsUsers: false,
      autodiscoverUrl: "https://autodiscover.hostedlync.example/autodiscover",
      updatedVia: "control-panel",
    });
  });

  it("gives a view-only token no edit controls and refuses its forged posts", async () => {
    const viewOnly = await makeToken("auditor", "CsViewOnlyAdministrator");
    const before = await auditNext();
    const page = await signIn(viewOnly);
    await expect(page.getByText("view only").count()).resolves.toBe(1);
    await expect(page.getByText("New", { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByText("Edit", { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByRole("radio").count()).resolves.toBe(0);
    await page.getByRole("link", { name: "MSN" }).click();
    await expect(page.getByRole("heading", { name: "Provider MSN" }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: "Commit" }).count()).resolves.toBe(0);
    await expect(page.locator("input:not([type=hidden])").count()).resolves.toBe(0);
    await page.getByRole("navigation").getByRole("link", { name: "Federation" }).click();
    await expect(page.getByRole("button", { name: "Commit" }).count()).resolves.toBe(0);
    expect((await page.goto("/providers/new?kind=public"))?.status()).toBe(403);

    // A forged post with the session's own CSRF token (from the sign-out form) is refused too.
    await page.goto("/providers");
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const create = await page.request.post("/providers/new", {
      form: { _csrf: csrf, kind: "public", name: "Forged", proxyFqdn: "sip.forged.example", enabled: "on" },
    });
    expect(create.status()).toBe(403);
    expect(await create.text()).toContain("may only read");
    const block = await page.request.post("/providers/details?name=MSN", {
      form: { _csrf: csrf, enabled: "on", verificationLevel: "AlwaysVerifiable" },
    });
    expect(block.status()).toBe(403);
    const federation = await page.request.post("/federation", { form: { _csrf: csrf, enabled: "on" } });
    expect(federation.status()).toBe(403);
    const remove = await page.request.post("/providers/delete?name=MSN", { form: { _csrf: csrf } });
    expect(remove.status()).toBe(403);

    expect(await auditNext()).toBe(before);
    expect((await api(store, "GET", providerPath("Forged"), { token: store.adminToken })).status).toBe(404);
    const msn = await api(store, "GET", providerPath("MSN"), { token: store.adminToken });
    expect(msn.body).toMatchObject({ enabled: false, updatedBy: "system" });
  });

  it("refuses a form post without the session's CSRF token (403) and writes nothing", async () => {
    const before = await auditNext();
    const page = await signIn();
    const form = { kind: "public", name: "No Csrf", proxyFqdn: "sip.nocsrf.example", enabled: "on" };
    const missing = await page.request.post("/providers/new", { form });
    expect(missing.status()).toBe(403);
    const wrong = await page.request.post("/providers/new", { form: { ...form, _csrf: "x".repeat(43) } });
    expect(wrong.status()).toBe(403);
    const block = await page.request.post("/providers/details?name=MSN", { form: { enabled: "" } });
    expect(block.status()).toBe(403);
    const signOut = await page.request.post("/sign-out", { form: {} });
    expect(signOut.status()).toBe(403);
    // A sign-in form without its token is refused as well.
    const bareSignIn = await fetch(`${store.url}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: store.adminToken }).toString(),
      redirect: "manual",
    });
    expect(bareSignIn.status).toBe(403);
    expect(bareSignIn.headers.get("set-cookie") ?? "").not.toContain("imfed_session");

    expect(await auditNext()).toBe(before);
    expect((await api(store, "GET", providerPath("No Csrf"), { token: store.adminToken })).status).toBe(404);
  });

  it("enables federation on the Federation page, which notes that provider settings need it", async () => {
    const page = await signIn();
    await page.getByRole("navigation").getByRole("link", { name: "Federation" }).click();
    await expect(page.getByRole("note").first().textContent()).resolves.toContain(
      "Provider settings are in effect only while federation is enabled",
    );
    await page.getByLabel("Enable federation and public IM connectivity").check();
    await page.getByLabel("Reason (optional)").fill("go-live");
    await page.getByRole("button", { name: "Commit" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("federation is enabled");
    const federation = await api(store, "GET", "/v1/federation", { token: store.adminToken });
    expect(federation.body).toMatchObject({
      enabled: true,
      updatedVia: "control-panel",
      updateReason: "go-live",
    });
    // With federation on, the providers page no longer warns that settings are not in effect.
    await page.goto("/providers");
    await expect(page.getByText("Federation is disabled for the organization").count()).resolves.toBe(0);
  });

  it("escapes names and reasons: markup in a reason is shown as text, never run", async () => {
    const markup = `<img src=x id=injected onerror="document.title='pwned'"><script>document.title='pwned'</script>`;
    const write = await api(store, "PATCH", providerPath("AOL"), {
      token: store.adminToken,
      body: { verificationLevel: "AlwaysUnverifiable" },
      headers: { "x-imfed-reason": encodeURIComponent(markup) },
    });
    expect(write.status).toBe(200);
    const page = await signIn();
    await expect(page.getByRole("row", { name: /AOL/ }).textContent()).resolves.toContain(markup);
    await expect(page.locator("#injected").count()).resolves.toBe(0);
    await page.goto("/audit");
    await expect(page.locator("#injected").count()).resolves.toBe(0);
    await expect(page.locator("main script").count()).resolves.toBe(0);
    await expect(page.title()).resolves.not.toBe("pwned");
  });

  it("works by keyboard: New and Public are reached with Tab and Enter", async () => {
    const page = await signIn();
    await page.getByText("New", { exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/providers/new?kind=public");
    await page.getByLabel("Provider name").focus();
    await page.keyboard.type("Keyboard IM");
    await page.keyboard.press("Tab");
    await page.keyboard.type("sip.keyboard.example");
    // Enable communications with this provider starts cleared: Tab to it and tick it with Space.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL("**/providers");
    const provider = await api(store, "GET", providerPath("Keyboard IM"), { token: store.adminToken });
    expect(provider.body).toMatchObject({ enabled: true, verificationLevel: "UseSourceVerification" });
  });

  it("ends a session at once when its token is revoked, and at sign-out", async () => {
    const secret = await makeToken("oncall", "CsAdministrator");
    const page = await signIn(secret);
    expect((await api(store, "DELETE", "/v1/tokens/oncall", { token: store.adminToken })).status).toBe(204);
    await page.goto("/providers");
    await expect(page.getByRole("heading", { name: "Sign in" }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("status").textContent()).resolves.toContain("revoked");

    const admin = await signIn();
    const cookie = (await admin.context().cookies()).find((c) => c.name === "imfed_session");
    await admin.getByRole("button", { name: "Sign out" }).click();
    await admin.waitForURL("**/sign-in?signedOut=1");
    // The old session id no longer opens a page.
    const replay = await fetch(`${store.url}/providers`, {
      headers: { cookie: `imfed_session=${cookie?.value ?? ""}` },
      redirect: "manual",
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get("location")).toContain("/sign-in");
  });

  it("leaves the API refusing forms (415): the form parser is the Control Panel's alone", async () => {
    const response = await api(store, "PATCH", providerPath("MSN"), {
      token: store.adminToken,
      rawBody: "enabled=true",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(response.status).toBe(415);
  });
});
