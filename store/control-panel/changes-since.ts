import type { AuditEntry, LastWrite } from "../../core";
import { changedSince } from "../../core";
import type { HtmlValue, SafeHtml } from "./html";
import { html } from "./html";
import { timeOf } from "./layout";
import type { FieldOutcome, FormField } from "./object-form";
import { describeValue, valuesOf } from "./object-form";
import type { AuditReader } from "./recent-audit";

/**
 * How far back the page of a refused form looks in the audit log: the most recent entries of
 * the whole log, so that the read is bounded and served by the log's primary key.
 */
export const CHANGES_WINDOW = 1000;
/** The most changes such a page lists. */
export const MAX_CHANGES_SHOWN = 20;

/** The changes made to one object since a revision, newest first. */
export interface ChangesSince {
  readonly entries: readonly AuditEntry[];
  /** Whether the entries reach back to the revision (else older ones are only in the audit log). */
  readonly complete: boolean;
}

/**
 * The audit entries of `target` (`provider/<name>`, `federation`) written after the object was
 * at `revision`. Every write takes a new store-wide revision and records the object's snapshot,
 * revision included, before and after; so an entry is later than the form when its `after`
 * snapshot's revision is above the form's, or, for a deletion, when its `before` snapshot is
 * the form's revision or later. Only the last {@link CHANGES_WINDOW} entries of the log are read
 * (one bounded read by the log's primary key).
 */
export async function findChangesSince(
  audit: AuditReader,
  target: string,
  revision: number,
): Promise<ChangesSince> {
  const entries: AuditEntry[] = [];
  for (const entry of (await audit.listRecentAudit(CHANGES_WINDOW)).reverse()) {
    if (entry.target !== target) continue;
    const after = revisionOf(entry.after);
    const before = revisionOf(entry.before);
    if ((after !== undefined && after > revision) || (entry.after === null && (before ?? 0) >= revision)) {
      entries.push(entry);
    }
  }
  const oldest = entries.at(-1);
  return {
    entries: entries.slice(0, MAX_CHANGES_SHOWN),
    complete: entries.length <= MAX_CHANGES_SHOWN && revisionOf(oldest?.before ?? null) === revision,
  };
}

/**
 * The part of a refused form's page that says what changed since the form was opened: each
 * change with who, when, how and why and its fields' old and new values, then what the form
 * holds now field by field (the current value, the user's entry, or a choice to make).
 */
export function renderChangesSince(options: {
  /** The object in a sentence: `Provider "Yahoo!"`, `The federation settings`. */
  readonly what: string;
  /** The revision the page was opened at. */
  readonly openedAt: number;
  readonly fields: readonly FormField[];
  readonly changes: ChangesSince;
  readonly current: LastWrite;
  readonly outcomes?: readonly FieldOutcome[];
}): SafeHtml {
  const { fields, changes, current } = options;
  const rows = changes.entries.map((entry) => {
    const before = entry.before === null ? undefined : valuesOf(fields, entry.before);
    const after = entry.after === null ? undefined : valuesOf(fields, entry.after);
    const fieldChanges =
      before === undefined
        ? [html`<li>${entry.action === "create" ? "created" : "deleted"}</li>`]
        : after === undefined
          ? [html`<li>deleted</li>`]
          : fields
              .filter((field) => before[field.name] !== after[field.name])
              .map(
                (field) =>
                  html`<li>
                    ${field.label}: ${describeValue(field, before[field.name])} →
                    <strong>${describeValue(field, after[field.name])}</strong>
                  </li>`,
              );
    return html`<tr>
      <td>${timeOf(entry.at)}</td>
      <td>${entry.actor}</td>
      <td>${entry.via}</td>
      <td class="value">
        <ul class="plain">
          ${fieldChanges.length === 0 ? html`<li>no field of this form</li>` : fieldChanges}
        </ul>
      </td>
      <td>${entry.reason ?? html`<span class="muted">none given</span>`}</td>
    </tr>`;
  });
  const lastWrite = html`<p>${options.what} ${changedSinceHtml(options.openedAt, current)}.</p>`;
  const changeTable =
    rows.length === 0
      ? html`<p class="muted">The audit log holds no entry of these changes any more.</p>`
      : html`<div class="table-scroll">
          <table>
            <caption>
              Changes since you opened the form, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Via</th>
                <th scope="col">What changed</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
        </div>`;
  const outcomes = options.outcomes ?? [];
  const outcomeTable =
    outcomes.length === 0
      ? ""
      : html`<div class="table-scroll">
          <table>
            <caption>
              The form below, field by field
            </caption>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">When you opened the form</th>
                <th scope="col">Now</th>
                <th scope="col">Your entry</th>
                <th scope="col">The form now holds</th>
              </tr>
            </thead>
            <tbody>
              ${outcomes.map(
                (outcome) =>
                  html`<tr${outcome.outcome === "decide" ? html` class="attention"` : ""}>
                    <th scope="row">${outcome.field.label}</th>
                    <td class="value">
                      ${outcome.opened === undefined ? "unknown" : describeValue(outcome.field, outcome.opened)}
                    </td>
                    <td class="value">${describeValue(outcome.field, outcome.current)}</td>
                    <td class="value">${describeValue(outcome.field, outcome.mine)}</td>
                    <td>${OUTCOME_TEXT[outcome.outcome]}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`;
  return html`<section class="changed" aria-labelledby="changed-heading">
    <h2 id="changed-heading">What changed since you opened this page</h2>
    ${lastWrite}${changeTable}
    ${changes.complete ? "" : html`<p class="muted">Older changes are in the <a href="/audit">audit log</a>.</p>`}
    ${outcomeTable}
  </section>`;
}

const OUTCOME_TEXT: Readonly<Record<FieldOutcome["outcome"], string>> = {
  current: "the current value (you did not change it)",
  mine: "your entry",
  decide: "your choice: see below",
};

// The one "changed since" sentence of every layer (core/messages.ts), with its time shown as
// every time of the Control Panel is (a token name or a reason cannot hold the NUL marker).
function changedSinceHtml(openedAt: number, current: LastWrite): SafeHtml {
  const marker = "\u0000";
  const parts = changedSince(`revision ${openedAt}`, { ...current, updatedAt: marker }).split(marker);
  const shown: HtmlValue[] = parts.flatMap((part, index) =>
    index === 0 ? [part] : [timeOf(current.updatedAt), part],
  );
  return html`${shown}`;
}

function revisionOf(snapshot: Readonly<Record<string, unknown>> | null): number | undefined {
  const revision = snapshot?.revision;
  return typeof revision === "number" ? revision : undefined;
}
