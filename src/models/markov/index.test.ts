import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { close, datasetFromTriples, fitAndScore } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { Markov, transitionCounts } from './index.js';

runRecommenderContract('markov', () => new Markov());
// The contract's last check sends a user's items sorted by index as the history and expects the
// user's own scores. A sequence model reads order, so that holds here only because the fixture's
// user 4 happens to end its sequence on its highest item; with skipWeight > 0 the item before the
// last matters too and the check fails for that reason alone (reported to the lead). The skip
// step's save/load round trip is checked below instead.
runRecommenderContract('markov', () => new Markov({ smoothing: 2 }));

describe('markov', () => {
  // Sequences (day order): u0 0 1 2 · u1 0 1 1 3 · u2 1 2 · u3 0 2.
  // One-step counts: 0→1 ×2, 0→2 ×1, 1→2 ×2, 1→3 ×1 (the repeated 1 is no move).
  const data = datasetFromTriples(4, 4, [
    [0, 0, 1, 0],
    [0, 1, 1, 1],
    [0, 2, 1, 2],
    [1, 0, 1, 0],
    [1, 1, 1, 1],
    [1, 1, 1, 2],
    [1, 3, 1, 3],
    [2, 1, 1, 0],
    [2, 2, 1, 1],
    [3, 0, 1, 0],
    [3, 2, 1, 1],
  ]);
  const scoresOf = (params: Record<string, unknown>, query: { user?: number; history?: number[] }): Promise<Float32Array> =>
    fitAndScore(new Markov(params), data, query);

  it('counts transitions of consecutive distinct items', () => {
    const { next, skip, arrivals } = transitionCounts([Int32Array.of(0, 0, 1, 2, 2, 0)], 3, true);
    assert.deepEqual(Array.from(next.indices), [1, 2, 0]);
    assert.deepEqual(Array.from(skip.indices), [2, 0]);
    assert.deepEqual(Array.from(skip.indptr), [0, 1, 2, 2]);
    assert.deepEqual(Array.from(arrivals), [1, 1, 1]);
  });

  it('gives transition probabilities from the last item', async () => {
    const fromZero = await scoresOf({}, { history: [3, 0] });
    assert.ok(close(fromZero[1]!, 2 / 3));
    assert.ok(close(fromZero[2]!, 1 / 3));
    assert.equal(fromZero[3], 0);
    // u0's sequence ends in 2, which nothing follows; u1's ends in 3 → also nothing; u2 ends in 2.
    const user3 = await scoresOf({}, { user: 3 });
    assert.deepEqual(Array.from(user3), [0, 0, 0, 0]);
    const model = new Markov();
    await model.fit(data);
    assert.deepEqual(model.similarItems(1, { n: 5 }).map((s) => s.item), [2, 3]);
    assert.ok(close(model.similarItems(1, { n: 1 })[0]!.score, 2 / 3));
  });

  it('smooths towards the next-item marginal', async () => {
    // Arrivals: 1 ×2, 2 ×3, 3 ×1 → q = (0, 2/6, 3/6, 1/6); α = 3, c_0 = 3.
    const out = await scoresOf({ smoothing: 3 }, { history: [0] });
    assert.ok(close(out[1]!, (2 + 1) / 6));
    assert.ok(close(out[2]!, (1 + 1.5) / 6));
    assert.ok(close(out[3]!, 0.5 / 6));
    assert.ok(close(out[0]! + out[1]! + out[2]! + out[3]!, 1));
  });

  it('adds the skip step from the item before the last', async () => {
    // Two-step counts: 0→2 (u0), 0→3 (u1 after collapsing) → P₂(2|0) = P₂(3|0) = 1/2.
    const out = await scoresOf({ skipWeight: 0.5 }, { history: [0, 1] });
    assert.ok(close(out[2]!, 2 / 3 + 0.25));
    assert.ok(close(out[3]!, 1 / 3 + 0.25));
  });

  it('saves and loads the skip counts', async () => {
    const model = new Markov({ smoothing: 1, skipWeight: 0.5 });
    await model.fit(data);
    const dir = await mkdtemp(join(tmpdir(), 'magpie-markov-'));
    try {
      await model.save(join(dir, 'model'));
      const loaded = new Markov();
      await loaded.load(join(dir, 'model'));
      assert.deepEqual(loaded.params, { smoothing: 1, skipWeight: 0.5 });
      for (const query of [{ history: [0, 1] }, { user: 1 }, { history: [2, 0, 3] }]) {
        assert.deepEqual(loaded.recommend(query, { n: 4 }), model.recommend(query, { n: 4 }));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('falls back to the marginal without a known item and rejects unknown items', async () => {
    const out = await scoresOf({}, { history: [99] });
    assert.ok(close(out[2]!, 3 / 6));
    const model = new Markov();
    await model.fit(data);
    assert.throws(() => model.similarItems(9, { n: 1 }), (e: unknown) => isMagpieError(e, 'not_found'));
  });
});
