// Report checks every SQL backend runs (report-sqlite.test.ts, report-postgres.test.ts): one store
// built by hand with the expected figures worked out in comments, and one generated store whose
// report is compared with a naive count done here, event by event, through parseRecId.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { meanInterval, summarize, twoProportionZTest, welchTTest, wilsonInterval } from '../../analytics/ab-stats.js';
import { makeEvent, type Event, type EventType } from '../../core/types.js';
import { Random } from '../../math/random.js';
import type { Store } from '../../store/store.js';
import { parseRecId } from '../rec-id.js';
import type { Experiment, Surface, VariantReport } from '../types.js';
import { assigner } from './assign.js';
import { createExperimentService, EXPERIMENTS_META_KEY } from './index.js';

const T0 = Date.parse('2024-05-01T00:00:00.000Z');
const minute = (m: number): number => T0 + m * 60_000;

function experiment(name: string, variants: [string, number][]): Experiment {
  return { name, surfaces: ['feed', 'session', 'cart'], variants: variants.map(([n, weight]) => ({ name: n, weight })), status: 'running', startedAt: new Date(T0).toISOString(), stoppedAt: null };
}

/** "s…" actors are anonymous sessions, everyone else a known user. */
function ev(id: string, who: string, type: EventType, recId: string | null, ts: number, extra: Partial<Event> = {}): Event {
  const anonymous = who.startsWith('s');
  return makeEvent({ id, type, recId, timestamp: ts, userId: anonymous ? null : who, sessionId: anonymous ? who : null, itemId: type === 'impression' ? null : 'i1', ...extra });
}

const HAND = experiment('spring_test', [['a', 1], ['b', 1]]);

const HAND_EVENTS: Event[] = [
  // Impressions of a: u1 (r1), u2 (r2, logged twice), anonymous session s1 (r3, empty random part).
  ev('e1', 'u1', 'impression', 'feed.spring_test:a.r1', minute(1)),
  ev('e2', 'u2', 'impression', 'feed.spring_test:a.r2', minute(2)),
  ev('e3', 'u2', 'impression', 'feed.spring_test:a.r2', minute(3)),
  ev('e4', 's1', 'impression', 'cart.spring_test:a.', minute(4)),
  // Impressions of b: u3 (r4), session s2 (r5), u1 again (r6: u1 saw both variants), u7 (r13).
  ev('e5', 'u3', 'impression', 'feed.spring_test:b.r4', minute(5)),
  ev('e6', 's2', 'impression', 'session.spring_test:b.r5', minute(6)),
  ev('e7', 'u1', 'impression', 'feed.spring_test:b.r6', minute(7)),
  ev('e16', 'u7', 'impression', 'feed.spring_test:b.r13', minute(17)),
  // Before the start: out of the window.
  ev('e8', 'u2', 'impression', 'feed.spring_test:a.old', T0 - 86_400_000),
  // Not this experiment, though LIKE '%.spring_test:%' lets some through (`_` is a wildcard, SQLite's LIKE ignores case).
  ev('e9', 'u4', 'impression', 'feed.springXtest:a.r7', minute(8)),
  ev('e10', 'u4', 'impression', 'feed.SPRING_TEST:a.r8', minute(9)),
  ev('e12', 'u5', 'impression', 'feedx.spring_test:a.r9', minute(10)),
  ev('e13', 'u5', 'impression', 'feed.spring_test:.r10', minute(10)),
  ev('e14', 'u5', 'impression', 'feed.other:a.r11', minute(10)),
  ev('e15', 'u6', 'impression', '.spring_test:a.r12', minute(10)),
  // parseRecId reads the source up to the last dot: variant "a.x", which the experiment does not have.
  ev('e11', 'u3', 'impression', 'feed.spring_test:a.x.y', minute(10)),
  // Feedback on a: u1 clicks r1 twice; u2 clicks, carts and buys twice from r2 (2×10 + one unit at 5).
  ev('f1', 'u1', 'click', 'feed.spring_test:a.r1', minute(11)),
  ev('f2', 'u1', 'click', 'feed.spring_test:a.r1', minute(12)),
  ev('f3', 'u2', 'click', 'feed.spring_test:a.r2', minute(13)),
  ev('f4', 'u2', 'add_to_cart', 'feed.spring_test:a.r2', minute(14)),
  ev('f5', 'u2', 'purchase', 'feed.spring_test:a.r2', minute(15), { quantity: 2, price: 10, orderId: 'o1' }),
  ev('f6', 'u2', 'purchase', 'feed.spring_test:a.r2', minute(15), { itemId: 'i2', price: 5, orderId: 'o1' }),
  // s1 logs in as u9 and buys with r3: credited to the exposed session s1.
  ev('f7', 's1', 'purchase', 'cart.spring_test:a.', minute(16), { userId: 'u9', quantity: 1, price: 30 }),
  // A purchase without a recId is not attributed.
  ev('f8', 'u2', 'purchase', null, minute(16), { quantity: 1, price: 100 }),
  // Feedback on b: u3 clicks and buys with no price (a conversion worth 0); u1 buys 3×4; s2 buys 2×7.5.
  ev('f9', 'u3', 'click', 'feed.spring_test:b.r4', minute(18)),
  ev('f10', 'u3', 'purchase', 'feed.spring_test:b.r4', minute(19), { quantity: 1 }),
  ev('f11', 'u1', 'purchase', 'feed.spring_test:b.r6', minute(20), { quantity: 3, price: 4 }),
  ev('f17', 's2', 'purchase', 'session.spring_test:b.r5', minute(21), { quantity: 2, price: 7.5 }),
  // Clicks naming the experiment but no impression in its window: left out, and counted as such.
  ev('f12', 'u2', 'click', 'feed.spring_test:a.old', minute(22)),
  ev('f13', 'u1', 'click', 'feed.spring_test:a.never', minute(23)),
  // Ignored: another experiment's id, a view (not an outcome the report counts), the unknown variant "a.x".
  ev('f14', 'u4', 'click', 'feed.SPRING_TEST:a.r8', minute(24)),
  ev('f15', 'u1', 'view', 'feed.spring_test:a.r1', minute(25)),
  ev('f16', 'u3', 'add_to_cart', 'feed.spring_test:a.x.y', minute(26)),
];

