import { z } from "zod";
import {
  ERROR_STATUS,
  auditPageSchema,
  createdTokenSchema,
  decisionSchema,
  errorBodySchema,
  federationRecordSchema,
  federationSettingsSchema,
  incomingRequestSchema,
  providerRecordSchema,
  providerSpecSchema,
  tokenRecordSchema,
  tokenRequestSchema,
} from "../../core";

type JsonSchema = Record<string, unknown>;

// The OpenAPI document is generated from the very schemas that validate requests, so the two
// cannot drift apart. Refinements (name characters, FQDN syntax) are not expressible in JSON
// Schema and are described by the error details instead.
function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { "application/json": { schema: ref(name) } } });

function errors(...codes: (keyof typeof ERROR_STATUS)[]) {
  const responses: Record<string, unknown> = {};
  for (const code of ["unauthorized", "forbidden", ...codes, "too_many_requests", "unavailable"] as const) {
    responses[String(ERROR_STATUS[code])] = { description: code, ...json("Error") };
  }
  return responses;
}

const ifMatch = {
  name: "If-Match",
  in: "header",
  schema: { type: "string" },
  description: 'The revision the write expects, as "<revision>", or *.',
};
const ifNoneMatch = {
  name: "If-None-Match",
  in: "header",
  schema: { type: "string", enum: ["*"] },
  description: "* : create only.",
};
const client = {
  name: "X-Imfed-Client",
  in: "header",
  schema: { type: "string", enum: ["pulumi", "cli", "api"], default: "api" },
  description:
    "What the client says it is, recorded as updatedVia and the audit entry's via: a claim. control-panel is refused (400): only the Control Panel's own writes are recorded so.",
};
const reason = {
  name: "X-Imfed-Reason",
  in: "header",
  schema: { type: "string" },
  description: "Why, percent-encoded UTF-8, at most 500 characters decoded.",
};
const nameParam = {
  name: "name",
  in: "path",
  required: true,
  schema: { type: "string" },
  description: "The provider's name (case-insensitive).",
};

// A PATCH takes a JSON merge patch (RFC 7396) of the object, as either content type.
const MERGE_PATCH_BODY = {
  required: true,
  content: {
    "application/merge-patch+json": { schema: { type: "object" } },
    "application/json": { schema: { type: "object" } },
  },
};
const WRITE_ERRORS = [
  "bad_request",
  "validation_failed",
  "precondition_failed",
  "payload_too_large",
  "unsupported_media_type",
] as const;

let cached: JsonSchema | undefined;

