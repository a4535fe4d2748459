import type { ApiOptions } from "../../helpers/api";
import { api, errorCode, providerPath } from "../../helpers/api";
import type { StoreProcess } from "../../helpers/store-process";
import { startBackendStore } from "../../helpers/backend";
import { makeToken } from "../../helpers/store-process";

/**
 * "Nothing is written by a request that fails" (docs/api.md, "Errors"):
 * each kind of failed write leaves the providers, the federation settings, the tokens and the
 * audit log as they were, checked by reading them back and by the audit log's `next`.
 */

let store: StoreProcess;
let viewOnlyToken = "";
let revokedToken = "";
let stableRevision = 0;
let federationRevision = 0;

beforeAll(async () => {
  store = await startBackendStore();
  const admin = (method: string, path: string, options: ApiOptions) =>
    api(store, method, path, { token: store.adminToken, ...options });
  const stable = await admin("PUT", providerPath("Stable Public"), {
    body: {
      name: "Stable Public",
      kind: "public",
      proxyFqdn: "sip.stable.example",
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
    },
  });
  expect(stable.status).toBe(201);
  stableRevision = stable.body.revision;
  const hosted = await admin("PUT", providerPath("Stable Hosted"), {
    body: {
      name: "Stable Hosted",
      kind: "hosted",
      proxyFqdn: "proxy.stable.example",
      enabled: true,
      autodiscoverUrl: "https://autodiscover.stable.example/x",
    },
  });
  expect(hosted.status).toBe(201);
  const federation = await admin("PATCH", "/v1/federation", { body: { enabled: true } });
  expect(federation.status).toBe(200);
  federationRevision = federation.body.revision;
  const viewer = await admin("POST", "/v1/tokens", {
    body: { name: "viewer", role: "CsViewOnlyAdministrator" },
  });
  viewOnlyToken = viewer.body.token;
  const revoked = await admin("POST", "/v1/tokens", { body: { name: "revoked", role: "CsAdministrator" } });
  revokedToken = revoked.body.token;
  expect((await admin("DELETE", "/v1/tokens/revoked", {})).status).toBe(204);
});

afterAll(async () => {
  await store?.stop();
});

/** Everything the store holds, as an administrator reads it, and where the audit log ends. */
async function snapshot() {
  const read = (path: string) => api(store, "GET", path, { token: store.adminToken });
  let after = 0;
  for (;;) {
    const page = await read(`/v1/audit?after=${after}&limit=1000`);
    expect(page.status).toBe(200);
    if (page.body.items.length === 0) break;
    after = page.body.next;
  }
  return {
    providers: (await read("/v1/providers")).body,
    federation: (await read("/v1/federation")).body,
    tokens: (await read("/v1/tokens")).body,
    auditNext: after,
  };
}

type Who = "admin" | "view-only" | "no token" | "unknown token" | "revoked token";

interface FailedWrite {
  readonly who?: Who;
  readonly method: string;
  readonly path: string;
  readonly options?: ApiOptions;
  readonly status: number;
  readonly code: string;
}

const stablePublic = (overrides: Record<string, unknown> = {}) => ({
  name: "Stable Public",
  kind: "public",
  proxyFqdn: "sip.stable.example",
  enabled: false,
  ...overrides,
});

