import type { AuditEntry } from "../../core";
import { READ_ONLY_FIELDS } from "../../core";
import type { SafeHtml } from "./html";
import { html } from "./html";
import type { PageFrame } from "./layout";
import { renderPage, timeOf } from "./layout";

const IGNORED: ReadonlySet<string> = new Set<string>(READ_ONLY_FIELDS);

/** What changed in one entry, field by field (`enabled: true → false`), leaving out the bookkeeping fields. */
export function changeSummary(entry: AuditEntry): string {
  if (entry.before === null) return "created";
  if (entry.after === null) return "deleted";
  const fields = new Set([...Object.keys(entry.before), ...Object.keys(entry.after)]);
  const changes: string[] = [];
  for (const field of fields) {
    if (IGNORED.has(field)) continue;
    const before = JSON.stringify(entry.before[field] ?? null);
    const after = JSON.stringify(entry.after[field] ?? null);
    if (before !== after) changes.push(`${field}: ${before} → ${after}`);
  }
  return changes.length === 0 ? "no field changed" : changes.join("; ");
}

/** The audit page: the most recent changes, newest first. */
export function renderAuditPage(frame: PageFrame, entries: readonly AuditEntry[]): string {
  const rows: SafeHtml[] = [...entries].reverse().map(
    (entry) =>
      html`<tr>
        <td>${entry.seq}</td>
        <td>${timeOf(entry.at)}</td>
        <td>${entry.actor}</td>
        <td>${entry.via}</td>
        <td>${entry.action}</td>
        <td>${entry.target}</td>
        <td>${changeSummary(entry)}</td>
        <td>${entry.reason ?? html`<span class="muted">none</span>`}</td>
      </tr>`,
  );
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
  return renderPage({ ...frame, title: "Audit log", section: "audit" }, content);
}
