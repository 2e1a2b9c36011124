// Hand-built recommendation-impact checks every SQL backend runs (rec-impact.sqlite.test.ts,
// rec-impact.postgres.test.ts). The expected figures are worked out by hand in the comments.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeItem, makeUser, type Attributes, type Event, type EventType } from '../core/types.js';
import { parseRecId } from '../serve/rec-id.js';
import type { Store } from '../store/store.js';
import { recIdPartsSql, recommendationImpact, type RecImpactRow } from './rec-impact.js';
import { sqlRunner } from './sql.js';

const at = (iso: string): number => Date.parse(`${iso}:00Z`);
const EASE = 'v20261101120000-ease';
const SAR = 'v20261101130000-sar';

let n = 0;
function ev(who: string, type: EventType, time: string, recId: string | null, extra: Partial<Event> = {}): Event {
  const anonymous = who.startsWith('s');
  return makeEvent({
    id: `r${++n}`,
    type,
    timestamp: at(time),
    userId: anonymous ? null : who,
    sessionId: anonymous ? who : null,
    itemId: type === 'impression' ? null : 'i1',
    recId,
    ...extra,
  });
}
const shown = (who: string, time: string, recId: string, context: Attributes = {}): Event => ev(who, 'impression', time, recId, { context: { ...context, items: ['i1', 'i2'] } });

/**
 * Nine responses of January–February 2024 (users a, b, c; anonymous session s1):
 * - A = feed / ease: R1 (a, clicked, carted, bought 2×10 + 1×5), R2 (b, nothing), R7 (a click whose
 *   impression was never logged), R8 (a, two impression events, bought 2×5 on 1 March). R1 and R2
 *   carry their source in the context; R7 and R8 only in the recId, which says the same.
 * - B = feed / experiment spring:b on SAR: R3 (a, clicked). C = the same experiment without context: R4 (s1).
 * - D = similar / rules: R5 (b, clicked, bought 1×10 without quantity). E = a shop's own id: R6 (c, clicked).
 * - F = a shop's own id whose impression names the experiment as an object: R9 (c).
 */
export const REC_EVENTS: Event[] = [
  shown('a', '2024-01-01T10:00', `feed.${EASE}.R1`, { surface: 'feed', model: 'ease', modelVersion: EASE, experiment: null, variant: null }),
  ev('a', 'click', '2024-01-01T10:01', `feed.${EASE}.R1`),
  ev('a', 'add_to_cart', '2024-01-01T10:02', `feed.${EASE}.R1`),
  ev('a', 'purchase', '2024-01-01T10:05', `feed.${EASE}.R1`, { quantity: 2, price: 10, orderId: 'o1' }),
  ev('a', 'purchase', '2024-01-01T10:05', `feed.${EASE}.R1`, { itemId: 'i2', quantity: 1, price: 5, orderId: 'o1' }),
  shown('b', '2024-01-02T09:00', `feed.${EASE}.R2`, { surface: 'feed', model: 'ease', modelVersion: EASE }),
  shown('a', '2024-01-03T09:00', 'feed.spring:b.R3', { surface: 'feed', model: 'sar', modelVersion: SAR, experiment: 'spring', variant: 'b' }),
  ev('a', 'click', '2024-01-03T09:01', 'feed.spring:b.R3', { itemId: 'i2' }),
  shown('s1', '2024-02-05T12:00', 'feed.spring:b.R4'),
  shown('b', '2024-02-06T12:00', 'similar.rules.R5', { surface: 'similar' }),
  ev('b', 'click', '2024-02-06T12:01', 'similar.rules.R5'),
  ev('b', 'purchase', '2024-02-06T12:30', 'similar.rules.R5', { price: 10, orderId: 'o2' }),
  shown('c', '2024-02-07T12:00', 'shop-widget-42'),
  ev('c', 'click', '2024-02-07T12:02', 'shop-widget-42'),
  ev('a', 'click', '2024-02-08T08:00', `feed.${EASE}.R7`),
  shown('a', '2024-02-10T08:00', `feed.${EASE}.R8`),
  shown('a', '2024-02-10T08:00', `feed.${EASE}.R8`),
  ev('a', 'purchase', '2024-03-01T08:00', `feed.${EASE}.R8`, { itemId: 'i2', quantity: 2, price: 5, orderId: 'o3' }),
  shown('c', '2024-02-12T08:00', 'partner-9', { surface: 'cart', experiment: { name: 'exp2', variant: 'a' } }),
  // Not attributed: no recId.
  ev('a', 'purchase', '2024-01-20T08:00', null, { quantity: 5, price: 10, orderId: 'o4' }),
];

type Key = Pick<RecImpactRow, 'surface' | 'source' | 'model' | 'modelVersion' | 'experiment' | 'variant'>;
const A: Key = { surface: 'feed', source: EASE, model: 'ease', modelVersion: EASE, experiment: null, variant: null };
const B: Key = { surface: 'feed', source: 'spring:b', model: 'sar', modelVersion: SAR, experiment: 'spring', variant: 'b' };
const C: Key = { surface: 'feed', source: 'spring:b', model: null, modelVersion: null, experiment: 'spring', variant: 'b' };
const D: Key = { surface: 'similar', source: 'rules', model: null, modelVersion: null, experiment: null, variant: null };
const E: Key = { surface: null, source: null, model: null, modelVersion: null, experiment: null, variant: null };
const F: Key = { surface: 'cart', source: null, model: null, modelVersion: null, experiment: 'exp2', variant: 'a' };

