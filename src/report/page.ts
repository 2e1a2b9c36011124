import { echartsBundle } from './echarts-source.js';
import { date, dateTime, int } from './format.js';
import { escapeHtml } from './html.js';
import { PAGE_SCRIPT } from './page-script.js';
import { STYLES } from './styles.js';
import type { ReportContext, ReportSection } from './types.js';

/** What the page says about the report as a whole. */
export interface ReportMeta {
  title: string;
  /** Epoch ms. */
  generatedAt: number;
  /** Seconds spent running the analyses. */
  seconds: number;
  /** The store, as its URL without a password. */
  storeUrl: string;
  context: ReportContext;
  magpieVersion: string;
}

const DAY_MS = 86_400_000;

function rangeText(ctx: ReportContext): string {
  const { from, to } = ctx.range;
  if (from === null && to === null) return 'all events';
  if (from !== null && to !== null) return `from ${dateTime(from)} up to (not including) ${dateTime(to)}`;
  return from !== null ? `from ${dateTime(from)} on` : `up to (not including) ${dateTime(to)}`;
}

function extentText(ctx: ReportContext): string {
  const { firstEventAt, lastEventAt } = ctx.extent;
  if (firstEventAt === null || lastEventAt === null) return 'no events in the range';
  const span = Math.floor(lastEventAt / DAY_MS) - Math.floor(firstEventAt / DAY_MS) + 1;
  return `${dateTime(firstEventAt)} → ${dateTime(lastEventAt)} (${int(span)} ${span === 1 ? 'day' : 'days'})`;
}

function header(meta: ReportMeta, sections: readonly ReportSection[]): string {
  const ctx = meta.context;
  const types = Object.entries(ctx.extent.eventsByType)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([type, n]) => `${type} ${int(n ?? 0)}`)
    .join(' · ');
  const rows: [string, string][] = [
    ['Events', `${int(ctx.extent.events)}${types ? ` (${types})` : ''}`],
    ['Data extent', extentText(ctx)],
    ['Range', rangeText(ctx)],
    ['Active', `${int(ctx.extent.users)} known users, ${int(ctx.extent.items)} items with events in the range`],
    ['Store', `${meta.storeUrl}: ${int(ctx.totals.events)} events, ${int(ctx.totals.users)} users, ${int(ctx.totals.items)} items, ${int(ctx.totals.orders)} orders`],
    ['Money', ctx.currency ? `${ctx.currency} (from the catalog)` : 'the shop’s currency (the catalog names none)'],
    ['Generated', `${dateTime(meta.generatedAt)} in ${meta.seconds.toFixed(1)} s by Magpie ${meta.magpieVersion}`],
  ];
  const extent = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n');
  const toc = sections
    .map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>${s.status === 'unavailable' ? '<span class="badge">not available</span>' : ''}</li>`)
    .join('\n');
  const glance = sections
    .filter((s) => s.status === 'ok' && s.summary)
    .map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>: ${escapeHtml(s.summary)}</li>`)
    .join('\n');
  return `<header class="report-header">
<h1>${escapeHtml(meta.title)}</h1>
<p class="subtitle">Engagement analytics and marketing, ${escapeHtml(date(ctx.extent.firstEventAt))} to ${escapeHtml(date(ctx.extent.lastEventAt))}</p>
<dl class="extent">
${extent}
</dl>
</header>
<div class="overview">
<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>
${toc}
</ol></nav>
<div class="glance"><h2>At a glance</h2><ul>
${glance || '<li>No section has results on this data.</li>'}
</ul></div>
</div>`;
}

function sectionHtml(section: ReportSection, index: number): string {
  const cls = section.status === 'unavailable' ? 'report-section unavailable' : 'report-section';
  return `<section id="${escapeHtml(section.id)}" class="${cls}" aria-labelledby="${escapeHtml(section.id)}-title" data-status="${section.status}">
<h2 id="${escapeHtml(section.id)}-title">${index + 1}. ${escapeHtml(section.title)}</h2>
${section.html}
</section>`;
}

/** JSON for a `<script type="application/json">` element: `<` escaped so no text can close the element. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The whole report as one HTML document: styles, the ECharts bundle, the data and the page script
 * are all inline, so the file opens offline and requests nothing.
 */
export function renderPage(meta: ReportMeta, sections: readonly ReportSection[]): string {
  const echarts = echartsBundle();
  const data = {
    meta: {
      title: meta.title,
      generatedAt: new Date(meta.generatedAt).toISOString(),
      seconds: meta.seconds,
      store: meta.storeUrl,
      currency: meta.context.currency,
      range: meta.context.range,
      extent: meta.context.extent,
      period: meta.context.by,
      echarts: echarts.version,
    },
    sections: sections.map((s) => ({ id: s.id, title: s.title, status: s.status, summary: s.summary, charts: s.charts, data: s.data ?? null })),
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Magpie ${escapeHtml(meta.magpieVersion)}">
<title>${escapeHtml(meta.title)}</title>
<link rel="icon" href="data:,">
<style>${STYLES}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to the report</a>
<div class="page">
${header(meta, sections)}
<main id="main">
${sections.map(sectionHtml).join('\n')}
</main>
<footer>Made by Magpie ${escapeHtml(meta.magpieVersion)}. Charts drawn by Apache ECharts ${escapeHtml(echarts.version)} (Apache License 2.0), embedded in this file: it opens offline and loads nothing from the network. The data behind every section is embedded as JSON in the element <code>#magpie-report-data</code>.</footer>
</div>
<script>${echarts.source}</script>
<script type="application/json" id="magpie-report-data">${embedJson(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
