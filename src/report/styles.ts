// The report's stylesheet, inlined into the page: a light theme with enough contrast (WCAG AA for
// text), tables with tabular figures, charts in a responsive grid, and print rules that keep each
// chart and table whole on a page.

/** CSS of the report page. */
export const STYLES = `
:root {
  --text: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --accent: #0b5cad;
  --note-bg: #fff8e1; --note-line: #d4a72c;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); background: #fff; line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem 1rem; border: 2px solid var(--accent); z-index: 10; }
.page { max-width: 1240px; margin: 0 auto; padding: 1.5rem 1.5rem 4rem; }
a { color: var(--accent); }
a:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
header.report-header { border-bottom: 2px solid var(--line); padding-bottom: 1rem; margin-bottom: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.45rem; margin: 0 0 .75rem; padding-top: .5rem; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.extent { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.25rem; margin: 0; }
.extent dt { font-weight: 600; color: var(--muted); }
.extent dd { margin: 0; }
.overview { display: grid; grid-template-columns: minmax(220px, 1fr) 2fr; gap: 2rem; margin-bottom: 2rem; }
nav.toc ol { padding-left: 1.5rem; margin: .25rem 0; }
nav.toc li { margin: .15rem 0; }
.badge { display: inline-block; font-size: .75rem; padding: 0 .4rem; border-radius: .6rem; background: var(--soft); border: 1px solid var(--line); color: var(--muted); margin-left: .35rem; vertical-align: 1px; }
.glance ul { margin: .25rem 0; padding-left: 1.25rem; }
.glance li { margin: .3rem 0; }
section.report-section { border-top: 1px solid var(--line); padding: 1.25rem 0 1.5rem; }
section.unavailable h2 { color: var(--muted); }
.key-figures { display: flex; flex-wrap: wrap; gap: .75rem; margin: .75rem 0 1rem; padding: 0; }
.key-figures div { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .85rem; min-width: 10rem; }
.key-figures dt { font-size: .8rem; color: var(--muted); }
.key-figures dd { margin: 0; font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.chart-row { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 1rem 1.5rem; margin: 1rem 0; }
.chart-figure { margin: 0; min-width: 0; }
.chart { width: 100%; min-height: 200px; }
.chart-error { color: #a40e26; padding: 1rem; border: 1px dashed #a40e26; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .25rem; }
.table-wrap { overflow: auto; margin: .5rem 0 1rem; border: 1px solid var(--line); border-radius: 6px; }
details .table-wrap { max-height: 32rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding: .5rem .75rem; caption-side: top; }
th, td { padding: .3rem .75rem; border-bottom: 1px solid #eaeef2; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: var(--soft); border-bottom: 1px solid var(--line); font-weight: 600; vertical-align: bottom; }
thead th, thead th.num { white-space: normal; }
tbody th { font-weight: 500; white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.text { min-width: 14rem; }
tbody tr:nth-child(even) { background: #fbfcfd; }
details.table-details { margin: .5rem 0 1rem; }
details.table-details > summary { cursor: pointer; color: var(--accent); font-weight: 600; }
.note { background: var(--note-bg); border-left: 4px solid var(--note-line); padding: .6rem .9rem; margin: .75rem 0; }
.rule { margin: .25rem 0 1rem; padding-left: 1.25rem; font-size: .92rem; color: var(--muted); }
.footnote { font-size: .85rem; color: var(--muted); margin: -.5rem 0 1rem; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: 1rem; }
@media (max-width: 760px) {
  .overview { grid-template-columns: 1fr; }
  .chart-row { grid-template-columns: 1fr; }
}
@media print {
  :root { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  .skip-link { display: none; }
  a { color: inherit; text-decoration: none; }
  .chart-row { grid-template-columns: 1fr; }
  .chart-figure, .key-figures, tr, .note { break-inside: avoid; }
  h2, h3, caption { break-after: avoid; }
  .table-wrap, details .table-wrap { max-height: none; overflow: visible; border: none; }
  table { font-size: 7.5pt; }
  th, td { padding: .12rem .3rem; }
  td.text { min-width: 0; }
  .key-figures div { min-width: 0; padding: .3rem .6rem; }
  details > summary { display: none; }
  thead th { position: static; }
  section.report-section { break-before: page; border-top: none; }
}
`;
