// Hand-built user-state checks every SQL backend runs (sqlite.test.ts, postgres.test.ts here).
// Weeks of 2024 from Monday 1 January: W0 = Jan 1, W1 = Jan 8, …, W7 = Feb 19. churnAfter = 3.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeUser, type Event, type EventType } from '../../core/types.js';
import type { Store } from '../../store/store.js';
import { analyzeUserStates } from './index.js';
import { naiveWeeklyStates } from './reference.case.js';
import { whatIf } from './what-if.js';

const WEEK0 = Date.UTC(2024, 0, 1);

function near(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) <= tolerance, `${what}[${i}]: ${x} vs ${expected[i]}`));
}
const DAY = 86_400_000;

let n = 0;
/** An event of `who` (s… = anonymous session) in week `week`, on weekday `day` (0 = Monday). */
function ev(who: string, type: EventType, week: number, day = 0): Event {
  const anonymous = who.startsWith('s');
  return makeEvent({
    id: `us${++n}`,
    type,
    timestamp: WEEK0 + (week * 7 + day) * DAY + 10 * 3_600_000,
    userId: anonymous ? null : who,
    sessionId: anonymous ? who : null,
    itemId: type === 'search' || type === 'impression' ? null : 'i1',
  });
}

/**
 * u1: W0 view (browsing), W1 cart + view (carting), W2 purchase + view (purchasing), W3–W4 away,
 *     W5 churned (3 quiet weeks), W6 view on Sunday (browsing: back), W7 purchase.
 * u2: W0, W1 purchase; W2–W3 away; W4–W7 churned.
 * s1: W2 view + cart (carting); W3–W4 away; W5–W7 churned.
 * u3: W3 search (browsing) and an impression; W4 a return only (away); W5 away; W6–W7 churned.
 * u4: impressions and a return only: never active, not followed.
 */
export const STATE_EVENTS: Event[] = [
  ev('u1', 'view', 0),
  ev('u1', 'add_to_cart', 1, 2),
  ev('u1', 'view', 1, 3),
  ev('u1', 'view', 2),
  ev('u1', 'purchase', 2, 1),
  ev('u1', 'view', 6, 6),
  ev('u1', 'purchase', 7, 4),
  ev('u2', 'purchase', 0, 1),
  ev('u2', 'purchase', 1, 5),
  ev('s1', 'view', 2, 3),
  ev('s1', 'add_to_cart', 2, 3),
  ev('u3', 'search', 3),
  ev('u3', 'impression', 3),
  ev('u3', 'return', 4),
  ev('u4', 'impression', 1),
  ev('u4', 'return', 2),
];