/** A row from its key and [exposures, users, clicks, carts, purchases, clicked, carted, bought, revenue]. */
function row(period: string, key: Key, [exposures, users, clicks, carts, purchases, clicked, carted, bought, revenue]: number[]): RecImpactRow {
  const rate = (x: number): number | null => (exposures === 0 ? null : x! / exposures!);
  return {
    period,
    ...key,
    exposures: exposures!,
    usersExposed: users!,
    clicks: clicks!,
    addToCarts: carts!,
    purchases: purchases!,
    clickThroughRate: rate(clicked!),
    addToCartRate: rate(carted!),
    conversionRate: rate(bought!),
    revenue: revenue!,
    revenuePerExposure: exposures === 0 ? null : Math.round((revenue! / exposures!) * 100) / 100,
  };
}

/** Runs the hand-built recommendation-impact checks against a fresh, empty store made by `open`. */
export function runRecImpactCases(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`recommendation impact on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
      await store.write({
        users: [makeUser('a', { attributes: { country: 'UK' } }), makeUser('b', { attributes: { country: 'FR' } }), makeUser('c', { attributes: { country: 'UK' } })],
        items: [makeItem('i1', { price: 10 }), makeItem('i2', { price: 5 })],
        events: REC_EVENTS,
      });
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('reads surface and source from recIds in SQL exactly as parseRecId does', async () => {
      const sql = sqlRunner(store);
      const parts = recIdPartsSql(sql.dialect, 'rec_id');
      const ids = ['feed.v1-ease.k3Jd9', 'feed.spring-test:b.x', 'bought-together.rules.abc', 'feed.a.b.c', 'feed.x.', 'feed..x', '.x.y', 'feed.x', 'nosuch.x.y', 'plain', 'cart.exp:.r', 'feed.a:b:c.r'];
      for (const id of ids) {
        const [got] = await sql.all(`SELECT ${parts.surface} AS surface, ${parts.source} AS source FROM (SELECT CAST(? AS TEXT) AS rec_id) AS t`, [id]);
        const want = parseRecId(id);
        assert.deepEqual([got?.surface ?? null, got?.source ?? null], [want?.surface ?? null, want?.source ?? null], id);
      }
    });

    it('per source over the whole range and per month', async () => {
      const rows = await recommendationImpact(store, { by: 'month' });
      assert.deepEqual(rows, [
        // A: shown R1, R2, R8 (R8 twice, one exposure) to a, b, a; clicks R1 + R7; R1 clicked, carted and bought,
        // R8 bought: revenue 20 + 5 + 10 = 35, 35 ÷ 3 = 11.67 per exposure.
        row('all', A, [3, 2, 2, 1, 3, 1, 1, 2, 35]),
        // Ones by key text: "" (E, the foreign id) sorts first, then cart, then feed…spring (B has the
        // SAR version, C none: "spring:b\u0001sar" > "spring:b\u0001\u0001"), then similar.
        row('all', E, [1, 1, 1, 0, 0, 1, 0, 0, 0]),
        row('all', F, [1, 1, 0, 0, 0, 0, 0, 0, 0]),
        row('all', C, [1, 1, 0, 0, 0, 0, 0, 0, 0]),
        row('all', B, [1, 1, 1, 0, 0, 1, 0, 0, 0]),
        row('all', D, [1, 1, 1, 0, 1, 1, 0, 1, 10]),
        // January: R1 and R2 (A), R3 (B).
        row('2024-01', A, [2, 2, 1, 1, 2, 1, 1, 1, 25]),
        row('2024-01', B, [1, 1, 1, 0, 0, 1, 0, 0, 0]),
        // February: R7 (no impression: a click, no exposure) and R8 (bought on 1 March, counted with its exposure).
        // One exposure each, so by key text; A ("feed…v2026") sorts after C ("feed…spring").
        row('2024-02', E, [1, 1, 1, 0, 0, 1, 0, 0, 0]),
        row('2024-02', F, [1, 1, 0, 0, 0, 0, 0, 0, 0]),
        row('2024-02', C, [1, 1, 0, 0, 0, 0, 0, 0, 0]),
        row('2024-02', A, [1, 1, 1, 0, 1, 0, 0, 1, 10]),
        row('2024-02', D, [1, 1, 1, 0, 1, 1, 0, 1, 10]),
      ]);
    });

    it('keeps responses by when they were shown, and honours a segment', async () => {
      // From February: R1–R3 drop out; R8's purchase on 1 March still counts, though after --to.
      const feb = await recommendationImpact(store, { from: '2024-02', to: '2024-03' });
      assert.deepEqual(feb.find((r) => r.period === 'all' && r.model === 'ease'), row('all', A, [1, 1, 1, 0, 1, 0, 0, 1, 10]));
      assert.equal(feb.filter((r) => r.period === 'all').reduce((s, r) => s + r.exposures, 0), 5);
      // country = UK: a and c. A keeps R1, R8 (a) and R7 (a's click); b's R2 and R5 and s1's R4 leave.
      const uk = await recommendationImpact(store, { segment: { attribute: 'country', value: 'UK' } });
      const all = uk.filter((r) => r.period === 'all');
      assert.deepEqual(all[0], row('all', A, [2, 1, 2, 1, 3, 1, 1, 2, 35]));
      assert.deepEqual(all.map((r) => r.surface), ['feed', null, 'cart', 'feed']);
    });

    it('returns no rows when nothing carries a recId', async () => {
      assert.deepEqual(await recommendationImpact(store, { from: '2025-01' }), []);
    });
  });
}
