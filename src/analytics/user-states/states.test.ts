import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { periodIndex, periodLabel, type Granularity } from '../periods.js';
import { LEVEL, STATE, USER_STATES, newTally, periodOfDay, periodOfIndex, tallyActor } from './states.js';

const DAY = 86_400_000;

describe('user states', () => {
  it('numbers periods as periods.ts labels them, for days before and after 1970 and across years', () => {
    for (const by of ['day', 'week', 'month'] as Granularity[]) {
      for (let day = -400; day < 20_000; day += 37) {
        const label = periodLabel(day * DAY, by);
        assert.equal(periodOfDay(day, by) - periodOfDay(0, by), periodIndex(label, by) - periodIndex(periodLabel(0, by), by), `${by} of day ${day}`);
        assert.equal(periodOfIndex(periodOfDay(day, by), by), label);
      }
    }
    // Sunday 2021-01-03 (day 18630) closes the ISO week of Monday 2020-12-28; Monday 2021-01-04 opens the next.
    assert.equal(periodOfDay(18631, 'week') - periodOfDay(18630, 'week'), 1);
  });

  it('walks one actor: strongest activity per period, away until churnAfter, churned until a comeback', () => {
    const tally = newTally();
    // Active in periods 10 (browse), 11 (cart), 12 (purchase), 16 (browse); data ends at 18; churn after 3.
    tallyActor([10, 11, 12, 16], [LEVEL.browsing, LEVEL.carting, LEVEL.purchasing, LEVEL.browsing], 4, 18, 3, tally);
    // 10 B, 11 C, 12 P, 13 A, 14 A, 15 Ch (3 since 12), 16 B, 17 A, 18 A.
    const s = USER_STATES.length;
    const moves: [number, number][] = [];
    tally.counts.forEach((c, k) => {
      for (let r = 0; r < c; r++) moves.push([Math.floor(k / s), k % s]);
    });
    const { purchasing: P, carting: C, browsing: B, away: A, churned: X } = STATE;
    assert.deepEqual(moves.sort(), ([[B, C], [C, P], [P, A], [A, A], [A, X], [X, B], [B, A], [A, A]] as [number, number][]).sort());
    assert.deepEqual([...tally.visits], [1, 1, 2, 4, 1]);
    assert.deepEqual([...tally.entries], [0, 0, 1, 0, 0]);
    assert.equal(tally.actors, 1);
  });

  it('counts an actor active only in the last period as one visit and no transition', () => {
    const tally = newTally();
    tallyActor([18], [LEVEL.purchasing], 1, 18, 3, tally);
    assert.deepEqual([...tally.visits], [1, 0, 0, 0, 0]);
    assert.equal(tally.counts.reduce((a, b) => a + b, 0), 0);
  });
});
