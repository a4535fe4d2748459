import type { ApiOptions } from "../../helpers/api";
import { api, errorCode, providerPath } from "../../helpers/api";
import type { StoreProcess } from "../../helpers/store-process";
import { startBackendStore } from "../../helpers/backend";
import { makeToken } from "../../helpers/store-process";

/**
 * The authorization matrix (docs/api.md, "Authentication and roles"): every route answered for
 * no token, an unknown token, a view-only token (CsViewOnlyAdministrator) and an
 * administrator (CsAdministrator). "No, unknown or revoked token: 401." A view-only token may
 * "GET of providers, federation and audit, and POST /v1/evaluate; everything else 403, tokens
 * included."
 */

let store: StoreProcess;
let viewOnlyToken = "";
let revokedToken = "";
const unknownToken = makeToken();

beforeAll(async () => {
  store = await startBackendStore();
  const viewer = await api(store, "POST", "/v1/tokens", {
    token: store.adminToken,
    body: { name: "auditor", role: "CsViewOnlyAdministrator" },
  });
  expect(viewer.status).toBe(201);
  viewOnlyToken = viewer.body.token;
  const revoked = await api(store, "POST", "/v1/tokens", {
    token: store.adminToken,
    body: { name: "former-admin", role: "CsAdministrator" },
  });
  expect(revoked.status).toBe(201);
  revokedToken = revoked.body.token;
  expect((await api(store, "DELETE", "/v1/tokens/former-admin", { token: store.adminToken })).status).toBe(
    204,
  );
});

afterAll(async () => {
  await store?.stop();
});

type Credential = "no token" | "unknown token" | "revoked token" | "view-only" | "admin";
const CREDENTIALS: readonly Credential[] = [
  "no token",
  "unknown token",
  "revoked token",
  "view-only",
  "admin",
];

function tokenOf(credential: Credential): string | undefined {
  switch (credential) {
    case "no token":
      return undefined;
    case "unknown token":
      return unknownToken;
    case "revoked token":
      return revokedToken;
    case "view-only":
      return viewOnlyToken;
    case "admin":
      return store.adminToken;
  }
}

let counter = 0;
/** A name no other row uses, so every row can run on its own. */
const freshName = (prefix: string) => `${prefix}-${(counter += 1)}`;

/** Creates a provider as the administrator and returns its name. */
async function existingProvider(): Promise<string> {
  const name = freshName("Existing");
  const response = await api(store, "PUT", providerPath(name), {
    token: store.adminToken,
    body: { name, kind: "hosted", proxyFqdn: `${name.toLowerCase()}.authz.example`, enabled: true },
  });
  expect(response.status).toBe(201);
  return name;
}