const CASES: Record<string, FailedWrite> = {
  "validation: a new provider with an invalid proxyFqdn": {
    method: "PUT",
    path: providerPath("New One"),
    options: { body: { name: "New One", kind: "public", proxyFqdn: "nodots", enabled: true } },
    status: 400,
    code: "validation_failed",
  },
  "validation: a replace that blocks and also has an invalid field": {
    method: "PUT",
    path: providerPath("Stable Public"),
    options: { body: stablePublic({ verificationLevel: "Sometimes" }) },
    status: 400,
    code: "validation_failed",
  },
  "validation: a hosted-only field on a public provider by PATCH": {
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { body: { enabled: false, isLocal: false } },
    status: 400,
    code: "validation_failed",
  },
  "validation: null on enabled": {
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { body: { enabled: null } },
    status: 400,
    code: "validation_failed",
  },
  "validation: federation with a non-boolean": {
    method: "PUT",
    path: "/v1/federation",
    options: { body: { enabled: false, remoteUserAccess: "no" } },
    status: 400,
    code: "validation_failed",
  },
  "validation: a token with an unknown role": {
    method: "POST",
    path: "/v1/tokens",
    options: { body: { name: "new-bot", role: "Root" } },
    status: 400,
    code: "validation_failed",
  },
  "conflict: a public provider's proxyFqdn changed, with enabled": {
    method: "PUT",
    path: providerPath("Stable Public"),
    options: { body: stablePublic({ proxyFqdn: "sip2.stable.example" }) },
    status: 409,
    code: "conflict",
  },
  "conflict: a change of kind by PATCH": {
    method: "PATCH",
    path: providerPath("Stable Hosted"),
    options: { body: { kind: "public", enabled: false } },
    status: 409,
    code: "conflict",
  },
  "conflict: a new provider with a taken proxyFqdn of the other kind": {
    method: "PUT",
    path: providerPath("Twin"),
    options: { body: { name: "Twin", kind: "hosted", proxyFqdn: "SIP.STABLE.EXAMPLE", enabled: true } },
    status: 409,
    code: "conflict",
  },
  "conflict: a taken token name": {
    method: "POST",
    path: "/v1/tokens",
    options: { body: { name: "viewer", role: "CsAdministrator" } },
    status: 409,
    code: "conflict",
  },
  "precondition: a stale If-Match on PUT": {
    method: "PUT",
    path: providerPath("Stable Public"),
    options: { body: stablePublic(), headers: { "if-match": '"1"' } },
    status: 412,
    code: "precondition_failed",
  },
  "precondition: a stale If-Match on PATCH": {
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { body: { enabled: false }, headers: { "if-match": '"1"' } },
    status: 412,
    code: "precondition_failed",
  },
  "precondition: a stale If-Match on DELETE": {
    method: "DELETE",
    path: providerPath("Stable Public"),
    options: { headers: { "if-match": '"1"' } },
    status: 412,
    code: "precondition_failed",
  },
  "precondition: If-None-Match: * on an existing provider, in another case": {
    method: "PUT",
    path: providerPath("STABLE PUBLIC"),
    options: { body: stablePublic({ name: "STABLE PUBLIC" }), headers: { "if-none-match": "*" } },
    status: 412,
    code: "precondition_failed",
  },
  "precondition: If-Match on a provider that does not exist": {
    method: "PUT",
    path: providerPath("Ghost"),
    options: {
      body: { name: "Ghost", kind: "public", proxyFqdn: "sip.ghost.example", enabled: true },
      headers: { "if-match": '"1"' },
    },
    status: 412,
    code: "precondition_failed",
  },
  "precondition: a stale If-Match on federation PATCH": {
    method: "PATCH",
    path: "/v1/federation",
    options: { body: { enabled: false }, headers: { "if-match": '"1"' } },
    status: 412,
    code: "precondition_failed",
  },
  "not found: PATCH of a missing provider": {
    method: "PATCH",
    path: providerPath("Missing"),
    options: { body: { enabled: false } },
    status: 404,
    code: "not_found",
  },
  "not found: DELETE of a missing provider": {
    method: "DELETE",
    path: providerPath("Missing"),
    status: 404,
    code: "not_found",
  },
  "not found: DELETE of a missing token": {
    method: "DELETE",
    path: "/v1/tokens/missing",
    status: 404,
    code: "not_found",
  },
  "unsupported media type: a valid change sent as text/plain": {
    method: "PUT",
    path: providerPath("Stable Public"),
    options: { rawBody: JSON.stringify(stablePublic()), contentType: "text/plain" },
    status: 415,
    code: "unsupported_media_type",
  },
  "unsupported media type: a valid change sent without a Content-Type": {
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { rawBody: JSON.stringify({ enabled: false }), contentType: null },
    status: 415,
    code: "unsupported_media_type",
  },
  "unsupported media type: a federation change as a form": {
    method: "PATCH",
    path: "/v1/federation",
    options: { rawBody: "enabled=false", contentType: "application/x-www-form-urlencoded" },
    status: 415,
    code: "unsupported_media_type",
  },
  "payload too large: a change with 70 KB of padding": {
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { rawBody: `{"enabled":false,"pad":"${"x".repeat(70_000)}"}` },
    status: 413,
    code: "payload_too_large",
  },
  "bad request: malformed JSON": {
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { rawBody: '{"enabled":false' },
    status: 400,
    code: "bad_request",
  },
  "bad request: an unknown X-Imfed-Client": {
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { body: { enabled: false }, headers: { "x-imfed-client": "terraform" } },
    status: 400,
    code: "bad_request",
  },
  "bad request: an X-Imfed-Reason over 500 characters": {
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { body: { enabled: false }, headers: { "x-imfed-reason": "r".repeat(501) } },
    status: 400,
    code: "bad_request",
  },
  "forbidden: a view-only token blocks a provider": {
    who: "view-only",
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { body: { enabled: false } },
    status: 403,
    code: "forbidden",
  },
  "forbidden: a view-only token deletes a provider": {
    who: "view-only",
    method: "DELETE",
    path: providerPath("Stable Hosted"),
    status: 403,
    code: "forbidden",
  },
  "forbidden: a view-only token creates a provider": {
    who: "view-only",
    method: "PUT",
    path: providerPath("Sneaky"),
    options: { body: { name: "Sneaky", kind: "public", proxyFqdn: "sip.sneaky.example", enabled: true } },
    status: 403,
    code: "forbidden",
  },
  "forbidden: a view-only token changes federation": {
    who: "view-only",
    method: "PATCH",
    path: "/v1/federation",
    options: { body: { enabled: false } },
    status: 403,
    code: "forbidden",
  },
  "forbidden: a view-only token creates an admin token": {
    who: "view-only",
    method: "POST",
    path: "/v1/tokens",
    options: { body: { name: "escalated", role: "CsAdministrator" } },
    status: 403,
    code: "forbidden",
  },
  "forbidden: a view-only token revokes the admin token": {
    who: "view-only",
    method: "DELETE",
    path: "/v1/tokens/admin",
    status: 403,
    code: "forbidden",
  },
  "unauthorized: no token blocks a provider": {
    who: "no token",
    method: "PATCH",
    path: providerPath("Stable Public"),
    options: { body: { enabled: false } },
    status: 401,
    code: "unauthorized",
  },
  "unauthorized: an unknown token deletes a provider": {
    who: "unknown token",
    method: "DELETE",
    path: providerPath("Stable Public"),
    status: 401,
    code: "unauthorized",
  },
  "unauthorized: a revoked token changes federation": {
    who: "revoked token",
    method: "PUT",
    path: "/v1/federation",
    options: { body: { enabled: false } },
    status: 401,
    code: "unauthorized",
  },
};