/** The report's numbers, counted naively from the events with parseRecId. */
function naiveReport(exp: Experiment, events: Event[]): { per: Map<string, { users: Set<string>; exposures: number; clicks: number; clickers: Set<string>; carts: number; revenue: Map<string, number> }>; cross: number; unattributed: number } {
  const start = Date.parse(exp.startedAt);
  const end = exp.stoppedAt ? Date.parse(exp.stoppedAt) : Infinity;
  const mine = (recId: string | null) => {
    const parts = recId === null ? null : parseRecId(recId);
    return parts?.experiment?.name === exp.name ? parts.experiment.variant : null;
  };
  const shownTo = new Map<string, { unit: string; variant: string }>();
  const per = new Map(exp.variants.map((v) => [v.name, { users: new Set<string>(), exposures: 0, clicks: 0, clickers: new Set<string>(), carts: 0, revenue: new Map<string, number>() }]));
  const variantsOf = new Map<string, Set<string>>();
  for (const e of events) {
    const variant = mine(e.recId);
    if (e.type !== 'impression' || variant === null || e.timestamp < start || e.timestamp >= end) continue;
    const unit = e.userId !== null ? `u:${e.userId}` : `s:${e.sessionId}`;
    shownTo.set(e.recId!, { unit, variant });
    if (!variantsOf.has(unit)) variantsOf.set(unit, new Set());
    variantsOf.get(unit)!.add(variant);
    const p = per.get(variant);
    if (p) {
      p.users.add(unit);
      p.exposures++;
    }
  }
  let unattributed = 0;
  for (const e of events) {
    if (!['click', 'add_to_cart', 'purchase'].includes(e.type) || mine(e.recId) === null) continue;
    const shown = shownTo.get(e.recId!);
    if (!shown) {
      unattributed++;
      continue;
    }
    const p = per.get(shown.variant);
    if (!p) continue;
    if (e.type === 'click') {
      p.clicks++;
      p.clickers.add(shown.unit);
    } else if (e.type === 'add_to_cart') p.carts++;
    else p.revenue.set(shown.unit, (p.revenue.get(shown.unit) ?? 0) + (e.quantity ?? 1) * (e.price ?? 0));
  }
  const cross = [...variantsOf.values()].filter((s) => s.size > 1).length;
  return { per, cross, unattributed };
}

