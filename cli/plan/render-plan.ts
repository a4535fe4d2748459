import { POLICY_RULES } from "../../policy/rules";
import { describeImpactLine } from "./extensions/request-impact";
import { listed } from "./kind-plan";
import type { KindPlan, Plan, PlanAction, PlannedObject } from "./plan-model";

// The text and Markdown renderings of a plan. Both lead with one summary line, then the changes
// by kind (each field as old → new), drift with who, how, when and why, the impact on incoming
// requests, and the policies; the Markdown folds the details for a pull-request comment.

/** How many names of in-sync or unmanaged objects, and how many impact lines, are shown before "and N more". */
export const SHOWN_AT_MOST = 20;
const IMPACT_LINES_AT_MOST = 60;

const SIGNS: Readonly<Record<PlanAction, string>> = {
  create: "+",
  update: "~",
  replace: "±",
  adopt: "~",
  delete: "-",
  "in-sync": " ",
  unmanaged: " ",
  error: "!",
};

function value(shown: unknown): string {
  if (shown === null || shown === undefined) return "(none)";
  if (shown === "(known after apply)") return String(shown);
  return JSON.stringify(shown);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The one line that says what the plan does, first in every rendering. */
export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  const parts: string[] = [];
  const add = (count: number, words: string) => {
    if (count > 0) parts.push(`${count} ${words}`);
  };
  add(s.create, "to create");
  add(s.adopt, "to adopt");
  add(s.update, "to update");
  add(s.replace, "to replace");
  add(s.delete, "to delete");
  const changes = parts.length === 0 ? "no changes, the store matches the program" : parts.join(", ");
  const errors = s.errors === 0 ? "" : `, ${plural(s.errors, "error")}`;
  const drift = s.drifted === 0 ? "" : `, ${plural(s.drifted, "object")} drifted`;
  const impact =
    plan.impact.lines.length === 0
      ? "no request changes outcome"
      : `${plural(plan.impact.lines.length, "incoming request")} of ${plural(plan.impact.providers, "provider")} change outcome`;
  const policy =
    s.mandatoryViolations + s.advisoryViolations === 0
      ? "policies pass"
      : `${plural(s.mandatoryViolations, "mandatory policy violation")}, ${plural(s.advisoryViolations, "advisory one")}`;
  return `${changes}${errors}${drift}; ${impact}; ${policy}`;
}

function objectTitle(kind: KindPlan, object: PlannedObject): string {
  const resource = object.resource === null ? "" : ` (resource "${object.resource}")`;
  return `${SIGNS[object.action]} ${object.action} ${kind.kind} "${object.id}"${resource}`;
}

/** The lines of one changed (or failing) object: the action, each field old → new, why a replace, the drift, the notes. */
export function objectLines(kind: KindPlan, object: PlannedObject): string[] {
  const lines = [objectTitle(kind, object)];
  for (const change of object.changes) {
    const forced = change.forcesReplace ? " (forces replace)" : "";
    const text =
      object.action === "create"
        ? `${change.field}: ${value(change.after)}`
        : `${change.field}: ${value(change.before)} → ${value(change.after)}${forced}`;
    lines.push(`    ${text}`);
  }
  if (object.replaceReason !== null) lines.push(`    why replace: ${object.replaceReason}`);
  if (object.drift !== null) {
    const drift = object.drift;
    const why = drift.reason === null ? "no reason given" : `reason: ${JSON.stringify(drift.reason)}`;
    lines.push(
      `    drift: last written outside Pulumi by ${drift.by} via ${drift.via} at ${drift.at} (revision ${drift.revision}); ${why}`,
    );
  }
  for (const note of object.notes) lines.push(`    note: ${note}`);
  return lines;
}

function namesOf(objects: readonly PlannedObject[]): string {
  const names = objects.slice(0, SHOWN_AT_MOST).map((object) => `"${object.id}"`);
  const more = objects.length - names.length;
  return more > 0 ? `${names.join(", ")} and ${more} more` : names.join(", ");
}

/**
 * The lines of the changes of every kind, then what is in sync and what is left alone. In the
 * `diff` style (a Markdown ```diff block) a kind's heading is a hunk header and every line of an
 * object starts with its sign, so that a pull request's page colors creates and deletes.
 */
export function changeLines(plan: Plan, style: "text" | "diff" = "text"): string[] {
  const lines: string[] = [];
  const indent = style === "text" ? "  " : " ";
  for (const kind of plan.kinds) {
    const changed = kind.objects.filter((object) => !["in-sync", "unmanaged"].includes(object.action));
    const inSync = kind.objects.filter((object) => object.action === "in-sync");
    const unmanaged = kind.objects.filter((object) => object.action === "unmanaged");
    lines.push(
      style === "text" ? `${kind.kind} (${kind.typeToken})` : `@@ ${kind.kind} (${kind.typeToken}) @@`,
    );
    for (const object of changed) {
      const [title, ...details] = objectLines(kind, object);
      if (style === "text") lines.push(`  ${title}`, ...details.map((line) => `  ${line}`));
      else lines.push(title ?? "", ...details.map((line) => `${SIGNS[object.action]}${line}`));
    }
    if (changed.length === 0) lines.push(`${indent}no change`);
    if (inSync.length > 0) lines.push(`${indent}in sync: ${namesOf(inSync)}`);
    if (unmanaged.length > 0)
      lines.push(
        `${indent}unmanaged (in the store, not declared, not written by Pulumi: left alone): ${namesOf(unmanaged)}`,
      );
  }
  return lines;
}

