import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMagpieError, MagpieError } from '../../core/errors.js';
import type { Dataset } from '../../dataset/types.js';
import { requireArray, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import { close, datasetFromTriples } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import type { UserQuery } from '../recommender.js';
import { Blend, normalizeScores, parseComponents } from './index.js';

runRecommenderContract('blend', () => new Blend());
runRecommenderContract('blend', () => new Blend({ models: 'ease[lambda=10]*0.7+item-knn*0.3', normalize: 'rank' }));

/** A stand-in model with fixed scores per name, so blended values can be worked out by hand. */
const FIXED: Record<string, number[]> = { a: [1, 2, 3, -Infinity], b: [30, 10, 20, 0] };
class Fixed extends BaseRecommender<Record<string, never>> {
  readonly historyAware: boolean;
  private scores = new Float32Array(0);
  constructor(
    private readonly key: string,
    historyAware = true,
  ) {
    super(`fixed-${key}`, {});
    this.historyAware = historyAware;
  }
  async fit(data: Dataset): Promise<void> {
    this.scores = Float32Array.from(FIXED[this.key]!);
    this.itemCount = data.matrix.cols;
    this.userCount = data.matrix.rows;
  }
  scoreItems(query: UserQuery, out: Float32Array): void {
    if (query.user === undefined && !this.historyAware) throw new MagpieError('unsupported', 'needs a user');
    out.set(this.scores);
  }
  protected exportState(): ModelState {
    return { arrays: { scores: this.scores } };
  }
  protected importState(dir: string, artifact: ModelArtifact): void {
    this.scores = requireArray(dir, artifact, 'scores', Float32Array, this.itemCount);
  }
}

describe('blend', () => {
  const data = datasetFromTriples(1, 4, [[0, 0]]);
  const blended = async (params: Record<string, unknown>, query: UserQuery = { user: 0 }, userOnly = ''): Promise<number[]> => {
    const model = new Blend({ models: 'a*0.7+b*0.3', ...params }, (name) => new Fixed(name, name !== userOnly));
    await model.fit(data);
    const out = new Float32Array(4);
    model.scoreItems(query, out);
    return Array.from(out);
  };

  it('parses the compact string form and checks the list form', () => {
    assert.deepEqual(parseComponents('ease*0.7+item-knn*0.3'), [
      { name: 'ease', params: {}, weight: 0.7 },
      { name: 'item-knn', params: {}, weight: 0.3 },
    ]);
    assert.deepEqual(parseComponents(' ease[lambda=400;binary=false] * 2 + popularity'), [
      { name: 'ease', params: { lambda: 400, binary: false }, weight: 2 },
      { name: 'popularity', params: {}, weight: 1 },
    ]);
    assert.deepEqual(new Blend({ models: 'ease*0.7+item-knn*0.3', normalize: 'zscore' }).params, {
      normalize: 'zscore',
      models: [
        { name: 'ease', params: {}, weight: 0.7 },
        { name: 'item-knn', params: {}, weight: 0.3 },
      ],
    });
    for (const bad of ['', 'ease*x', 'ease*-1', 'Ease', 'ease[lambda]', 'ease*0']) {
      assert.throws(() => new Blend({ models: bad }), (e: unknown) => isMagpieError(e, 'invalid_input'), bad);
    }
    assert.throws(() => new Blend({ models: [{ name: 'ease', wieght: 1 }] }), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => new Blend({ normalise: 'rank' }), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });

  it('blends min–max normalised scores by hand', async () => {
    // a → (0, 1/2, 1, unknown → 0); b → (1, 1/3, 2/3, 0).
    const out = await blended({});
    assert.ok(close(out[0]!, 0.3) && close(out[1]!, 0.35 + 0.1) && close(out[2]!, 0.7 + 0.2));
    assert.equal(out[3], 0, 'unknown to a but known to b');
  });

  it('blends z-scores and ranks by hand', async () => {
    // a: mean 2, std √(2/3), item 3 takes a's lowest z; b: mean 15, std √125.
    const za = (s: number): number => (s - 2) / Math.sqrt(2 / 3);
    const zb = (s: number): number => (s - 15) / Math.sqrt(125);
    const z = await blended({ normalize: 'zscore' });
    assert.ok(close(z[0]!, 0.7 * za(1) + 0.3 * zb(30)));
    assert.ok(close(z[3]!, 0.7 * za(1) + 0.3 * zb(0)));
    // a ranks 3 items: 1/3, 2/3, 1; b ranks 4: 1, 1/2, 3/4, 1/4.
    const rank = await blended({ normalize: 'rank' });
    assert.ok(close(rank[0]!, 0.7 / 3 + 0.3) && close(rank[1]!, (0.7 * 2) / 3 + 0.15) && close(rank[3]!, 0.075));
    const ties = Float64Array.of(5, 5, 1);
    normalizeScores(ties, 'rank');
    assert.deepEqual(Array.from(ties), [1, 1, 1 - 2 / 3]);
  });

  it('lets a user-only sub-model sit out a history-only query', async () => {
    const out = await blended({}, { history: [1] }, 'b');
    assert.deepEqual(out, [0, 0.5, 1, -Infinity].map((x) => Math.fround(0.7 * x)));
    await assert.rejects(blended({ models: 'b' }, { history: [1] }, 'b'), (e: unknown) => isMagpieError(e, 'unsupported'));
  });

  it('saves each sub-model in its own folder and loads them back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'magpie-blend-'));
    try {
      const model = new Blend({ models: 'a*0.7+b*0.3', normalize: 'rank' }, (name) => new Fixed(name));
      await model.fit(data);
      await model.save(join(dir, 'blend'));
      assert.deepEqual((await readdir(join(dir, 'blend'))).sort(), ['manifest.json', 'model-0', 'model-1', 'weights.bin']);
      const loaded = new Blend({}, (name) => new Fixed(name));
      await loaded.load(join(dir, 'blend'));
      assert.deepEqual(loaded.params, model.params);
      assert.equal(loaded.describe(), 'a*0.7+b*0.3');
      assert.deepEqual(loaded.recommend({ user: 0 }, { n: 4 }), model.recommend({ user: 0 }, { n: 4 }));
      const unbuildable = new Blend({}, () => {
        throw new Error('no such model');
      });
      await assert.rejects(unbuildable.load(join(dir, 'blend')), (e: unknown) => isMagpieError(e, 'corrupt') && /sub-models cannot be built: no such model/.test(e.message));
      await rm(join(dir, 'blend', 'model-1'), { recursive: true });
      await assert.rejects(new Blend({}, (name) => new Fixed(name)).load(join(dir, 'blend')), (e: unknown) => isMagpieError(e, 'corrupt') && /sub-model 1 \(b\) is missing/.test(e.message));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