function near(actual: number, expected: number, what: string, tolerance = 1e-9): void {
  if (Number.isNaN(expected)) return assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: got ${actual}, expected ${expected}`);
}

/** Revenue per exposed shopper, zeros included, in variant order. */
function revenueValues(naive: ReturnType<typeof naiveReport>, variant: string): number[] {
  const p = naive.per.get(variant)!;
  return [...p.users].map((u) => p.revenue.get(u) ?? 0);
}

function checkAgainstNaive(exp: Experiment, events: Event[], reports: VariantReport[]): void {
  const naive = naiveReport(exp, events);
  const control = exp.variants[0]!.name;
  reports.forEach((r, i) => {
    const p = naive.per.get(r.variant)!;
    const what = `${exp.name}/${r.variant}`;
    assert.equal(r.variant, exp.variants[i]!.name);
    assert.deepEqual([r.users, r.exposures, r.clicks, r.addToCarts, r.conversions], [p.users.size, p.exposures, p.clicks, p.carts, p.revenue.size], what);
    const values = revenueValues(naive, r.variant);
    near(r.revenue, Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100, `${what} revenue`);
    const click = wilsonInterval(p.clickers.size, p.users.size);
    const conversion = wilsonInterval(p.revenue.size, p.users.size);
    const perUser = meanInterval(summarize(values));
    for (const [got, want, name] of [[r.clickRate, click, 'clickRate'], [r.conversionRate, conversion, 'conversionRate'], [r.revenuePerUser, perUser, 'revenuePerUser']] as const) {
      near(got.value, want.value, `${what} ${name}`);
      near(got.low, want.low, `${what} ${name} low`);
      near(got.high, want.high, `${what} ${name} high`);
    }
    if (i === 0) return assert.equal(r.versusControl, null);
    const c = naive.per.get(control)!;
    const z = twoProportionZTest({ successes: c.revenue.size, trials: c.users.size }, { successes: p.revenue.size, trials: p.users.size });
    near(r.versusControl!.conversionLift, z.treatment / z.control - 1, `${what} lift`);
    near(r.versusControl!.conversionPValue, z.pValue, `${what} conversion p`);
    const welch = welchTTest(summarize(revenueValues(naive, control)), summarize(values));
    near(r.versusControl!.revenuePerUserDiff, welch.difference, `${what} revenue diff`);
    near(r.versusControl!.revenuePValue, welch.pValue, `${what} revenue p`, 1e-7);
  });
}

/** Runs the report checks against a fresh, empty store made by `open`. */
export function runReportCases(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`experiment reports on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('counts a hand-built experiment as worked out by hand', async () => {
      await store.write({ events: HAND_EVENTS });
      await store.setMeta(EXPERIMENTS_META_KEY, JSON.stringify({ version: 1, experiments: [HAND], archived: [] }));
      const { experiment: exp, variants, note } = await (await createExperimentService(store)).report('spring_test');
      assert.deepEqual(exp, HAND);
      const [a, b] = variants;
      // a: shoppers u1, u2, s1; impressions e1, e2, e3, e4; clicks f1, f2, f3 by u1 and u2; cart f4;
      // purchasers u2 (2×10 + 1×5 = 25) and s1 (30): revenue 55 over 3 shoppers → values 25, 30, 0.
      assert.deepEqual([a?.users, a?.exposures, a?.clicks, a?.addToCarts, a?.conversions, a?.revenue], [3, 4, 3, 1, 2, 55]);
      near(a!.clickRate.value, 2 / 3, 'a click rate');
      near(a!.conversionRate.value, 2 / 3, 'a conversion rate');
      // Mean 55/3; squared deviations (25 − 18.33)² + (30 − 18.33)² + 18.33² = 516.67 → variance 258.33.
      near(a!.revenuePerUser.value, 55 / 3, 'a revenue per user');
      const ta = meanInterval({ n: 3, mean: 55 / 3, variance: 775 / 3 });
      near(a!.revenuePerUser.low, ta.low, 'a revenue low');
      // b: u3, s2, u1, u7 shown r4, r5, r6, r13; click f9; purchasers u3 (0), u1 (3×4 = 12), s2 (2×7.5 = 15).
      assert.deepEqual([b?.users, b?.exposures, b?.clicks, b?.addToCarts, b?.conversions, b?.revenue], [4, 4, 1, 0, 3, 27]);
      // Lift (3/4)/(2/3) − 1 = 0.125; pooled 5/7, se₀ = √(5/7·2/7·(1/3 + 1/4)) = 0.345033, z = (1/12)/0.345033 = 0.241523, p = 0.80915.
      near(b!.versusControl!.conversionLift, 0.125, 'lift');
      near(b!.versusControl!.conversionPValue, 0.80915, 'conversion p', 1e-5);
      // Revenue per user 27/4 = 6.75 against 18.33: −11.5833.
      near(b!.versusControl!.revenuePerUserDiff, 6.75 - 55 / 3, 'revenue diff');
      assert.equal(b!.versusControl!.significant, false);
      // u1 saw a and b; u3 saw b and the unknown "a.x". f12 and f13 match no impression in the window.
      assert.match(note, /2 shoppers saw more than one variant/);
      assert.match(note, /2 events carried this experiment's recIds but matched no impression/);
      assert.match(note, /mSPRT always-valid p < 0\.05/);
      checkAgainstNaive(HAND, HAND_EVENTS, variants);
    });

    it('matches a naive count on a generated experiment with three variants', async () => {
      const exp = experiment('big-test', [['control', 2], ['fast', 1], ['slow', 1]]);
      const neighbour = experiment('big-test2', [['control', 1], ['fast', 1]]);
      const events = generateEvents(exp, neighbour, 1500, 99);
      await store.write({ events });
      await store.setMeta(EXPERIMENTS_META_KEY, JSON.stringify({ version: 1, experiments: [HAND, exp, neighbour], archived: [] }));
      const service = await createExperimentService(store);
      const report = await service.report('big-test');
      checkAgainstNaive(exp, events, report.variants);
      // Sanity on the generated data: everyone was exposed, some converted in every variant.
      for (const v of report.variants) assert.ok(v.users > 200 && v.conversions > 10, `${v.variant}: ${v.users} users, ${v.conversions} conversions`);
      // "fast" converts at 18% against the control's 10% on ~375 vs ~750 users: the z-test sees it.
      assert.ok(report.variants[1]!.versusControl!.conversionPValue < 0.01);
      checkAgainstNaive(neighbour, events, (await service.report('big-test2')).variants);
    });

    it('leaves a stopped run out of a new run of the same name', async () => {
      const service = await createExperimentService(store);
      await service.stop('spring_test');
      const again = await service.create({ name: 'spring_test', surfaces: ['feed'], variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] });
      // The hand-built impressions predate the new start: nothing is attributed to the new run.
      const report = await service.report('spring_test');
      assert.equal(report.experiment.startedAt, again.startedAt);
      assert.deepEqual(report.variants.map((v) => v.users), [0, 0]);
      assert.ok(Number.isNaN(report.variants[0]!.conversionRate.value));
      assert.match(report.note, /No exposures yet for a, b/);
    });
  });
}

