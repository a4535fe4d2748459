/**
 * The plan `imfed plan` prints, as its `--format json` writes it: stable, versioned, and
 * described field by field in docs/plan.md. A change that removes or renames a member, or
 * changes what one means, raises {@link PLAN_FORMAT_VERSION}; adding a member does not.
 */

/** The version of the JSON plan. */
export const PLAN_FORMAT_VERSION = 1;

/**
 * What applying the program does to one object: `create`, `update` (in place), `replace`
 * (removed and created again), `adopt` (an existing object taken over by the program's create),
 * `delete` (not declared any more, last written by Pulumi: `pulumi up` deletes it if this stack
 * manages it, or restores a built-in), `in-sync`, `unmanaged` (in the store, not declared, not
 * written by Pulumi: left alone) or `error` (the program's create or inputs would fail).
 */
export type PlanAction =
  "create" | "update" | "replace" | "adopt" | "delete" | "in-sync" | "unmanaged" | "error";

/** The actions that change the store (an adoption only where a setting differs: see {@link changesTheStore}). */
export const CHANGING_ACTIONS: readonly PlanAction[] = ["create", "update", "replace", "adopt", "delete"];

/**
 * Tells whether applying a planned object changes the store. Adopting an object whose settings
 * already are the program's changes nothing in the store (only the stack's state learns of
 * it), so a program exported from the store plans in sync.
 */
export function changesTheStore(object: {
  readonly action: PlanAction;
  readonly changes: readonly unknown[];
}): boolean {
  if (object.action === "adopt") return object.changes.length > 0;
  return CHANGING_ACTIONS.includes(object.action);
}

/** One field that changes: its value in the store (`null` when absent) and the program's (`null` when removed). */
export interface FieldChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
  /** Whether this field's change is what forces a replace. */
  readonly forcesReplace: boolean;
}

/** Who last wrote an object that differs from the program, when it was not Pulumi: from its last-write fields. */
export interface Drift {
  readonly by: string;
  readonly via: string;
  readonly at: string;
  readonly reason: string | null;
  readonly revision: number;
}

/** One object of the plan. */
export interface PlannedObject {
  /** The object's id: its identity (a provider's name), or the singleton's id. */
  readonly id: string;
  /** The Pulumi resource name that declares it; `null` for an object the program does not declare. */
  readonly resource: string | null;
  readonly action: PlanAction;
  readonly changes: readonly FieldChange[];
  /** For a replace: the rule that forbids the change in place, in words. */
  readonly replaceReason: string | null;
  /** Where the store differs from the program and the last write was not Pulumi's: who, how, when and why. */
  readonly drift: Drift | null;
  /** What else the reader must know (an assumption the plan makes, a failure's message). */
  readonly notes: readonly string[];
  /** The settings in the store (`null` when absent), and after the change (`null` when gone). */
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
}

/** The plan of one kind: every object the program declares and every other object of the store. */
export interface KindPlan {
  readonly kind: string;
  readonly typeToken: string;
  readonly objects: readonly PlannedObject[];
}

/** One incoming request whose outcome changes. */
export interface ImpactLine {
  readonly provider: string;
  readonly request: "presence" | "im";
  readonly assertion: "verified" | "unverified" | "none";
  readonly senderInContacts: boolean;
  readonly before: { readonly decision: "accept" | "reject"; readonly decidedBy: string };
  readonly after: {
    readonly decision: "accept" | "reject";
    readonly decidedBy: string;
    readonly reason: string;
  };
}

/** What the plan does to incoming requests: each request whose outcome flips, by provider. */
export interface Impact {
  /** How many providers have at least one request that flips. */
  readonly providers: number;
  readonly lines: readonly ImpactLine[];
  /** The providers whose outcome the plan cannot tell, a value they depend on being known only after apply. */
  readonly unknown: readonly string[];
}

/** The level of a policy rule: a mandatory violation fails the plan, an advisory one is reported. */
export type EnforcementLevel = "mandatory" | "advisory";

/** One policy violation found in the program. */
export interface PolicyViolation {
  readonly rule: string;
  readonly level: EnforcementLevel;
  readonly kind: string;
  readonly id: string;
  readonly resource: string | null;
  readonly message: string;
}

/** How many objects take each action, and what else the outcome rests on. */
export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly adopt: number;
  readonly delete: number;
  readonly inSync: number;
  readonly unmanaged: number;
  readonly errors: number;
  readonly drifted: number;
  readonly mandatoryViolations: number;
  readonly advisoryViolations: number;
}

/** `in-sync` (exit 0 with --detailed-exitcode), `changes` (2) or `error` (1). */
export type PlanOutcome = "in-sync" | "changes" | "error";

/** The whole plan. */
export interface Plan {
  readonly version: typeof PLAN_FORMAT_VERSION;
  readonly program: { readonly dir: string; readonly project: string; readonly stack: string };
  /** The store's endpoint (never with credentials). */
  readonly store: string;
  readonly outcome: PlanOutcome;
  readonly summary: PlanSummary;
  readonly kinds: readonly KindPlan[];
  readonly impact: Impact;
  readonly policy: readonly PolicyViolation[];
}
