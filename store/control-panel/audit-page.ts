import type { AuditEntry, ResourceKind } from "../../core";
import { KINDS, READ_ONLY_FIELDS } from "../../core";
import type { SafeHtml } from "./html";
import { html } from "./html";
import { AUDIT_PATH, pathsOf } from "./kind-paths";
import type { PageFrame } from "./layout";
import { renderPage, timeOf } from "./layout";

const IGNORED: ReadonlySet<string> = new Set<string>(READ_ONLY_FIELDS);

/** The object an audit entry is about: its kind and id, or `undefined` for a token or an unknown target. */
export function auditSubjectOf(
  target: string,
): { readonly kind: ResourceKind; readonly id: string } | undefined {
  for (const kind of KINDS) {
    const singleton = kind.singletonId;
    if (singleton !== undefined) {
      if (kind.auditTarget(singleton) === target) return { kind, id: singleton };
      continue;
    }
    const prefix = kind.auditTarget("");
    if (target.startsWith(prefix) && target.length > prefix.length)
      return { kind, id: target.slice(prefix.length) };
  }
  return undefined;
}

/** One field an entry changed, with its value before and after as the API writes them (JSON). */
export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

/**
 * The fields an update changed, leaving out the bookkeeping fields: in the order of the kind's
 * definition for an object of a kind (any field the definition no longer has after them), in
 * the order of the snapshots otherwise.
 */
export function fieldChanges(entry: AuditEntry): FieldChange[] {
  if (entry.before === null || entry.after === null) return [];
  const seen = [...Object.keys(entry.before), ...Object.keys(entry.after)];
  const kind = auditSubjectOf(entry.target)?.kind;
  const fields = new Set([...(kind?.fields ?? []).filter((field) => seen.includes(field)), ...seen]);
  const changes: FieldChange[] = [];
  for (const field of fields) {
    if (IGNORED.has(field)) continue;
    const before = JSON.stringify(entry.before[field] ?? null);
    const after = JSON.stringify(entry.after[field] ?? null);
    if (before !== after) changes.push({ field, before, after });
  }
  return changes;
}

/** What changed in one entry, field by field (`enabled: true → false`), leaving out the bookkeeping fields. */
export function changeSummary(entry: AuditEntry): string {
  if (entry.before === null) return "created";
  if (entry.after === null) return "deleted";
  const changes = fieldChanges(entry).map((change) => `${change.field}: ${change.before} → ${change.after}`);
  return changes.length === 0 ? "no field changed" : changes.join("; ");
}

/**
 * The audit page: the most recent changes, newest first. An object's target links to its page,
 * and each changed field is named by its kind's label, beside the field and values as the API
 * and `imfed audit` show them.
 */
export function renderAuditPage(frame: PageFrame, entries: readonly AuditEntry[]): string {
  const rows: SafeHtml[] = [...entries].reverse().map((entry) => {
    const subject = auditSubjectOf(entry.target);
    const target =
      subject === undefined
        ? entry.target
        : html`<a href="${pathsOf(subject.kind).details(subject.id)}">${entry.target}</a>`;
    return html`<tr>
      <td>${entry.seq}</td>
      <td>${timeOf(entry.at)}</td>
      <td>${entry.actor}</td>
      <td>${entry.via}</td>
      <td>${entry.action}</td>
      <td>${target}</td>
      <td>${changeOf(entry, subject?.kind)}</td>
      <td>${entry.reason ?? html`<span class="muted">none</span>`}</td>
    </tr>`;
  });
  const content = html`<h1>Audit log</h1>
    <p class="muted">
      The ${entries.length} most recent changes, newest first. Every change made through the API, the Control
      Panel, the CLI or Pulumi is here; <code>imfed audit</code> and <code>GET /v1/audit</code> list them all.
    </p>
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Via</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Change</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          ${
            rows.length === 0
              ? html`<tr>
                  <td colspan="8">No changes yet.</td>
                </tr>`
              : rows
          }
        </tbody>
      </table>
    </div>`;
  return renderPage({ ...frame, title: "Audit log", section: AUDIT_PATH }, content);
}

// An update's changes, one per line: the field's label (for an object of a kind) and the change.
function changeOf(entry: AuditEntry, kind: ResourceKind | undefined): SafeHtml | string {
  const changes = fieldChanges(entry);
  if (entry.before === null || entry.after === null || changes.length === 0) return changeSummary(entry);
  return html`<ul class="plain changes">
    ${changes.map((change) => {
      const label = kind?.definition.fields[change.field]?.label;
      return html`<li>
        ${label === undefined ? "" : html`${label}<br />`}<code
          >${change.field}: ${change.before} → ${change.after}</code
        >
      </li>`;
    })}
  </ul>`;
}
