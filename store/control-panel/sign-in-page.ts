import type { SafeHtml } from "./html";
import { html } from "./html";
import { renderPage } from "./layout";

/** The sign-in page: a token, exchanged for a session cookie. */
export function renderSignInPage(options: {
  readonly csrfToken: string;
  readonly next: string;
  readonly error?: string;
  readonly notice?: string;
}): string {
  const error: SafeHtml | "" =
    options.error === undefined
      ? ""
      : html`<div class="error-summary" role="alert" id="error-summary">
          <p class="error" id="token-error">${options.error}</p>
        </div>`;
  const content = html`<h1>Sign in</h1>
    ${options.notice === undefined ? "" : html`<p class="note" role="status">${options.notice}</p>`} ${error}
    <form class="stacked" method="post" action="/sign-in" novalidate>
      <input type="hidden" name="_csrf" value="${options.csrfToken}" />
      <input type="hidden" name="next" value="${options.next}" />
      <div class="field${options.error === undefined ? "" : " invalid"}">
        <label for="token">Token</label>
        <div class="hint" id="token-hint">
          An imfed API token. The administrator token of a new store is in <code>.imfed/admin-token</code>;
          <code>imfed token create</code> makes others. The token stays on the server: your browser gets only
          a session cookie.
        </div>
        <input
          type="password"
          id="token"
          name="token"
          required
          autocomplete="current-password"
          aria-describedby="token-hint${options.error === undefined ? "" : " token-error"}"
          ${options.error === undefined ? "" : html` aria-invalid="true"`}
        />
      </div>
      <button type="submit">Sign in</button>
    </form>`;
  return renderPage({ title: "Sign in" }, content);
}