function tokenOf(who: Who): string | undefined {
  switch (who) {
    case "admin":
      return store.adminToken;
    case "view-only":
      return viewOnlyToken;
    case "no token":
      return undefined;
    case "unknown token":
      return makeToken();
    case "revoked token":
      return revokedToken;
  }
}

describe("a failed write", () => {
  test.each(Object.entries(CASES))("%s writes nothing", async (_name, failed) => {
    const before = await snapshot();
    const response = await api(store, failed.method, failed.path, {
      ...failed.options,
      token: tokenOf(failed.who ?? "admin"),
    });
    expect({ status: response.status, code: errorCode(response) }).toEqual({
      status: failed.status,
      code: failed.code,
    });
    const after = await snapshot();
    expect(after).toEqual(before);
  });

  it("left the objects of the setup exactly as they were written", async () => {
    const state = await snapshot();
    const stable = state.providers.items.find(
      (provider: { name: string }) => provider.name === "Stable Public",
    );
    expect(stable).toMatchObject({
      enabled: true,
      verificationLevel: "AlwaysVerifiable",
      revision: stableRevision,
    });
    expect(state.federation).toMatchObject({ enabled: true, revision: federationRevision });
    expect(state.tokens.items.map((token: { name: string }) => token.name).sort()).toEqual([
      "admin",
      "viewer",
    ]);
  });

  it("is told apart from a write that succeeds, which the snapshot does see", async () => {
    const before = await snapshot();
    const response = await api(store, "PATCH", providerPath("Stable Hosted"), {
      token: store.adminToken,
      body: { enabled: false },
    });
    expect(response.status).toBe(200);
    const after = await snapshot();
    expect(after.auditNext).toBeGreaterThan(before.auditNext);
    expect(after.providers).not.toEqual(before.providers);
  });
});
