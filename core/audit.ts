import { z } from "zod";
import { clientKindSchema } from "./last-write";

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
