/**
 * The Control Panel's style sheet, served as `/control-panel.css` (a file of its own, so that
 * the Content-Security-Policy needs no inline style). Plain, readable, with a visible focus ring
 * for keyboard users.
 */
export const CONTROL_PANEL_CSS = `
:root { --fg: #1b1b1b; --muted: #5a5a5a; --line: #c8c8c8; --accent: #0b5cad; --bad: #b00020; --ok: #1e6b2f; --bg-soft: #f3f5f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
header.top { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .5rem 1rem; background: #243a5e; color: #fff; }
header.top .brand { font-weight: 600; font-size: 1.1rem; }
header.top form { display: inline; margin: 0; }
header.top button { background: transparent; color: #fff; border: 1px solid #fff; }
.layout { display: flex; min-height: calc(100vh - 3rem); }
nav.side { width: 15rem; flex: none; background: var(--bg-soft); border-right: 1px solid var(--line); padding: 1rem; }
nav.side ul { list-style: none; margin: 0; padding: 0; }
nav.side ul ul { margin: .25rem 0 .75rem 1rem; }
nav.side a { display: block; padding: .2rem .4rem; text-decoration: none; border-radius: 3px; }
nav.side a[aria-current="page"] { background: var(--accent); color: #fff; }
main { flex: 1; padding: 1rem 2rem 3rem; max-width: 80rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--bg-soft); }
tbody tr:hover { background: #fafbfd; }
.muted, .hint { color: var(--muted); font-size: .9rem; }
.toolbar { display: flex; gap: .5rem; align-items: flex-start; margin: .5rem 0; }
details.menu { position: relative; }
details.menu > summary { list-style: none; cursor: pointer; padding: .35rem .9rem; border: 1px solid var(--line); border-radius: 3px; background: #fff; }
details.menu > summary::-webkit-details-marker { display: none; }
details.menu > summary::after { content: " \\25BE"; }
details.menu[open] > .items { position: absolute; z-index: 5; background: #fff; border: 1px solid var(--line); box-shadow: 0 2px 6px rgba(0,0,0,.15); min-width: 10rem; padding: .25rem 0; margin: 0; list-style: none; }
details.menu .items a, details.menu .items button { display: block; width: 100%; text-align: left; padding: .35rem .9rem; border: 0; background: none; font: inherit; color: var(--fg); text-decoration: none; cursor: pointer; }
details.menu .items a:hover, details.menu .items button:hover { background: var(--bg-soft); }
button, .button { font: inherit; padding: .4rem 1rem; border-radius: 3px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
form.stacked { max-width: 44rem; }
.field { margin: 0 0 1rem; }
.field > label { display: block; font-weight: 600; }
.field input[type="text"], .field input[type="password"], .field input[type="url"], .field textarea { width: 100%; font: inherit; padding: .4rem; border: 1px solid #767676; border-radius: 3px; }
.field input[readonly] { background: var(--bg-soft); }
.check { display: flex; gap: .5rem; align-items: baseline; margin: .3rem 0; }
.check label { font-weight: normal; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 1rem; padding: .5rem 1rem 1rem; }
legend { font-weight: 600; padding: 0 .3rem; }
.invalid input, .invalid textarea { border: 2px solid var(--bad) !important; }
.error { color: var(--bad); font-weight: 600; margin: .2rem 0; }
.error-summary { border: 3px solid var(--bad); padding: .5rem 1rem; margin: 0 0 1rem; }
.error-summary h2 { margin: .2rem 0; color: var(--bad); }
.flash { border-left: 5px solid var(--ok); background: #eef7f0; padding: .5rem 1rem; margin: 0 0 1rem; }
.note { border-left: 5px solid #d4a000; background: #fff8e1; padding: .5rem 1rem; margin: 0 0 1rem; }
.yes { color: var(--ok); font-weight: 600; }
.no { color: var(--bad); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.actions { display: flex; gap: .75rem; align-items: center; margin-top: 1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
