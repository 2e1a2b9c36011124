// Recommendation impact on a seeded random log of a few thousand responses, against a naive
// TypeScript implementation that groups with parseRecId and the impression contexts directly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeUser, type Event } from '../core/types.js';
import { Random } from '../math/random.js';
import { parseRecId } from '../serve/rec-id.js';
import { openStore, type Store } from '../store/index.js';
import { ALL_PERIODS, recommendationImpact, type RecImpactRow } from './rec-impact.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const SOURCES = [
  { surface: 'feed', source: 'v20240101000000-ease', context: true },
  { surface: 'feed', source: 'v20240101000000-ease', context: false },
  { surface: 'similar', source: 'rules', context: true },
  { surface: 'cart', source: 'spring:a', context: true, model: 'sar', modelVersion: 'v20240102000000-sar' },
  { surface: 'cart', source: 'spring:b', context: false },
  { surface: 'session', source: 'v20240103000000-gru4rec', context: true },
];

/** A random log: responses shown to 60 users and 20 sessions over 90 days, some clicked, carted, bought. */
function randomLog(seed: number): Event[] {
  const rng = new Random(seed);
  const events: Event[] = [];
  let n = 0;
  for (let r = 0; r < 3_000; r++) {
    const s = SOURCES[rng.nextInt(SOURCES.length)]!;
    const recId = `${s.surface}.${s.source}.r${r}`;
    const anonymous = rng.nextFloat() < 0.25;
    const who = anonymous ? { userId: null, sessionId: `s${rng.nextInt(20)}` } : { userId: `u${rng.nextInt(60)}`, sessionId: null };
    const shownAt = START + Math.floor(rng.nextFloat() * 90 * DAY);
    const parsed = parseRecId(recId)!;
    // One response in ten has no logged impression; a few have two (a second page).
    const impressions = rng.nextFloat() < 0.1 ? 0 : rng.nextFloat() < 0.05 ? 2 : 1;
    for (let k = 0; k < impressions; k++) {
      const context = s.context
        ? { surface: s.surface, model: s.model ?? (parsed.experiment ? null : s.source.split('-')[1]), modelVersion: s.modelVersion ?? (parsed.experiment || s.source === 'rules' ? null : s.source), experiment: parsed.experiment?.name ?? null, variant: parsed.experiment?.variant ?? null, items: ['i1'] }
        : {};
      events.push(makeEvent({ id: `e${n++}`, type: 'impression', timestamp: shownAt + k, recId, context, ...who }));
    }
    let t = shownAt + 1000;
    for (const [type, p] of [['click', 0.2], ['add_to_cart', 0.4], ['purchase', 0.5]] as const) {
      if (rng.nextFloat() >= p) break;
      const repeats = 1 + rng.nextInt(2);
      for (let k = 0; k < repeats; k++) {
        t += 60_000;
        events.push(makeEvent({ id: `e${n++}`, type, timestamp: t, recId, itemId: 'i1', ...who, ...(type === 'purchase' ? { price: 1 + rng.nextInt(20), quantity: rng.nextFloat() < 0.2 ? null : 1 + rng.nextInt(3), orderId: `o${r}` } : {}) }));
      }
    }
  }
  return events;
}