// A subscription made by the administrator, for a route that needs one to exist.
async function freshSubscription(): Promise<string> {
  const created = await api(store, "POST", "/v1/subscriptions", {
    token: store.adminToken,
    body: { url: "https://hooks.example.com/imfed" },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

interface Route {
  readonly label: string;
  /** Makes the request: method, path and options, after any setup it needs. */
  readonly request: () => Promise<{ method: string; path: string; options?: ApiOptions }>;
  /** The status an allowed caller gets. */
  readonly success: number;
  /** Whether a view-only token may call it. */
  readonly viewOnly: boolean;
  /** Whether it needs no token at all. */
  readonly open?: boolean;
}

const ROUTES: readonly Route[] = [
  {
    label: "GET /healthz",
    request: async () => ({ method: "GET", path: "/healthz" }),
    success: 200,
    viewOnly: true,
    open: true,
  },
  {
    label: "GET /v1/openapi.json",
    request: async () => ({ method: "GET", path: "/v1/openapi.json" }),
    success: 200,
    viewOnly: false,
  },
  {
    label: "GET /v1/providers",
    request: async () => ({ method: "GET", path: "/v1/providers" }),
    success: 200,
    viewOnly: true,
  },
  {
    label: "GET /v1/providers?kind=hosted",
    request: async () => ({ method: "GET", path: "/v1/providers?kind=hosted" }),
    success: 200,
    viewOnly: true,
  },
  {
    label: "GET /v1/providers/{name}",
    request: async () => ({ method: "GET", path: providerPath("Yahoo!") }),
    success: 200,
    viewOnly: true,
  },
  {
    label: "PUT /v1/providers/{name} (create)",
    request: async () => {
      const name = freshName("Created");
      return {
        method: "PUT",
        path: providerPath(name),
        options: {
          body: { name, kind: "public", proxyFqdn: `${name.toLowerCase()}.authz.example`, enabled: true },
        },
      };
    },
    success: 201,
    viewOnly: false,
  },
  {
    label: "PUT /v1/providers/{name} (replace)",
    request: async () => {
      const name = await existingProvider();
      return {
        method: "PUT",
        path: providerPath(name),
        options: {
          body: { name, kind: "hosted", proxyFqdn: `${name.toLowerCase()}.authz.example`, enabled: false },
        },
      };
    },
    success: 200,
    viewOnly: false,
  },
  {
    label: "PATCH /v1/providers/{name}",
    request: async () => ({
      method: "PATCH",
      path: providerPath(await existingProvider()),
      options: { body: { enabled: false } },
    }),
    success: 200,
    viewOnly: false,
  },
  {
    label: "DELETE /v1/providers/{name}",
    request: async () => ({ method: "DELETE", path: providerPath(await existingProvider()) }),
    success: 204,
    viewOnly: false,
  },
  {
    label: "GET /v1/federation",
    request: async () => ({ method: "GET", path: "/v1/federation" }),
    success: 200,
    viewOnly: true,
  },
  {
    label: "PUT /v1/federation",
    request: async () => ({
      method: "PUT",
      path: "/v1/federation",
      options: {
        body: {
          enabled: (counter += 1) % 2 === 0,
          partnerDiscovery: false,
          archivingDisclaimer: false,
          remoteUserAccess: true,
          anonymousUserAccess: false,
        },
      },
    }),
    success: 200,
    viewOnly: false,
  },
  {
    label: "PATCH /v1/federation",
    request: async () => ({
      method: "PATCH",
      path: "/v1/federation",
      options: { body: { partnerDiscovery: (counter += 1) % 2 === 0 } },
    }),
    success: 200,
    viewOnly: false,
  },
  {
    label: "POST /v1/evaluate",
    request: async () => ({
      method: "POST",
      path: "/v1/evaluate",
      options: { body: { provider: "MSN", assertion: "verified", request: "im" } },
    }),
    success: 200,
    viewOnly: true,
  },
  {
    label: "GET /v1/audit",
    request: async () => ({ method: "GET", path: "/v1/audit?limit=5" }),
    success: 200,
    viewOnly: true,
  },
  {
    label: "POST /v1/tokens",
    request: async () => ({
      method: "POST",
      path: "/v1/tokens",
      options: { body: { name: freshName("bot"), role: "CsViewOnlyAdministrator" } },
    }),
    success: 201,
    viewOnly: false,
  },
  {
    label: "GET /v1/tokens",
    request: async () => ({ method: "GET", path: "/v1/tokens" }),
    success: 200,
    viewOnly: false,
  },
  {
    label: "DELETE /v1/tokens/{name}",
    request: async () => {
      const name = freshName("doomed");
      const created = await api(store, "POST", "/v1/tokens", {
        token: store.adminToken,
        body: { name, role: "CsViewOnlyAdministrator" },
      });
      expect(created.status).toBe(201);
      return { method: "DELETE", path: `/v1/tokens/${name}` };
    },
    success: 204,
    viewOnly: false,
  },
  {
    label: "POST /v1/subscriptions",
    request: async () => ({
      method: "POST",
      path: "/v1/subscriptions",
      options: { body: { url: "https://hooks.example.com/imfed" } },
    }),
    success: 201,
    viewOnly: false,
  },
  {
    label: "GET /v1/subscriptions",
    request: async () => ({ method: "GET", path: "/v1/subscriptions" }),
    success: 200,
    viewOnly: false,
  },
  {
    label: "GET /v1/subscriptions/{id}",
    request: async () => ({ method: "GET", path: `/v1/subscriptions/${await freshSubscription()}` }),
    success: 200,
    viewOnly: false,
  },
  {
    label: "DELETE /v1/subscriptions/{id}",
    request: async () => ({ method: "DELETE", path: `/v1/subscriptions/${await freshSubscription()}` }),
    success: 204,
    viewOnly: false,
  },
  {
    label: "POST /v1/subscriptions/{id}/resume",
    request: async () => ({ method: "POST", path: `/v1/subscriptions/${await freshSubscription()}/resume` }),
    success: 200,
    viewOnly: false,
  },
];

interface Expectation {
  readonly status: number;
  readonly code?: string;
}

function expectedFor(route: Route, credential: Credential): Expectation {
  if (route.open === true) return { status: route.success };
  if (credential === "no token" || credential === "unknown token" || credential === "revoked token") {
    return { status: 401, code: "unauthorized" };
  }
  if (credential === "view-only" && !route.viewOnly) return { status: 403, code: "forbidden" };
  return { status: route.success };
}

const ROWS = ROUTES.flatMap((route) =>
  CREDENTIALS.map((credential) => [route.label, credential, expectedFor(route, credential), route] as const),
);

describe("the authorization matrix", () => {
  it("covers every route of the API's table", () => {
    const covered = new Set(ROUTES.map((route) => route.label.replace(/ \(.*\)$/, "").replace(/\?.*$/, "")));
    for (const route of [
      "GET /healthz",
      "GET /v1/providers",
      "GET /v1/providers/{name}",
      "PUT /v1/providers/{name}",
      "PATCH /v1/providers/{name}",
      "DELETE /v1/providers/{name}",
      "GET /v1/federation",
      "PUT /v1/federation",
      "PATCH /v1/federation",
      "POST /v1/evaluate",
      "GET /v1/audit",
      "POST /v1/tokens",
      "GET /v1/tokens",
      "DELETE /v1/tokens/{name}",
      "POST /v1/subscriptions",
      "GET /v1/subscriptions",
      "GET /v1/subscriptions/{id}",
      "DELETE /v1/subscriptions/{id}",
      "POST /v1/subscriptions/{id}/resume",
    ]) {
      expect(covered).toContain(route);
    }
  });

  test.each(ROWS)("%s with %s answers %j", async (_label, credential, expected, route) => {
    const { method, path, options } = await route.request();
    const response = await api(store, method, path, { ...options, token: tokenOf(credential) });
    expect({ status: response.status, code: errorCode(response) }).toEqual({
      status: expected.status,
      code: expected.code,
    });
  });
});

describe("what a refused caller leaves behind", () => {
  it("is nothing: refused writes are not in the audit log", async () => {
    const entries: { actor: string }[] = [];
    let after = 0;
    for (;;) {
      const page = await api(store, "GET", `/v1/audit?after=${after}&limit=1000`, {
        token: store.adminToken,
      });
      if (page.body.items.length === 0) break;
      entries.push(...page.body.items);
      after = page.body.next;
    }
    const actors = new Set(entries.map((entry) => entry.actor));
    expect(actors.has("auditor")).toBe(false);
    expect(actors.has("former-admin")).toBe(false);
  });

  it("logs no token", () => {
    const output = store.output();
    for (const secret of [store.adminToken, viewOnlyToken, revokedToken, unknownToken]) {
      expect(output).not.toContain(secret.slice("imfed_".length));
    }
  });
});