/** Runs the hand-built user-state checks against a fresh, empty store made by `open`. */
export function runUserStateCases(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`user states on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
      await store.write({ users: ['u1', 'u2', 'u3', 'u4'].map((id) => makeUser(id)), events: STATE_EVENTS });
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('counts transitions between the five states, visits and entries', async () => {
      const model = await analyzeUserStates(store, { churnAfter: 3 });
      assert.deepEqual(model.states, ['purchasing', 'carting', 'browsing', 'away', 'churned']);
      assert.deepEqual([model.users, model.sessions, model.firstPeriod, model.lastPeriod], [3, 1, '2024-01-01', '2024-02-19']);
      // Rows from: purchasing (u2 P→P; u1, u2 P→A), carting (u1 →P, s1 →A), browsing (u1 →C, →P; u3 →A),
      // away (one A→A and one A→Ch per actor), churned (u1 comes back →B; u2 3, s1 2, u3 1 stay).
      assert.deepEqual(model.counts, [
        [1, 0, 0, 2, 0],
        [1, 0, 0, 1, 0],
        [1, 1, 0, 1, 0],
        [0, 0, 0, 4, 4],
        [0, 0, 1, 0, 6],
      ]);
      assert.deepEqual(model.visits, [4, 2, 3, 8, 10]);
      assert.deepEqual(model.entry, [0.25, 0.25, 0.5, 0, 0]);
      assert.deepEqual(model.matrix[4], [0, 0, 1 / 7, 0, 6 / 7]);
      const cell = model.transitions.find((t) => t.from === 'churned' && t.to === 'browsing')!;
      assert.deepEqual([cell.count, cell.probability], [1, 1 / 7]);
      assert.ok(cell.low > 0 && cell.low < 1 / 7 && cell.high > 1 / 7 && cell.high < 1);
      assert.deepEqual(model.unobservedRows, []);
    });

    it('agrees with the naive weekly walk over the events', async () => {
      const model = await analyzeUserStates(store, { churnAfter: 3 });
      const naive = naiveWeeklyStates(STATE_EVENTS, 3);
      model.states.forEach((from, i) =>
        model.states.forEach((to, j) => assert.equal(model.counts[i]![j], naive.counts.get(`${from}>${to}`) ?? 0, `${from} → ${to}`)),
      );
      model.states.forEach((s, i) => assert.equal(model.visits[i], naive.visits.get(s) ?? 0, s));
      assert.deepEqual([model.users, model.sessions], [naive.users, naive.sessions]);
    });

    it('long run, steps to purchase and a what-if, worked by hand', async () => {
      const model = await analyzeUserStates(store, { churnAfter: 3 });
      // πP = π: π_Ch = ½π_A + 6/7 π_Ch → π_Ch = 7/2 π_A; π_B = π_Ch / 7 = π_A / 2; π_C = π_B / 3 = π_A / 6;
      // ⅔π_P = ½π_C + ⅓π_B = π_A / 4 → π_P = 3/8 π_A. With π_A = 24: (9, 4, 12, 24, 84) / 133.
      const expected = [9, 4, 12, 24, 84].map((x) => x / 133);
      model.longRun.distribution.forEach((x, i) => assert.ok(Math.abs(x - expected[i]!) < 1e-12, `π[${i}] ${x}`));
      assert.deepEqual(model.longRun.closedClasses, [['purchasing', 'carting', 'browsing', 'away', 'churned']]);
      assert.deepEqual(model.longRun.absorbing, []);
      // Purchasing absorbing: t_Ch = 7 + t_B, t_A = 2 + t_Ch, t_C = 1 + t_A / 2, t_B = 1 + (t_C + t_A) / 3
      // → t_B = 35/3, t_C = 34/3, t_A = 62/3, t_Ch = 56/3; from purchasing 1 + ⅔ t_A = 133/9.
      const steps = [133 / 9, 34 / 3, 35 / 3, 62 / 3, 56 / 3];
      model.stepsToPurchase!.expectedSteps.forEach((t, i) => assert.ok(t !== null && Math.abs(t - steps[i]!) < 1e-9, `steps[${i}] ${t}`));
      // Moving 0.5 of away's row onto away → purchasing: the row becomes (0.5, 0, 0, 0.25, 0.25).
      const lift = whatIf(model, { from: 'away', to: 'purchasing', delta: 0.5 });
      assert.deepEqual(lift.row.after, [0.5, 0, 0, 0.25, 0.25]);
      // Then t_A = 1 + ¼ t_A + ¼ t_Ch with t_Ch = 7 + t_B as before: t_A = (11 + t_B) / 3; and
      // t_B = 1 + (t_C + t_A) / 3 with t_C = 1 + t_A / 2: t_B = 4/3 + t_A / 2 → t_B = 19/5.
      assert.ok(Math.abs(lift.stepsToPurchase!.after[2]! - 19 / 5) < 1e-9, `after ${lift.stepsToPurchase!.after[2]}`);
      assert.ok(lift.purchasingShare.change > 0 && lift.conversion!.change > 0);
    });

    it('makes churned absorbing when nobody comes back, with the mix of the still-active', async () => {
      // Before W4 and churned after one quiet week: u1 B C P Ch; u2 P P Ch Ch; s1 C Ch; u3 B (the data ends in W3).
      const model = await analyzeUserStates(store, { churnAfter: 1, to: '2024-01-29' });
      assert.deepEqual(model.states, ['purchasing', 'carting', 'browsing', 'churned']);
      assert.deepEqual(model.counts, [
        [1, 0, 0, 2],
        [1, 0, 0, 1],
        [0, 1, 0, 0],
        [0, 0, 0, 1],
      ]);
      assert.deepEqual(model.longRun.absorbing, ['churned']);
      near(model.longRun.distribution, [0, 0, 0, 1], 1e-12, 'long run');
      // Q on P, C, B is triangular (P→P ⅓, C→P ½, B→C 1): the quasi-stationary mix sits on purchasing.
      near(model.longRun.quasiStationary!, [1, 0, 0, 0], 1e-9, 'quasi-stationary');
      // From purchasing: again at once with ⅓; from browsing: B → C → P with ½, else churned for good; never from churned.
      near(model.stepsToPurchase!.probability, [1 / 3, 0.5, 0.5, 0], 1e-12, 'reach');
      assert.deepEqual(model.stepsToPurchase?.expectedSteps, [null, null, null, null]);
    });

    it('follows known users only when asked, and rejects a bad churn threshold', async () => {
      const model = await analyzeUserStates(store, { churnAfter: 3, includeAnonymous: false });
      assert.equal(model.sessions, 0);
      assert.equal(model.visits.reduce((a, b) => a + b, 0), 27 - 6);
      await assert.rejects(analyzeUserStates(store, { churnAfter: 0 }), /churnAfter must be a whole number/);
      assert.throws(() => whatIf(model, { from: 'away', to: 'nowhere' as 'away', delta: 0.1 }), /no "nowhere" state/);
    });
  });
}
