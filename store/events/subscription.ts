import { z } from "zod";
import { KINDS, clientKindSchema, expected } from "../../core";

/** The longest webhook URL a subscription may have. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Which audit entries a subscription receives; every condition given must hold. Without a
 * filter, every entry of the audit log is delivered.
 */
export const subscriptionFilterSchema = z.strictObject({
  /** Only entries about objects of these kinds (`ImProvider`, `Federation`). */
  kinds: z
    .array(
      z.enum(KINDS.map((kind) => kind.name) as [string, ...string[]], {
        error: expected(KINDS.map((kind) => `"${kind.name}"`).join(" or ")),
      }),
    )
    .min(1, { error: "must name at least one kind (leave kinds out for every kind)" })
    .optional(),
  /** Only writes made this way (`control-panel`, `cli`, `api`, `pulumi`). */
  via: z
    .array(clientKindSchema)
    .min(1, { error: "must name at least one client (leave via out for every client)" })
    .optional(),
  /** Only drift: writes made outside of Pulumi to objects Pulumi wrote last. */
  driftOnly: z.boolean({ error: expected("true or false") }).optional(),
});
/** Which audit entries a subscription receives. */
export type SubscriptionFilter = z.infer<typeof subscriptionFilterSchema>;

/** The body of `POST /v1/subscriptions`. */
export const subscriptionRequestSchema = z.strictObject({
  url: z
    .string({ error: expected("an https URL") })
    .min(1, { error: "must not be empty" })
    .max(MAX_WEBHOOK_URL_LENGTH, { error: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` }),
  filter: subscriptionFilterSchema.optional(),
  description: z.string().max(200, { error: "must be at most 200 characters" }).optional(),
});
/** A request to create a subscription. */
export type SubscriptionRequest = z.infer<typeof subscriptionRequestSchema>;

/** `active` (delivering) or `paused` (after repeated failures, until an administrator resumes it). */
export type SubscriptionState = "active" | "paused";

/**
 * A subscription as the API shows it: never with its secret, which only the answer to its
 * creation holds.
 */
export interface SubscriptionRecord {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly filter: SubscriptionFilter;
  readonly state: SubscriptionState;
  /** The `seq` of the last audit entry delivered (or skipped by the filter). */
  readonly cursor: number;
  /** Failed attempts in a row since the last delivery. */
  readonly failures: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  /** When the next attempt is due after a failure; `null` when nothing waits. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A subscription just created: its record and its signing secret, shown this once. */
export interface CreatedSubscription extends SubscriptionRecord {
  readonly secret: string;
}
