// Sections on small hand-made stores: what each shows when the data has views, carts and
// purchases; the short note it degrades to when the data lacks what it needs; a section that
// fails; and data that would break the page if it were not escaped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { funnel } from '../analytics/funnel.js';
import { recommendationImpact } from '../analytics/rec-impact.js';
import { isMagpieError } from '../core/errors.js';
import { makeEvent, makeItem, makeUser, type Event, type EventType } from '../core/types.js';
import { createExperimentService, EXPERIMENTS_META_KEY } from '../serve/experiments/index.js';
import { openStore, type Store } from '../store/index.js';
import { buildReport } from './build.js';
import { defineSection } from './define.js';
import { embeddedData, tableRows } from './sample.case.js';
import { SECTIONS } from './sections/index.js';
import { sourceName } from './sections/rec-impact.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1, 10); // a Monday

let n = 0;
function ev(user: string, type: EventType, item: string, day: number, extra: Partial<Event> = {}): Event {
  return makeEvent({ id: `e${++n}`, userId: user, type, itemId: item, timestamp: T0 + day * DAY + n * 1000, ...extra });
}

/** Ten users over three months: everyone views, most add to cart, some buy, a few come back. */
function shopEvents(): Event[] {
  const events: Event[] = [];
  for (let u = 0; u < 10; u++) {
    const user = `u${u}`;
    const start = u * 5;
    events.push(ev(user, 'view', 'i1', start), ev(user, 'view', 'i2', start));
    if (u < 7) events.push(ev(user, 'add_to_cart', 'i1', start + 1));
    if (u < 5) events.push(ev(user, 'purchase', 'i1', start + 2, { orderId: `o${u}a`, quantity: 2, price: 10 }));
    if (u < 3) events.push(ev(user, 'view', 'i2', start + 30), ev(user, 'purchase', 'i2', start + 31, { orderId: `o${u}b`, quantity: 1, price: 25 }));
  }
  return events;
}