/** The OpenAPI 3.1 document of the HTTP API v1, served at `GET /v1/openapi.json`. */
export function openApiDocument(): JsonSchema {
  cached ??= {
    openapi: "3.1.0",
    info: {
      title: "imfed topology store",
      version: "1",
      description:
        "IM service providers and federation settings of a Lync Server / Skype for Business Server deployment.",
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        ProviderSpec: schemaOf(providerSpecSchema, "input"),
        Provider: schemaOf(providerRecordSchema, "output"),
        FederationSettings: schemaOf(federationSettingsSchema, "input"),
        Federation: schemaOf(federationRecordSchema, "output"),
        IncomingRequest: schemaOf(incomingRequestSchema, "input"),
        Decision: schemaOf(decisionSchema, "output"),
        AuditPage: schemaOf(auditPageSchema, "output"),
        TokenRequest: schemaOf(tokenRequestSchema, "input"),
        Token: schemaOf(tokenRecordSchema, "output"),
        CreatedToken: schemaOf(createdTokenSchema, "output"),
        Error: schemaOf(errorBodySchema, "output"),
      },
    },
    paths: {
      "/healthz": { get: { security: [], summary: "Liveness", responses: { "200": { description: "ok" } } } },
      "/v1/providers": {
        get: {
          summary: "List the providers, sorted by name",
          parameters: [{ name: "kind", in: "query", schema: { type: "string", enum: ["public", "hosted"] } }],
          responses: {
            "200": {
              description: "the providers",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: { items: { type: "array", items: ref("Provider") } },
                  },
                },
              },
            },
            ...errors("bad_request"),
          },
        },
      },
      "/v1/providers/{name}": {
        parameters: [nameParam],
        get: {
          summary: "One provider",
          responses: { "200": { description: "the provider", ...json("Provider") }, ...errors("not_found") },
        },
        put: {
          summary: "Create or replace a provider",
          parameters: [ifMatch, ifNoneMatch, client, reason],
          requestBody: { required: true, ...json("ProviderSpec") },
          responses: {
            "200": { description: "replaced", ...json("Provider") },
            "201": { description: "created", ...json("Provider") },
            ...errors(
              "bad_request",
              "validation_failed",
              "conflict",
              "precondition_failed",
              "payload_too_large",
              "unsupported_media_type",
            ),
          },
        },
        patch: {
          summary: "Change some fields of a provider (JSON merge patch)",
          parameters: [ifMatch, client, reason],
          requestBody: MERGE_PATCH_BODY,
          responses: {
            "200": { description: "changed", ...json("Provider") },
            ...errors(
              "bad_request",
              "validation_failed",
              "not_found",
              "conflict",
              "precondition_failed",
              "payload_too_large",
              "unsupported_media_type",
            ),
          },
        },
        delete: {
          summary: "Remove a provider",
          parameters: [ifMatch, client, reason],
          responses: { "204": { description: "removed" }, ...errors("not_found", "precondition_failed") },
        },
      },
      "/v1/federation": {
        get: {
          summary: "The federation settings",
          responses: { "200": { description: "the settings", ...json("Federation") }, ...errors() },
        },
        put: {
          summary: "Replace the federation settings",
          parameters: [ifMatch, client, reason],
          requestBody: { required: true, ...json("FederationSettings") },
          responses: {
            "200": { description: "replaced", ...json("Federation") },
            ...errors(...WRITE_ERRORS),
          },
        },
        patch: {
          summary: "Change some federation settings (JSON merge patch)",
          parameters: [ifMatch, client, reason],
          requestBody: MERGE_PATCH_BODY,
          responses: {
            "200": { description: "changed", ...json("Federation") },
            ...errors(...WRITE_ERRORS),
          },
        },
      },
      "/v1/evaluate": {
        post: {
          summary: "Decide an incoming request by the current settings",
          requestBody: { required: true, ...json("IncomingRequest") },
          responses: {
            "200": { description: "the decision", ...json("Decision") },
            ...errors("bad_request", "validation_failed", "unsupported_media_type"),
          },
        },
      },
      "/v1/audit": {
        get: {
          summary: "The audit log, oldest first",
          parameters: [
            { name: "after", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
            },
          ],
          responses: { "200": { description: "a page", ...json("AuditPage") }, ...errors("bad_request") },
        },
      },
      "/v1/tokens": {
        get: {
          summary: "List the tokens (never their secrets)",
          responses: {
            "200": {
              description: "the tokens",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { items: { type: "array", items: ref("Token") } } },
                },
              },
            },
            ...errors(),
          },
        },
        post: {
          summary: "Create a token; the response is the only time its secret is shown",
          parameters: [client, reason],
          requestBody: { required: true, ...json("TokenRequest") },
          responses: {
            "201": { description: "created", ...json("CreatedToken") },
            ...errors(
              "bad_request",
              "validation_failed",
              "conflict",
              "payload_too_large",
              "unsupported_media_type",
            ),
          },
        },
      },
      "/v1/tokens/{name}": {
        parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
        delete: {
          summary: "Revoke a token",
          parameters: [client, reason],
          responses: { "204": { description: "revoked" }, ...errors("not_found") },
        },
      },
    },
  };
  return cached;
}
