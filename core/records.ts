import { asciiLowerCase, expected } from "./provider";
import { z } from "zod";
import { federationSettingsSchema } from "./federation";
import { hostedProviderSpecSchema, publicProviderSpecSchema } from "./provider";

/**
 * How a write reached the store (`X-Imfed-Client`): the Pulumi provider, the CLI, the Control
 * Panel, or any other API caller (the default).
 */
export const clientKindSchema = z.enum(["pulumi", "cli", "control-panel", "api"], {
  error: expected('"pulumi", "cli", "control-panel" or "api"'),
});
/** How a write reached the store. */
export type ClientKind = z.infer<typeof clientKindSchema>;

/**
 * What an API client may say it is (`X-Imfed-Client`). It is the client's claim, recorded as
 * given: any token holder can send any of these. `control-panel` is not among them: the
 * Control Panel is served by the store, which records its writes so itself, so an API write
 * can never pass for one.
 */
export const apiClientKindSchema = z.enum(["pulumi", "cli", "api"], {
  error: expected('"pulumi", "cli" or "api"'),
});
/** What an API client may say it is (`X-Imfed-Client`). */
export type ApiClientKind = z.infer<typeof apiClientKindSchema>;

/** The longest reason a write may carry (`X-Imfed-Reason`), in characters once decoded. */
export const MAX_REASON_LENGTH = 500;

/** Who last wrote an object, when, how and why; every stored object carries these. */
export const lastWriteSchema = z.object({
  revision: z.number().int().positive(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  updatedVia: clientKindSchema,
  updateReason: z.string().nullable(),
});
/** Who last wrote an object, when, how and why. */
export type LastWrite = z.infer<typeof lastWriteSchema>;

const providerRecordExtras = {
  builtIn: z.boolean(),
  createdAt: z.string(),
  ...lastWriteSchema.shape,
};

/** A public provider as the store returns it. */
export const publicProviderRecordSchema = publicProviderSpecSchema.extend(providerRecordExtras);
/** A hosted provider as the store returns it; an absent `autodiscoverUrl` is `null`. */
export const hostedProviderRecordSchema = hostedProviderSpecSchema.extend({
  ...providerRecordExtras,
  autodiscoverUrl: z.string().nullable(),
});

/** An IM service provider as the store returns it: its settings, `builtIn`, `revision` and the last write. */
export const providerRecordSchema = z.discriminatedUnion("kind", [
  publicProviderRecordSchema,
  hostedProviderRecordSchema,
]);
/** An IM service provider as the store returns it. */
export type ProviderRecord = z.infer<typeof providerRecordSchema>;

/** The federation settings as the store returns them, with `revision` and the last write. */
export const federationRecordSchema = federationSettingsSchema.extend(lastWriteSchema.shape);
/** The federation settings as the store returns them. */
export type FederationRecord = z.infer<typeof federationRecordSchema>;

/** The fields the store keeps itself; in a written body they are ignored. */
export const READ_ONLY_FIELDS = [
  "builtIn",
  "revision",
  "createdAt",
  "updatedAt",
  "updatedBy",
  "updatedVia",
  "updateReason",
] as const;

/**
 * The roles of a token, named after Lync's RBAC roles: `CsAdministrator` may do everything,
 * `CsViewOnlyAdministrator` may read providers, federation and the audit log and evaluate.
 */
export const roleSchema = z.enum(["CsAdministrator", "CsViewOnlyAdministrator"], {
  error: expected('"CsAdministrator" or "CsViewOnlyAdministrator"'),
});
/** The role of a token. */
export type Role = z.infer<typeof roleSchema>;

/**
 * Names no token may take, compared case-insensitively: the actor the store writes under
 * itself (`system`: the seeded objects and the bootstrap token), its own name, the ways a
 * write arrives (`X-Imfed-Client` values), and names that say "no one". A token so named could
 * pass in the audit log for the store's own writes or for a channel. (Writes made straight on
 * the database are recorded as `local:<user>`, which no token name can spell: `:` is not
 * allowed in one.)
 */
export const RESERVED_TOKEN_NAMES: readonly string[] = [
  "system",
  "imfed",
  "control-panel",
  "pulumi",
  "cli",
  "api",
  "anonymous",
  "unknown",
];

/**
 * A token's name: who the audit log says made a change. 1 to 64 ASCII letters, digits and
 * `. _ - @`, and none of {@link RESERVED_TOKEN_NAMES}.
 */
export const tokenNameSchema = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .max(64, { error: "must be at most 64 characters" })
  .regex(/^[A-Za-z0-9._@-]+$/, { error: "may hold only ASCII letters, digits and the characters . _ - @" })
  .refine((name) => !RESERVED_TOKEN_NAMES.includes(asciiLowerCase(name)), {
    error: (issue) =>
      `"${String(issue.input)}" is reserved (${RESERVED_TOKEN_NAMES.join(", ")}: the store's own actors and the ways a write arrives); choose another name`,
  });

/**
 * The key under which token names are compared and stored uniquely: case-insensitive in ASCII
 * only (see {@link asciiLowerCase}), so a name with any other character names no token.
 */
export function tokenNameKey(name: string): string {
  return asciiLowerCase(name);
}

/** What `POST /v1/tokens` takes. */
export const tokenRequestSchema = z.strictObject({ name: tokenNameSchema, role: roleSchema });
/** What `POST /v1/tokens` takes. */
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

/** A token as listed: never its secret. */
export const tokenRecordSchema = z.object({ name: z.string(), role: roleSchema, createdAt: z.string() });
/** A token as listed. */
export type TokenRecord = z.infer<typeof tokenRecordSchema>;

/** A token just created: the only time its secret is shown. */
export const createdTokenSchema = tokenRecordSchema.extend({ token: z.string() });
/** A token just created, with its secret. */
export type CreatedToken = z.infer<typeof createdTokenSchema>;

/** What a write did to its target. */
export const auditActionSchema = z.enum(["create", "update", "delete"]);
/** What a write did to its target. */
export type AuditAction = z.infer<typeof auditActionSchema>;

/** One entry of the audit log: who (`actor`), how (`via`), what and why, with whole snapshots before and after. */
export const auditEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  via: clientKindSchema,
  action: auditActionSchema,
  target: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  reason: z.string().nullable(),
});
/** One entry of the audit log. */
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** A page of the audit log, oldest first; `next` is the `after` of the following page. */
export const auditPageSchema = z.object({
  items: z.array(auditEntrySchema),
  next: z.number().int().nonnegative(),
});
/** A page of the audit log. */
export type AuditPage = z.infer<typeof auditPageSchema>;

/** The error body of every failed request. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
/** The error body of every failed request. */
export type ErrorBody = z.infer<typeof errorBodySchema>;
