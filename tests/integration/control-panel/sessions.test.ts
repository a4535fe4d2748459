import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { api, providerPath } from "../../helpers/api";
import type { Backend } from "../../helpers/backend";
import { BACKENDS, describeIfPostgres, sharedPostgres, startBackendStore } from "../../helpers/backend";
import { browserSkipReason, launchChromium } from "../../helpers/browser";
import type { StoreProcess } from "../../helpers/store-process";

const skipReason = browserSkipReason();
const describeBrowser = skipReason === undefined ? describe : describe.skip;
if (skipReason !== undefined) console.warn(`Control Panel browser tests skipped: ${skipReason}`);

jest.setTimeout(120_000);

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The value of a cookie in a response's Set-Cookie headers. */
function cookieFrom(response: Response, name: string): string | undefined {
  for (const header of response.headers.getSetCookie()) {
    const match = new RegExp(`^${name}=([^;]*)`).exec(header);
    if (match?.[1] !== undefined && match[1] !== "") return decodeURIComponent(match[1]);
  }
  return undefined;
}

/** The sign-in form's CSRF token (also its double-submit cookie), from GET /sign-in. */
async function signInCsrf(store: StoreProcess): Promise<string> {
  const response = await fetch(`${store.url}/sign-in`);
  const csrf = cookieFrom(response, "imfed_sign_in");
  if (csrf === undefined) throw new Error("GET /sign-in set no imfed_sign_in cookie");
  return csrf;
}

/** Posts the sign-in form as a browser would, and answers the raw response. */
async function postSignIn(
  store: StoreProcess,
  token: string,
  csrf: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${store.url}/sign-in`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: `imfed_sign_in=${csrf}`,
      ...headers,
    },
    body: new URLSearchParams({ _csrf: csrf, token, next: "/providers" }).toString(),
    redirect: "manual",
  });
}

/** Signs in over HTTP; answers the session cookie's value. */
async function signInHttp(store: StoreProcess, token: string, csrf?: string): Promise<string> {
  const response = await postSignIn(store, token, csrf ?? (await signInCsrf(store)));
  expect(response.status).toBe(303);
  const session = cookieFrom(response, "imfed_session");
  if (session === undefined) throw new Error("the sign-in set no imfed_session cookie");
  return session;
}

/** GETs a page with a session cookie: 200 while the session works, 303 to the sign-in page when not. */
async function pageStatus(store: StoreProcess, session: string, path = "/providers"): Promise<number> {
  const response = await fetch(`${store.url}${path}`, {
    headers: { cookie: `imfed_session=${session}` },
    redirect: "manual",
  });
  await response.text();
  return response.status;
}

/** The hidden fields of the first form of a page (CSRF token, revision, opened values). */
function hiddenFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    const name = match[1];
    if (name !== undefined && !(name in fields)) fields[name] = unescapeHtml(match[2] ?? "");
  }
  return fields;
}

function unescapeHtml(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39|#96);/g,
    (_, entity: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#96": "`" })[entity] ?? "",
  );
}

async function makeToken(store: StoreProcess, name: string, role: string): Promise<string> {
  const response = await api(store, "POST", "/v1/tokens", { token: store.adminToken, body: { name, role } });
  expect(response.status).toBe(201);
  return response.body.token as string;
}

async function auditNext(store: StoreProcess): Promise<number> {
  return (await api(store, "GET", "/v1/audit?limit=1000", { token: store.adminToken })).body.next as number;
}

describe.each(BACKENDS)("Control Panel sessions and writes over HTTP on %s", (backend: Backend) => {
  let store: StoreProcess;

  beforeAll(async () => {
    store = await startBackendStore({ backend });
  });

  afterAll(async () => {
    await store?.stop();
  });

  it("caps the sessions of a token, so that hundreds of sign-ins with a view-only token end only its own oldest sessions", async () => {
    const viewer = await makeToken(store, "flood", "CsViewOnlyAdministrator");
    const admin = await signInHttp(store, store.adminToken);
    const csrf = await signInCsrf(store);
    const floods: string[] = [];
    // 250 sign-ins, beyond the cap of 100 sessions per token.
    for (let index = 0; index < 250; index += 1) floods.push(await signInHttp(store, viewer, csrf));

    expect(await pageStatus(store, admin)).toBe(200);
    expect(await pageStatus(store, floods.at(-1) ?? "")).toBe(200);
    // The newest 100 of the view-only token's sessions stay; its older ones ended.
    expect(await pageStatus(store, floods[150] ?? "")).toBe(200);
    expect(await pageStatus(store, floods[149] ?? "")).toBe(303);
    expect(await pageStatus(store, floods[0] ?? "")).toBe(303);
  });

  it("refuses a reason holding a NUL character as the reason field's error, and writes nothing", async () => {
    const session = await signInHttp(store, store.adminToken);
    const form = await fetch(`${store.url}/providers/details?name=MSN`, {
      headers: { cookie: `imfed_session=${session}` },
    });
    expect(form.status).toBe(200);
    const hidden = hiddenFields(await form.text());
    const before = await auditNext(store);
    const response = await fetch(`${store.url}/providers/details?name=MSN`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `imfed_session=${session}` },
      body: new URLSearchParams({
        ...hidden,
        enabled: "on",
        verificationLevel: "UseSourceVerification",
        reason: "incident\u00004",
      }).toString(),
      redirect: "manual",
    });
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).toMatch(/id="reason-error"[^]*Reason must not contain the NUL character \(U\+0000\)/);
    expect(await auditNext(store)).toBe(before);
    const msn = await api(store, "GET", providerPath("MSN"), { token: store.adminToken });
    expect(msn.body).toMatchObject({ enabled: false, updatedBy: "system" });
  });

  it("refuses a sign-in posted from another site (Sec-Fetch-Site: cross-site), as every other form", async () => {
    const csrf = await signInCsrf(store);
    const crossSite = await postSignIn(store, store.adminToken, csrf, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect(cookieFrom(crossSite, "imfed_session")).toBeUndefined();
    const sameOrigin = await postSignIn(store, store.adminToken, csrf, { "sec-fetch-site": "same-origin" });
    expect(sameOrigin.status).toBe(303);
  });
});

