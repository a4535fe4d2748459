import { z } from "zod";
import { MAX_BATCH_IDS } from "../object-store";
import type { ResourceKind } from "../../core";
import {
  KINDS,
  auditPageSchema,
  clientKindSchema,
  createdTokenSchema,
  decisionSchema,
  errorBodySchema,
  incomingRequestSchema,
  tokenRecordSchema,
  tokenRequestSchema,
} from "../../core";
import type { WireErrorCode } from "./http-error";
import { ERROR_STATUS } from "./http-error";

type JsonSchema = Record<string, unknown>;

// The OpenAPI document is generated from the very schemas that validate requests, and its
// paths from the same kinds the routes are registered from, so the two cannot drift apart.
// Refinements (name characters, FQDN syntax) are not expressible in JSON Schema and are
// described by the error details instead.
function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { "application/json": { schema: ref(name) } } });
const anyJson = { content: { "application/json": { schema: { type: "object" } } } };
const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function errors(...codes: WireErrorCode[]) {
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

// A PATCH takes a JSON merge patch (RFC 7396) of the object, as either content type.
const MERGE_PATCH_BODY = {
  required: true,
  content: {
    "application/merge-patch+json": { schema: { type: "object" } },
    "application/json": { schema: { type: "object" } },
  },
};
const TRANSPORT_ERRORS = ["bad_request", "payload_too_large", "unsupported_media_type"] as const;

/**
 * The component schemas of a kind, named after it and its variants: `<Kind>` (an object as the
 * store returns it) and `<Kind>Spec` (its settings as a write takes them), and for a kind with
 * variants one of each per variant (`ImProviderHosted`, `ImProviderHostedSpec`), told apart by
 * the discriminator.
 */
function kindComponents(kind: ResourceKind): JsonSchema {
  const name = kind.name;
  const record = schemaOf(kind.recordSchema, "output");
  const discriminator = kind.discriminator;
  if (discriminator === undefined) {
    return { [name]: record, [`${name}Spec`]: schemaOf(kind.specSchema, "input") };
  }
  const components: JsonSchema = {};
  const recordVariants = Array.isArray(record.oneOf) ? (record.oneOf as JsonSchema[]) : [];
  const oneOf = (suffix: string) => ({
    oneOf: kind.variants.map((variant) => ref(`${name}${pascal(variant)}${suffix}`)),
    discriminator: {
      propertyName: discriminator,
      mapping: Object.fromEntries(
        kind.variants.map((variant) => [variant, ref(`${name}${pascal(variant)}${suffix}`).$ref]),
      ),
    },
  });
  kind.variants.forEach((variant, index) => {
    components[`${name}${pascal(variant)}`] = recordVariants[index] ?? {};
    components[`${name}${pascal(variant)}Spec`] = schemaOf(kind.variantSchema(variant), "input");
  });
  components[name] = oneOf("");
  components[`${name}Spec`] = oneOf("Spec");
  return components;
}

// Whether a write of the kind can conflict: a unique key, or a field that cannot change in place.
function mayConflict(kind: ResourceKind): boolean {
  const variants = kind.variants.length === 0 ? [undefined] : kind.variants;
  return (
    (kind.definition.unique?.length ?? 0) > 0 ||
    variants.some((variant) =>
      kind.fieldsOf(variant).some((field) => kind.changeModeOf(field, variant) === "replace"),
    )
  );
}

/** The paths of a kind, as `store/http/kind-routes.ts` registers them. */
function kindPaths(kind: ResourceKind): JsonSchema {
  const name = kind.name;
  const conflict: WireErrorCode[] = mayConflict(kind) ? ["conflict"] : [];
  const collection = `/v1/${kind.path}`;
  const read = { "200": { description: `the ${kind.noun}`, ...json(name) } };
  if (kind.singletonId !== undefined) {
    return {
      [collection]: {
        description: kind.definition.description,
        get: { summary: `The ${kind.noun}`, responses: { ...read, ...errors() } },
        put: {
          summary: `Replace the ${kind.noun} (a field left out takes its default)`,
          parameters: [ifMatch, client, reason],
          requestBody: { required: true, ...json(`${name}Spec`) },
          responses: {
            "200": { description: "replaced", ...json(name) },
            ...errors(...TRANSPORT_ERRORS, "validation_failed", "precondition_failed", ...conflict),
          },
        },
        patch: {
          summary: `Change some of the ${kind.noun} (JSON merge patch)`,
          parameters: [ifMatch, client, reason],
          requestBody: MERGE_PATCH_BODY,
          responses: {
            "200": { description: "changed", ...json(name) },
            ...errors(...TRANSPORT_ERRORS, "validation_failed", "precondition_failed", ...conflict),
          },
        },
      },
    };
  }
  const identity = kind.identityField ?? "id";
  const discriminator = kind.discriminator;
  return {
    [collection]: {
      description: kind.definition.description,
      get: {
        summary: `List the ${kind.path}, sorted by ${identity}; with ${identity} (repeated), only those`,
        parameters: [
          {
            name: identity,
            in: "query",
            description: `a batch read: only the objects of these ids (ignoring ASCII case), those that exist; at most ${MAX_BATCH_IDS}`,
            style: "form",
            explode: true,
            schema: { type: "array", items: { type: "string" }, maxItems: MAX_BATCH_IDS },
          },
          ...(discriminator === undefined
            ? []
            : [{ name: discriminator, in: "query", schema: { type: "string", enum: kind.variants } }]),
        ],
        responses: {
          "200": {
            description: `the ${kind.path}`,
            content: {
              "application/json": {
                schema: { type: "object", properties: { items: { type: "array", items: ref(name) } } },
              },
            },
          },
          ...errors("bad_request"),
        },
      },
    },
    [`${collection}/{${identity}}`]: {
      parameters: [
        {
          name: identity,
          in: "path",
          required: true,
          schema: { type: "string" },
          description: `The ${kind.noun}'s ${identity} (ASCII case ignored).`,
        },
      ],
      get: { summary: `One ${kind.noun}`, responses: { ...read, ...errors("not_found") } },
      put: {
        summary: `Create or replace a ${kind.noun}`,
        parameters: [ifMatch, ifNoneMatch, client, reason],
        requestBody: { required: true, ...json(`${name}Spec`) },
        responses: {
          "200": { description: "replaced", ...json(name) },
          "201": { description: "created", ...json(name) },
          ...errors(...TRANSPORT_ERRORS, "validation_failed", "conflict", "precondition_failed"),
        },
      },
      patch: {
        summary: `Change some fields of a ${kind.noun} (JSON merge patch)`,
        parameters: [ifMatch, client, reason],
        requestBody: MERGE_PATCH_BODY,
        responses: {
          "200": { description: "changed", ...json(name) },
          ...errors(
            ...TRANSPORT_ERRORS,
            "validation_failed",
            "not_found",
            ...conflict,
            "precondition_failed",
          ),
        },
      },
      delete: {
        summary: `Remove a ${kind.noun}`,
        parameters: [ifMatch, client, reason],
        responses: { "204": { description: "removed" }, ...errors("not_found", "precondition_failed") },
      },
    },
  };
}

let cached: JsonSchema | undefined;

/** The OpenAPI 3.1 document of the HTTP API v1, served at `GET /v1/openapi.json`. */
export function openApiDocument(): JsonSchema {
  cached ??= {
    openapi: "3.1.0",
    info: {
      title: "imfed topology store",
      version: "1",
      description: `The federation topology of a Lync Server / Skype for Business Server deployment: ${KINDS.map((kind) => kind.title).join("; ")}.`,
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        ...Object.assign({}, ...KINDS.map(kindComponents)),
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
      ...Object.assign({}, ...KINDS.map(kindPaths)),
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
            ...errors(...TRANSPORT_ERRORS, "validation_failed", "conflict"),
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
      // Change events (docs/events.md): administrators only; the secret is in the 201 alone.
      "/v1/subscriptions": {
        get: {
          summary: "List the change-event subscriptions (never their secrets)",
          responses: { "200": { description: "the subscriptions", ...anyJson }, ...errors() },
        },
        post: {
          summary: "Subscribe a webhook to change events; the response is the only time its secret is shown",
          parameters: [client, reason],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["url"],
                  additionalProperties: false,
                  properties: {
                    url: { type: "string", format: "uri", maxLength: 2048 },
                    description: { type: "string", maxLength: 200 },
                    filter: {
                      type: "object",
                      additionalProperties: false,
                      properties: {
                        kinds: { type: "array", items: { type: "string", enum: KINDS.map((k) => k.name) } },
                        via: { type: "array", items: { type: "string", enum: clientKindSchema.options } },
                        driftOnly: { type: "boolean" },
                      },
                    },
                  },
                },
              },
            },
          },
          responses: {
            "201": { description: "created, with its secret", ...anyJson },
            ...errors(...TRANSPORT_ERRORS, "validation_failed"),
          },
        },
      },
      "/v1/subscriptions/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        get: {
          summary: "A subscription: its filter, cursor, state and last error (never its secret)",
          responses: { "200": { description: "the subscription", ...anyJson }, ...errors("not_found") },
        },
        delete: {
          summary: "Remove a subscription",
          parameters: [client, reason],
          responses: { "204": { description: "removed" }, ...errors("not_found") },
        },
      },
      "/v1/subscriptions/{id}/resume": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        post: {
          summary: "Resume a paused subscription at its cursor",
          parameters: [client, reason],
          responses: { "200": { description: "resumed", ...anyJson }, ...errors("not_found") },
        },
      },
    },
  };
  return cached;
}
