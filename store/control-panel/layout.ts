import type { Principal } from "../topology-store";
import type { SafeHtml } from "./html";
import { html } from "./html";
import { NAVIGATION } from "./navigation";
import type { Flash } from "./session-store";

/** What every signed-in page shows around its content. */
export interface PageFrame {
  readonly title: string;
  readonly principal?: Principal;
  /** The session's CSRF token, for the sign-out form. */
  readonly csrfToken?: string;
  /** The navigation entry the page belongs to (a kind's page, `/audit`), marked as the current one. */
  readonly section?: string;
  /** The outcome of the last write, or what stopped the last step, shown once. */
  readonly flash?: Flash;
}

/** Tells whether the caller may change anything (the edit controls are shown only then). */
export function canWrite(principal: Principal | undefined): boolean {
  return principal?.role === "CsAdministrator";
}

/** Renders a whole page: header with the signed-in token and sign-out, the navigation, the content. */
export function renderPage(frame: PageFrame, content: SafeHtml): string {
  const { principal } = frame;
  const link = (href: string, label: string) =>
    html`<a href="${href}" ${frame.section === href ? html` aria-current="page"` : ""}>${label}</a>`;
  const nav =
    principal === undefined
      ? ""
      : html`<nav class="side" aria-label="Control Panel">
          <ul>
            ${NAVIGATION.map((group) =>
              group.heading === undefined
                ? group.links.map((entry) => html`<li>${link(entry.href, entry.label)}</li>`)
                : html`<li>
                    <a href="${group.links[0]?.href ?? ""}">${group.heading}</a>
                    <ul>
                      ${group.links.map((entry) => html`<li>${link(entry.href, entry.label)}</li>`)}
                    </ul>
                  </li>`,
            )}
          </ul>
        </nav>`;
  const who =
    principal === undefined
      ? ""
      : html`<div>
          Signed in as <strong>${principal.name}</strong>
          (${principal.role === "CsAdministrator" ? "administrator" : "view only"})
          <form method="post" action="/sign-out">
            <input type="hidden" name="_csrf" value="${frame.csrfToken ?? ""}" />
            <button type="submit">Sign out</button>
          </form>
        </div>`;
  // A success is a status (announced politely); a problem is an alert, styled as one.
  const flash =
    frame.flash === undefined
      ? ""
      : frame.flash.kind === "success"
        ? html`<p class="flash success" role="status">${frame.flash.text}</p>`
        : html`<p class="flash problem" role="alert">${frame.flash.text}</p>`;
  return `<!doctype html>\n${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} - imfed Control Panel</title>
        <link rel="stylesheet" href="/control-panel.css" />
      </head>
      <body>
        <a class="skip" href="#content">Skip to content</a>
        <header class="top">
          <span class="brand">imfed Control Panel</span>
          ${who}
        </header>
        <div class="layout">
          ${nav}
          <main id="content" tabindex="-1">${flash}${content}</main>
        </div>
      </body>
    </html>`.value
  }\n`;
}

/**
 * Formats an ISO 8601 time for people: `2026-11-20 10:02:03 UTC`, in a `<time>` element. Every
 * time the Control Panel shows goes through here, so that all pages show times alike.
 */
export function timeOf(iso: string): SafeHtml {
  const shown = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(iso)
    ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`
    : iso;
  return html`<time datetime="${iso}">${shown}</time>`;
}

/** A yes/no cell. */
export function yesNo(value: boolean, no = "No"): SafeHtml {
  return value ? html`<span class="yes">Yes</span>` : html`<span class="no">${no}</span>`;
}