/** The naive grouping: per recId, then per source key, straight from the events. */
function naive(events: readonly Event[], from: number, to: number): Map<string, Omit<RecImpactRow, 'period' | 'surface' | 'source' | 'model' | 'modelVersion' | 'experiment' | 'variant' | 'revenuePerExposure'>> {
  const byRec = new Map<string, Event[]>();
  for (const e of events) if (e.recId) byRec.set(e.recId, [...(byRec.get(e.recId) ?? []), e]);
  const out = new Map<string, { exposures: number; viewers: Set<string>; clicks: number; addToCarts: number; purchases: number; clicked: number; carted: number; bought: number; revenue: number }>();
  for (const [recId, list] of byRec) {
    const impressions = list.filter((e) => e.type === 'impression');
    const shownAt = Math.min(...(impressions.length > 0 ? impressions : list).map((e) => e.timestamp));
    if (shownAt < from || shownAt >= to) continue;
    const parsed = parseRecId(recId);
    const ctx = (impressions[0]?.context ?? {}) as Record<string, string | null | undefined>;
    const version = ctx.modelVersion ?? (parsed && !parsed.experiment && parsed.source !== 'rules' ? parsed.source : null);
    const key = [ctx.surface ?? parsed?.surface ?? null, parsed?.source ?? null, ctx.model ?? (version ? version.slice(16) : null), version, ctx.experiment ?? parsed?.experiment?.name ?? null, ctx.variant ?? parsed?.experiment?.variant ?? null].join('|');
    let g = out.get(key);
    if (!g) out.set(key, (g = { exposures: 0, viewers: new Set(), clicks: 0, addToCarts: 0, purchases: 0, clicked: 0, carted: 0, bought: 0, revenue: 0 }));
    const count = (type: string): number => list.filter((e) => e.type === type).length;
    const shown = impressions.length > 0 ? 1 : 0;
    g.exposures += shown;
    for (const e of impressions) g.viewers.add(e.userId ?? `session ${e.sessionId}`);
    g.clicks += count('click');
    g.addToCarts += count('add_to_cart');
    g.purchases += count('purchase');
    g.clicked += shown && count('click') > 0 ? 1 : 0;
    g.carted += shown && count('add_to_cart') > 0 ? 1 : 0;
    g.bought += shown && count('purchase') > 0 ? 1 : 0;
    g.revenue += list.filter((e) => e.type === 'purchase').reduce((s, e) => s + (e.quantity ?? 1) * (e.price ?? 0), 0);
  }
  const result = new Map();
  for (const [key, g] of out) {
    const rate = (x: number): number | null => (g.exposures === 0 ? null : x / g.exposures);
    result.set(key, {
      exposures: g.exposures,
      usersExposed: g.viewers.size,
      clicks: g.clicks,
      addToCarts: g.addToCarts,
      purchases: g.purchases,
      clickThroughRate: rate(g.clicked),
      addToCartRate: rate(g.carted),
      conversionRate: rate(g.bought),
      revenue: Math.round(g.revenue * 100) / 100,
    });
  }
  return result;
}

describe('recommendation impact against a naive implementation', () => {
  let store: Store;
  const events = randomLog(17);
  before(async () => {
    store = await openStore(':memory:');
    await store.write({ users: Array.from({ length: 60 }, (_, i) => makeUser(`u${i}`)), events });
  });
  after(async () => {
    await store.close();
  });

  for (const [label, from, to] of [['over the whole range', -Infinity, Infinity], ['shown in February', Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)]] as const) {
    it(`every source, ${label}`, async () => {
      const rows = (await recommendationImpact(store, Number.isFinite(from) ? { from, to } : {})).filter((r) => r.period === ALL_PERIODS);
      const expected = naive(events, from, to);
      assert.equal(rows.length, expected.size);
      for (const r of rows) {
        const key = [r.surface, r.source, r.model, r.modelVersion, r.experiment, r.variant].join('|');
        const { period: _, surface: _s, source: _o, model: _m, modelVersion: _v, experiment: _e, variant: _a, revenuePerExposure: _r, ...figures } = r;
        assert.deepEqual(figures, expected.get(key), key);
      }
      assert.ok(rows.some((r) => r.exposures > 100 && (r.clickThroughRate ?? 0) > 0.1 && r.revenue > 0));
    });
  }

  it('per-period rows add up to the whole range, except users (counted distinct)', async () => {
    const rows = await recommendationImpact(store, { by: 'week' });
    const all = rows.filter((r) => r.period === ALL_PERIODS);
    for (const a of all) {
      const parts = rows.filter((r) => r.period !== ALL_PERIODS && r.surface === a.surface && r.source === a.source && r.model === a.model && r.variant === a.variant && r.modelVersion === a.modelVersion);
      assert.equal(parts.reduce((s, r) => s + r.exposures, 0), a.exposures);
      assert.equal(parts.reduce((s, r) => s + r.clicks, 0), a.clicks);
      assert.ok(Math.abs(parts.reduce((s, r) => s + r.revenue, 0) - a.revenue) < 0.01 * parts.length);
      assert.ok(parts.reduce((s, r) => s + r.usersExposed, 0) >= a.usersExposed);
    }
  });
});
