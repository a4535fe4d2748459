import { z } from "zod";
import { expected } from "./messages";

/**
 * How a write reached the store: the Pulumi provider, the CLI, the Control Panel, or any other
 * API caller (the default). API callers say it in `X-Imfed-Client`.
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

/** The fields the store keeps itself, on objects of every kind; in a written body they are ignored. */
export const READ_ONLY_FIELDS = [
  "builtIn",
  "revision",
  "createdAt",
  "updatedAt",
  "updatedBy",
  "updatedVia",
  "updateReason",
] as const;

/** A field the store keeps itself. */
export type ReadOnlyField = (typeof READ_ONLY_FIELDS)[number];

/** Tells whether a field is one the store keeps itself. */
export function isReadOnlyField(field: string): field is ReadOnlyField {
  return (READ_ONLY_FIELDS as readonly string[]).includes(field);
}