/** The lines of the impact on incoming requests, at most a screenful, or "no request changes outcome". */
export function impactLines(plan: Plan, limit = IMPACT_LINES_AT_MOST): string[] {
  const lines = plan.impact.lines.slice(0, limit).map(describeImpactLine);
  const more = plan.impact.lines.length - lines.length;
  if (more > 0) lines.push(`... and ${more} more (imfed plan --format json lists them all)`);
  if (plan.impact.lines.length === 0) lines.push("no request changes outcome");
  if (plan.impact.unknown.length > 0)
    lines.push(
      `not known until apply, so not judged: ${listed(plan.impact.unknown.map((name) => `"${name}"`))}`,
    );
  return lines;
}

/** The lines of the policies: each violation with its level, or that every rule passes. */
export function policyLines(plan: Plan): string[] {
  if (plan.policy.length === 0) return [`no violation of the ${POLICY_RULES.length} rules`];
  return plan.policy.map(
    (violation) =>
      `${violation.level === "mandatory" ? "✗" : "!"} ${violation.level} ${violation.rule}: ${violation.message}`,
  );
}

function outcomeLine(plan: Plan): string {
  switch (plan.outcome) {
    case "in-sync":
      return "Outcome: in sync.";
    case "changes":
      return "Outcome: changes to apply (pulumi up applies them).";
    case "error":
      return "Outcome: error: the program cannot be applied as it is (see the errors and mandatory policy violations above).";
  }
}

/** The plan as text for a terminal. */
export function renderText(plan: Plan): string {
  const lines = [
    `imfed plan: ${summaryLine(plan)}`,
    `Program "${plan.program.project}" (stack "${plan.program.stack}") against the store at ${plan.store}.`,
    "",
    ...changeLines(plan),
    "",
    "Impact on incoming requests (request, sender's assertion, sender in the recipient's contacts: before → after (decided by)):",
    ...impactLines(plan).map((line) => `  ${line}`),
    "",
    "Policies:",
    ...policyLines(plan).map((line) => `  ${line}`),
    "",
    outcomeLine(plan),
  ];
  return `${lines.join("\n")}\n`;
}

// A fenced block that no text inside can close.
function fenced(language: string, lines: readonly string[]): string {
  const longest = Math.max(
    2,
    ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))),
  );
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${lines.join("\n")}\n${fence}`;
}

function folded(summary: string, body: string, open = false): string {
  return `<details${open ? " open" : ""}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The plan as Markdown for a pull-request comment: the summary line first, the details folded. */
export function renderMarkdown(plan: Plan): string {
  const s = plan.summary;
  const icon = plan.outcome === "error" ? "❌" : plan.outcome === "changes" ? "📝" : "✅";
  const changed = s.create + s.adopt + s.update + s.replace + s.delete + s.errors;
  const sections = [
    `${icon} **imfed plan**: ${escapeHtml(summaryLine(plan))}`,
    `Program \`${plan.program.project}\`, stack \`${plan.program.stack}\`, against the store at \`${plan.store}\`.`,
  ];
  const drifted = plan.kinds.flatMap((kind) =>
    kind.objects
      .filter((object) => object.drift !== null && object.action !== "unmanaged")
      .map((object) => ({ kind, object })),
  );
  if (drifted.length > 0) {
    const items = drifted.slice(0, SHOWN_AT_MOST).map(({ kind, object }) => {
      const drift = object.drift!;
      const why = drift.reason === null ? "no reason given" : `reason: “${escapeHtml(drift.reason)}”`;
      return `> - ${kind.kind} **${escapeHtml(object.id)}**: changed by \`${escapeHtml(drift.by)}\` via ${drift.via} at ${drift.at}; ${why}`;
    });
    sections.push(
      [
        `> [!WARNING]`,
        `> ${plural(drifted.length, "object")} changed outside Pulumi; applying this program overwrites:`,
        ...items,
      ].join("\n"),
    );
  }
  if (s.mandatoryViolations > 0) {
    sections.push(
      [
        `> [!CAUTION]`,
        `> ${plural(s.mandatoryViolations, "mandatory policy violation")}: the plan fails until fixed.`,
      ].join("\n"),
    );
  }
  sections.push(
    folded(
      `Changes (${changed} of ${plan.kinds.reduce((n, k) => n + k.objects.length, 0)} objects)`,
      fenced("diff", changeLines(plan, "diff")),
    ),
  );
  sections.push(
    folded(
      plan.impact.lines.length === 0
        ? "Impact on incoming requests: no request changes outcome"
        : `Impact on incoming requests: ${plural(plan.impact.lines.length, "request")} of ${plural(plan.impact.providers, "provider")} change outcome`,
      fenced("text", impactLines(plan)),
      plan.impact.lines.length > 0,
    ),
  );
  sections.push(
    folded(
      plan.policy.length === 0 ? "Policies: pass" : `Policies: ${plural(plan.policy.length, "violation")}`,
      fenced("text", policyLines(plan)),
      plan.policy.length > 0,
    ),
  );
  sections.push(`<sub>${escapeHtml(outcomeLine(plan))} Plan format version ${plan.version}.</sub>`);
  return `${sections.join("\n\n")}\n`;
}
