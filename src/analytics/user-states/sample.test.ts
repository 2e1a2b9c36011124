// The user-state model on the bundled Online Retail sample (Sep–Nov 2011), against the naive weekly walk.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event } from '../../core/types.js';
import type { Store } from '../../store/index.js';
import { analyzeUserStates } from './index.js';
import { naiveWeeklyStates } from './reference.case.js';
import { whatIf } from './what-if.js';
import { openSampleStore, allEvents } from '../../ingest/sample-store.case.js';

describe('user states on the Online Retail sample', () => {
  let store: Store;
  const events: Event[] = [];
  before(async () => {
    store = await openSampleStore();
    await allEvents(store, events);
  });
  after(async () => {
    await store.close();
  });

  it('has only purchasing, away and churned, with counts equal to the naive walk', async () => {
    // Three months hold 13 to 14 weeks: churn after 4 quiet weeks so churned occurs and people come back from it.
    const model = await analyzeUserStates(store, { churnAfter: 4 });
    assert.deepEqual(model.states, ['purchasing', 'away', 'churned']);
    const naive = naiveWeeklyStates(events, 4);
    model.states.forEach((from, i) =>
      model.states.forEach((to, j) => assert.equal(model.counts[i]![j], naive.counts.get(`${from}>${to}`) ?? 0, `${from} → ${to}`)),
    );
    model.states.forEach((s, i) => assert.equal(model.visits[i], naive.visits.get(s) ?? 0, s));
    assert.deepEqual([model.users, model.sessions], [naive.users, naive.sessions]);
    // Everyone enters by purchasing: Online Retail has nothing else.
    assert.deepEqual(model.entry, [1, 0, 0]);
    assert.ok(model.counts[2]![0]! > 0, 'some churned customers come back');
  });

  it('the long run is stationary, and a nudge towards purchasing raises the purchasing share', async () => {
    const model = await analyzeUserStates(store, { churnAfter: 4 });
    const pi = model.longRun.distribution;
    assert.deepEqual(model.longRun.closedClasses.length, 1);
    for (let j = 0; j < pi.length; j++) {
      const piP = pi.reduce((s, x, i) => s + x * model.matrix[i]![j]!, 0);
      assert.ok(Math.abs(piP - pi[j]!) < 1e-12, `πP = π at ${model.states[j]}`);
    }
    assert.ok(model.stepsToPurchase!.expectedSteps.every((t) => t !== null && t > 1));
    const nudge = whatIf(model, { from: 'away', to: 'purchasing', delta: 0.02 });
    assert.ok(nudge.purchasingShare.after > nudge.purchasingShare.before);
    assert.ok(Math.abs(nudge.row.after.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });
});
