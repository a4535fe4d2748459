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
header.top { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem 1rem; padding: .5rem 1rem; background: #243a5e; color: #fff; }
header.top .brand { font-weight: 600; font-size: 1.1rem; }
header.top form { display: inline; margin: 0; }
header.top button { background: transparent; color: #fff; border: 1px solid #fff; }
.layout { display: flex; min-height: calc(100vh - 3rem); }
nav.side { width: 15rem; flex: none; background: var(--bg-soft); border-right: 1px solid var(--line); padding: 1rem; }
nav.side ul { list-style: none; margin: 0; padding: 0; }
nav.side ul ul { margin: .25rem 0 .75rem 1rem; }
nav.side a { display: block; padding: .2rem .4rem; text-decoration: none; border-radius: 3px; }
nav.side a[aria-current="page"] { background: var(--accent); color: #fff; }
/* min-width: 0 lets the content column shrink below its widest table, which then scrolls in its own box. */
main { flex: 1; min-width: 0; padding: 1rem 2rem 3rem; max-width: 80rem; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; overflow-wrap: normal; }
/* In a narrow window a table keeps readable columns and scrolls inside its box, not the page. */
.table-scroll { max-width: 100%; overflow-x: auto; }
.table-scroll > table { min-width: 44rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
/* A date stays on one line: "2026-11-20 10:02:03 UTC", never broken into several. */
time { white-space: nowrap; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--bg-soft); }
tbody tr:hover { background: #fafbfd; }
.muted, .hint { color: var(--muted); font-size: .9rem; }
.toolbar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: flex-start; margin: .5rem 0; }
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
.field input[type="text"], .field input[type="password"], .field input[type="url"], .field input[type="number"], .field textarea { width: 100%; font: inherit; padding: .4rem; border: 1px solid #767676; border-radius: 3px; }
.field input[readonly] { background: var(--bg-soft); }
.check { display: flex; gap: .5rem; align-items: baseline; margin: .3rem 0; }
.check label { font-weight: normal; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 1rem; padding: .5rem 1rem 1rem; }
legend { font-weight: 600; padding: 0 .3rem; }
.invalid input, .invalid textarea { border: 2px solid var(--bad) !important; }
.error { color: var(--bad); font-weight: 600; margin: .2rem 0; }
.error-summary { border: 3px solid var(--bad); padding: .5rem 1rem; margin: 0 0 1rem; }
.error-summary h2 { margin: .2rem 0; color: var(--bad); }
.flash { padding: .5rem 1rem; margin: 0 0 1rem; }
.flash.success { border-left: 5px solid var(--ok); background: #eef7f0; }
.flash.problem { border-left: 5px solid var(--bad); background: #fdecee; color: var(--bad); font-weight: 600; }
section.changed { border: 2px solid #d4a000; background: #fffdf3; padding: .5rem 1rem; margin: 0 0 1rem; }
section.changed h2 { margin: .3rem 0; }
/* Long values (URLs) break, so that no column of these tables is squeezed to a word a line. */
section.changed td.value { overflow-wrap: anywhere; }
tr.attention { background: #fdecee; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.changes li + li { margin-top: .4rem; }
fieldset.decision { border: 3px solid var(--bad); }
.note { border-left: 5px solid #d4a000; background: #fff8e1; padding: .5rem 1rem; margin: 0 0 1rem; }
.yes { color: var(--ok); font-weight: 600; }
.no { color: var(--bad); font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: 1rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
/* A narrow window (a phone, 420 px): the navigation goes above the content, nothing is wider than the window. */
@media (max-width: 48rem) {
  .layout { flex-direction: column; }
  nav.side { width: auto; border-right: 0; border-bottom: 1px solid var(--line); padding: .5rem 1rem; }
  main { padding: 1rem 1rem 2rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
}
`;
