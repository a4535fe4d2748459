import type { StoreClient } from "../../client";
import { KINDS } from "../../core";
import { isUnknown } from "../../provider/results";
import type { PolicyConfig, ProgramResource } from "../../policy/rules";
import { evaluatePolicies } from "../../policy/rules";
import { requestImpact } from "./extensions/request-impact";
import { planKind } from "./kind-plan";
import type { KindPlan, Plan, PlanOutcome, PlanSummary, PolicyViolation } from "./plan-model";
import { PLAN_FORMAT_VERSION, changesTheStore } from "./plan-model";
import type { DeclaredResource } from "./program-runner";
import type { ProgramProject } from "./stack-config";
import { viewsOf } from "./store-view";

type Bag = Readonly<Record<string, unknown>>;

/** What {@link computePlan} needs. */
export interface PlanRequest {
  readonly program: Pick<ProgramProject, "dir" | "project" | "stack">;
  readonly declared: readonly DeclaredResource[];
  readonly client: StoreClient;
  /** The endpoint as messages may show it. */
  readonly store: string;
  readonly policyConfig: PolicyConfig;
  /** Called with a line of progress (reading the store, judging). */
  readonly progress?: (message: string) => void;
}

// A value not known until apply is no value a rule can judge.
function known(settings: Bag): Bag {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => !isUnknown(value)));
}

function summaryOf(kinds: readonly KindPlan[], policy: readonly PolicyViolation[]): PlanSummary {
  const objects = kinds.flatMap((plan) => plan.objects);
  const count = (action: string) => objects.filter((object) => object.action === action).length;
  return {
    create: count("create"),
    update: count("update"),
    replace: count("replace"),
    adopt: count("adopt"),
    delete: count("delete"),
    inSync: count("in-sync"),
    unmanaged: count("unmanaged"),
    errors: count("error"),
    drifted: objects.filter((object) => object.drift !== null && object.action !== "unmanaged").length,
    mandatoryViolations: policy.filter((violation) => violation.level === "mandatory").length,
    advisoryViolations: policy.filter((violation) => violation.level === "advisory").length,
  };
}

/**
 * The plan of a program against the store: the live objects of every kind read with ONE list
 * request per kind (never one per resource), then {@link assemblePlan}.
 */
export async function computePlan(request: PlanRequest): Promise<Plan> {
  const progress = request.progress ?? (() => undefined);
  const live = new Map<string, readonly Bag[]>();
  await Promise.all(
    KINDS.map(async (kind) => {
      progress(`reading the ${kind.noun} objects of the store (GET /v1/${kind.path})`);
      live.set(kind.name, (await request.client.kind(kind).list()) as readonly Bag[]);
    }),
  );
  progress(`planning ${request.declared.length} declared resource(s)`);
  return assemblePlan({ ...request, live });
}

/** What {@link assemblePlan} needs: the request without the client, and the store's objects by kind name. */
export interface PlanInputs extends Omit<PlanRequest, "client" | "progress"> {
  readonly live: ReadonlyMap<string, readonly Bag[]>;
}

/**
 * The plan of declared resources against the store's objects: each kind planned by the generic
 * `planKind`, the impact on incoming requests (the request-impact extension) of the store before
 * and after, and the organization policies (policy/rules.ts) on the program's resources.
 */
export function assemblePlan(request: PlanInputs): Plan {
  const byType = new Map<string, DeclaredResource[]>();
  for (const resource of request.declared) {
    const list = byType.get(resource.type) ?? [];
    list.push(resource);
    byType.set(resource.type, list);
  }
  const kinds = KINDS.map((kind) =>
    planKind(kind, byType.get(kind.typeToken) ?? [], request.live.get(kind.name) ?? []),
  );
  const { before, after } = viewsOf(kinds);
  const impact = requestImpact(before, after);

  const resources: ProgramResource[] = [];
  const ids = new Map<string, { kind: string; id: string }>();
  for (const plan of kinds) {
    for (const object of plan.objects) {
      if (object.resource === null || object.after === null || object.action === "error") continue;
      resources.push({ kind: plan.kind, resource: object.resource, settings: known(object.after) });
      ids.set(`${plan.kind}\u0000${object.resource}`, { kind: plan.kind, id: object.id });
    }
  }
  const policy: PolicyViolation[] = evaluatePolicies(resources, request.policyConfig).map((violation) => ({
    rule: violation.rule,
    level: violation.level,
    kind: violation.kind,
    id: ids.get(`${violation.kind}\u0000${violation.resource}`)?.id ?? violation.resource,
    resource: violation.resource,
    message: violation.message,
  }));

  const summary = summaryOf(kinds, policy);
  const changes = kinds.some((plan) => plan.objects.some(changesTheStore));
  const outcome: PlanOutcome =
    summary.errors > 0 || summary.mandatoryViolations > 0 ? "error" : changes ? "changes" : "in-sync";
  return {
    version: PLAN_FORMAT_VERSION,
    program: { dir: request.program.dir, project: request.program.project, stack: request.program.stack },
    store: request.store,
    outcome,
    summary,
    kinds,
    impact,
    policy,
  };
}
