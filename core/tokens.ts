import { z } from "zod";
import { expected } from "./messages";
import { asciiLowerCase } from "./names";

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
