import { html } from "./html";
import type { PageFrame } from "./layout";
import { renderPage } from "./layout";
import { HOME } from "./navigation";

/** A page that says what went wrong and what to do next (403, 404, 500 and the like). */
export function renderMessagePage(frame: PageFrame, heading: string, message: string): string {
  return renderPage(
    frame,
    html`<h1>${heading}</h1>
      <p role="alert">${message}</p>
      <p><a href="${HOME.href}">Back to ${HOME.label}</a></p>`,
  );
}
