/**
 * The headers of every Control Panel response. No script runs on the page and styles come
 * only from `/control-panel.css`, so the Content-Security-Policy allows nothing inline; the
 * page may not be framed (clickjacking) and forms may post only to the store itself.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // The page URLs carry provider names (?name=): they are not sent to other sites.
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};