/**
 * Shoppers assigned by the real hash, each shown 1–3 lists (5% before the start), clicking,
 * carting and buying at rates that differ by variant; 30% are anonymous and a tenth of those log
 * in before buying. Also: clicks with unknown recIds, and a neighbouring experiment's traffic.
 */
function generateEvents(exp: Experiment, neighbour: Experiment, shoppers: number, seed: number): Event[] {
  const rng = new Random(seed);
  const assign = assigner([exp]);
  const assignNeighbour = assigner([neighbour]);
  const conversion: Record<string, number> = { control: 0.1, fast: 0.18, slow: 0.08 };
  const surfaces: Surface[] = ['feed', 'session', 'cart'];
  const events: Event[] = [];
  let n = 0;
  const add = (who: string, type: EventType, recId: string | null, ts: number, extra: Partial<Event> = {}): void => {
    events.push(ev(`g${n++}`, who, type, recId, ts, extra));
  };
  for (let i = 0; i < shoppers; i++) {
    const who = rng.nextFloat() < 0.3 ? `s${i}` : `u${i}`;
    const variant = assign('feed', who)!.variant.name;
    const lists = 1 + rng.nextInt(3);
    for (let l = 0; l < lists; l++) {
      const recId = `${surfaces[rng.nextInt(3)]}.${exp.name}:${variant}.r${i}x${l}`;
      const shownAt = rng.nextFloat() < 0.05 ? T0 - 1000 - rng.nextInt(100_000) : T0 + rng.nextInt(1_000_000);
      add(who, 'impression', recId, shownAt);
      if (rng.nextFloat() < 0.4) add(who, 'click', recId, shownAt + 1000);
      if (rng.nextFloat() < 0.2) add(who, 'add_to_cart', recId, shownAt + 2000);
      if (rng.nextFloat() < conversion[variant]!) {
        const login = who.startsWith('s') && rng.nextFloat() < 0.1 ? { userId: `u${i}` } : {};
        const price = rng.nextFloat() < 0.1 ? null : Math.round(rng.nextFloat() * 10_000) / 100;
        add(who, 'purchase', recId, shownAt + 3000, { quantity: rng.nextFloat() < 0.2 ? null : 1 + rng.nextInt(3), price, ...login });
      }
    }
    if (rng.nextFloat() < 0.05) add(who, 'click', `feed.${exp.name}:${variant}.nowhere${i}`, T0 + 5000);
    if (rng.nextFloat() < 0.3) {
      const recId = `feed.${neighbour.name}:${assignNeighbour('feed', who)!.variant.name}.n${i}`;
      add(who, 'impression', recId, T0 + 10);
      if (rng.nextFloat() < 0.3) add(who, 'purchase', recId, T0 + 20, { quantity: 1, price: 9.99 });
    }
  }
  return events;
}