async function storeWith(events: Event[], items = [makeItem('i1', { categories: ['Lighting'], currency: 'EUR' }), makeItem('i2', { categories: ['Kitchen'], currency: 'EUR' })]): Promise<Store> {
  const store = await openStore(':memory:');
  const users = [...new Set(events.flatMap((e) => (e.userId ? [e.userId] : [])))].map((id) => makeUser(id));
  await store.write({ users, items, events });
  return store;
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const statusOf = (report: Awaited<ReturnType<typeof buildReport>>): Record<string, string> => Object.fromEntries(report.timings.map((t) => [t.id, t.status]));

describe('report sections on hand-made data', () => {
  let shop: Store;
  before(async () => {
    shop = await storeWith(shopEvents());
  });
  after(async () => {
    await shop.close();
  });

  it('with views and carts, the funnel is view → add to cart → purchase, as the analysis measures it', async () => {
    const report = await buildReport(shop);
    // Six weeks of data are too short for propensity's two 30-day windows; no impressions, no experiments.
    const unavailable = new Set(['propensity', 'uplift', 'rec-impact', 'experiments']);
    for (const t of report.timings) assert.equal(t.status, unavailable.has(t.id) ? 'unavailable' : 'ok', `${t.id}: ${t.reason}`);
    assert.match(report.timings.find((t) => t.id === 'propensity')!.reason!, /needs history before the cut-off and two horizons after it/);
    const rows = await funnel(shop, { steps: ['view', 'add_to_cart', 'purchase'], windowDays: 30 });
    assert.deepEqual(rows.map((r) => r.users), [10, 7, 5]);
    assert.deepEqual(
      tableRows(report.html, 'funnel').map((r) => [r[0], r[2], r[3], r[5]]),
      [
        ['1. view', '10', '100.0%', '0'],
        ['2. add to cart', '7', '70.0%', '3'],
        ['3. purchase', '5', '50.0%', '2'],
      ],
    );
    assert.doesNotMatch(report.html.slice(report.html.indexOf('<section id="funnel"'), report.html.indexOf('<section id="repeat-purchase"')), /Not available/);
    // Money takes the catalog's one currency.
    assert.match(tableRows(report.html, 'orders')[0]![4]!, /^€/);
  });

  it('an empty store: every section says it has nothing, and the page still renders', async () => {
    const empty = await openStore(':memory:');
    try {
      const report = await buildReport(empty);
      assert.equal(report.sections.length, SECTIONS.length);
      for (const t of report.timings) {
        assert.equal(t.status, 'unavailable', t.id);
        assert.ok(!t.failed, `${t.id} failed: ${t.reason}`);
      }
      assert.match(report.html, /no events in the range/);
      assert.equal((report.html.match(/<span class="badge">not available<\/span>/g) ?? []).length, SECTIONS.length);
      assert.equal((report.html.match(/Not available on this data: /g) ?? []).length, SECTIONS.length);
    } finally {
      await empty.close();
    }
  });

  it('views only: activity and retention show, purchase-based sections say why not', async () => {
    const views = await storeWith(shopEvents().filter((e) => e.type === 'view'));
    try {
      const report = await buildReport(views);
      assert.deepEqual(statusOf(report), {
        activity: 'ok',
        'new-returning': 'ok',
        retention: 'ok',
        'user-states': 'ok',
        funnel: 'unavailable',
        'repeat-purchase': 'unavailable',
        orders: 'unavailable',
        rfm: 'unavailable',
        kmeans: 'unavailable',
        'bayes-net': 'ok',
        propensity: 'unavailable',
        uplift: 'unavailable',
        'rec-impact': 'unavailable',
        experiments: 'unavailable',
      });
      const reasons = Object.fromEntries(report.timings.map((t) => [t.id, t.reason]));
      assert.match(reasons.funnel!, /view events but no add to cart or purchase events/);
      assert.match(reasons.orders!, /no purchase events/);
      assert.match(reasons.rfm!, /no known customer has a purchase/);
    } finally {
      await views.close();
    }
  });

  it('with impressions and an experiment: impact per source and the A/B report', async () => {
    const ease = 'v20240101000000-ease';
    const feedback: Event[] = [];
    for (let u = 0; u < 10; u++) {
      const user = `u${u}`;
      // Everyone sees an EASE feed; the experiment splits them between variants a and b.
      const rec = `feed.${ease}.R${u}`;
      feedback.push(ev(user, 'impression', 'i1', 40, { itemId: null, recId: rec, context: { surface: 'feed', model: 'ease', modelVersion: ease } }));
      if (u % 2 === 0) feedback.push(ev(user, 'click', 'i1', 40, { recId: rec }));
      if (u % 4 === 0) feedback.push(ev(user, 'purchase', 'i1', 40, { recId: rec, orderId: `r${u}`, quantity: 1, price: 12 }));
      const variant = u < 5 ? 'a' : 'b';
      const exp = `feed.spring:${variant}.X${u}`;
      feedback.push(ev(user, 'impression', 'i1', 41, { itemId: null, recId: exp }));
      if (variant === 'b' || u === 0) feedback.push(ev(user, 'purchase', 'i2', 41, { recId: exp, orderId: `x${u}`, quantity: 1, price: 25 }));
    }
    const store = await storeWith([...shopEvents(), ...feedback]);
    try {
      const experiment = { name: 'spring', surfaces: ['feed'], variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }], status: 'running', startedAt: new Date(T0).toISOString(), stoppedAt: null };
      await store.setMeta(EXPERIMENTS_META_KEY, JSON.stringify({ version: 1, experiments: [experiment], archived: [] }));
      const report = await buildReport(store);
      assert.equal(statusOf(report)['rec-impact'], 'ok');
      assert.equal(statusOf(report).experiments, 'ok');
      const impact = (await recommendationImpact(store, { by: 'week' })).filter((r) => r.period === 'all' && r.exposures > 0);
      assert.deepEqual(
        tableRows(report.html, 'rec-impact').map((r) => [r[0], r[1], r[4], r[6], r[8]]),
        impact.map((r) => [sourceName(r), String(r.exposures), pct(r.clickThroughRate), pct(r.conversionRate), `€${r.revenue.toFixed(2)}`]),
      );
      assert.equal(tableRows(report.html, 'rec-impact')[0]![0], `feed · ease (${ease})`);
      const ab = await (await createExperimentService(store)).report('spring');
      const rows = tableRows(report.html, 'experiment-spring');
      assert.deepEqual(rows.map((r) => [r[0], r[1]]), ab.variants.map((v) => [v.variant, String(v.users)]));
      assert.deepEqual(rows.map((r) => r[1]), ['5', '5']);
      assert.match(rows[1]![4]!, /^100\.0% \(/, 'every b shopper bought');
      assert.match(report.html, new RegExp(escapeRegExp(ab.note.slice(0, 60).replace(/&/g, '&amp;').replace(/"/g, '&quot;'))));
    } finally {
      await store.close();
    }
  });

  it('a section that fails becomes a note; the others are built', async () => {
    const broken = defineSection<number>({
      id: 'broken',
      title: 'Broken',
      gather: async () => 1,
      render: () => {
        throw new Error('division by a cucumber');
      },
    });
    const report = await buildReport(shop, { sections: [SECTIONS[0]!, broken] });
    assert.deepEqual(report.timings.map((t) => [t.id, t.status, t.failed ?? false]), [
      ['activity', 'ok', false],
      ['broken', 'unavailable', true],
    ]);
    assert.match(report.html, /Not available: this analysis failed \(division by a cucumber\)/);
  });

  it('the range limits every section, and an empty range is a clear error', async () => {
    const report = await buildReport(shop, { from: '2024-02-01', to: '2024-03-01' });
    assert.match(report.html, /<dt>Range<\/dt><dd>from 2024-02-01 00:00 UTC up to \(not including\) 2024-03-01 00:00 UTC/);
    const months = tableRows(report.html, 'activity-monthly').map((r) => r[0]);
    assert.deepEqual(months, ['2024-02']);
    await assert.rejects(buildReport(shop, { from: '2024-03-01', to: '2024-02-01' }), (e) => isMagpieError(e, 'invalid_input'));
  });

  it('data is escaped: markup in a category name stays text, in the tables and in the embedded JSON', async () => {
    const evil = '<script>alert("x")</script> & Co';
    const store = await storeWith(shopEvents(), [makeItem('i1', { categories: [evil] }), makeItem('i2', { categories: ['Kitchen'] })]);
    try {
      const report = await buildReport(store);
      assert.ok(!report.html.includes('<script>alert'), 'raw markup reached the page');
      assert.match(report.html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; Co/);
      const data = embeddedData(report.html);
      const rfm = data.sections.find((s) => s.id === 'rfm')!.data as { segments: { topCategories: { category: string }[] }[] };
      assert.ok(rfm.segments.some((s) => s.topCategories.some((c) => c.category === evil)), 'the JSON round-trips the name');
      assert.equal((report.html.match(/<script/g) ?? []).length, 3);
    } finally {
      await store.close();
    }
  });
});