describeBrowser("Control Panel sessions in the store's database, in Chromium", () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  // Cookies belong to a host, not to a port: a context signed in at 127.0.0.1:A sends its
  // session cookie to 127.0.0.1:B too, as a browser behind a load balancer would.
  async function signIn(store: StoreProcess, token: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${store.url}/sign-in`);
    await page.getByLabel("Token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/providers");
    return page;
  }

  it("keeps a session through a restart of the store on the same SQLite file", async () => {
    const first = await startBackendStore({ backend: "sqlite" });
    const page = await signIn(first, first.adminToken);
    const cookie = (await page.context().cookies()).find((candidate) => candidate.name === "imfed_session");
    expect(await first.terminate()).toBe(0);

    const second = await startBackendStore({ backend: "sqlite", db: first.db, adminToken: first.adminToken });
    try {
      await page.goto(`${second.url}/providers`);
      await expect(page.getByText("Signed in as").textContent()).resolves.toContain("admin");
      // The form posts of the restarted store take the session's CSRF token.
      await page.goto(`${second.url}/providers/details?name=AOL`);
      await page.getByLabel("Enable communications with this provider").check();
      await page.getByRole("button", { name: "Commit" }).click();
      await page.waitForURL("**/providers");
      await expect(page.getByRole("status").textContent()).resolves.toContain('Saved provider "AOL"');

      // Only the session id's SHA-256 is in the file.
      const sqlite = new BetterSqlite3(first.db, { readonly: true });
      try {
        const rows = sqlite.prepare("select * from sessions").all() as Record<string, unknown>[];
        expect(rows.map((row) => row.id_hash)).toContain(sha256(cookie?.value ?? ""));
        expect(JSON.stringify(rows)).not.toContain(cookie?.value ?? "-");
        expect(JSON.stringify(rows)).not.toContain(first.adminToken);
      } finally {
        sqlite.close();
      }
    } finally {
      await second.stop();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });

  describeIfPostgres("on PostgreSQL", () => {
    it("honours on one store process a session made on another, and ends it on both when its token is revoked", async () => {
      const one = await startBackendStore({ backend: "postgres" });
      const two = await startBackendStore({ backend: "postgres", db: one.db, adminToken: one.adminToken });
      try {
        const oncall = await makeToken(one, "oncall", "CsAdministrator");
        const page = await signIn(one, oncall);
        const cookie = (await page.context().cookies()).find(
          (candidate) => candidate.name === "imfed_session",
        );

        // Signed in on process one; process two shows the pages and takes the forms.
        await page.goto(`${two.url}/providers/details?name=Yahoo!`);
        await expect(page.getByText("Signed in as").textContent()).resolves.toContain("oncall");
        await page.getByLabel("Enable communications with this provider").check();
        await page.getByLabel("Reason (optional)").fill("written through process two");
        await page.getByRole("button", { name: "Commit" }).click();
        await page.waitForURL("**/providers");
        await expect(page.getByRole("status").textContent()).resolves.toContain('Saved provider "Yahoo!"');
        const yahoo = await api(one, "GET", providerPath("Yahoo!"), { token: one.adminToken });
        expect(yahoo.body).toMatchObject({ enabled: true, updatedBy: "oncall", updatedVia: "control-panel" });
        await page.goto(`${one.url}/federation`);
        await expect(page.getByText("Signed in as").textContent()).resolves.toContain("oncall");

        const server = await sharedPostgres();
        const rows = await server.query<{ id_hash: string; token_hash: string }>(
          one.db,
          "select * from sessions",
        );
        expect(rows.map((row) => row.id_hash)).toContain(sha256(cookie?.value ?? ""));
        expect(JSON.stringify(rows)).not.toContain(cookie?.value ?? "-");

        // Revoking the token on process one ends the session on process two at once, and its
        // sessions are gone from the database.
        expect((await api(one, "DELETE", "/v1/tokens/oncall", { token: one.adminToken })).status).toBe(204);
        const left = await server.query(one.db, "select id_hash from sessions where token_hash = $1", [
          sha256(oncall),
        ]);
        expect(left).toEqual([]);
        await page.goto(`${two.url}/providers`);
        await expect(page.getByRole("heading", { name: "Sign in" }).isVisible()).resolves.toBe(true);
      } finally {
        await two.stop();
        await one.stop();
      }
    });
  });
});
