// The one contract suite every model runs (see each model folder's index.test.ts).
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import type { Dataset } from '../dataset/types.js';
import { syntheticDataset } from './fixtures.case.js';
import type { Recommender } from './recommender.js';

/** Options of {@link runRecommenderContract}. */
export interface ContractOptions {
  /** The model reads the order of a history (sasrec, gru4rec): a user's items are replayed in time order, not index order. */
  sequential?: boolean;
}

/** Runs the shared Recommender contract against fresh models made by `make`. */
export function runRecommenderContract(name: string, make: () => Recommender, options: ContractOptions = {}): void {
  describe(`Recommender contract: ${name}`, () => {
    const data: Dataset = syntheticDataset({ users: 60, items: 40, seed: 3 });
    const items = data.matrix.cols;
    let model: Recommender;
    let dir: string;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `magpie-${name}-`));
      model = make();
      await model.fit(data, { seed: 7 });
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('has its name and resolved params', () => {
      assert.equal(model.name, name);
      assert.equal(typeof model.params, 'object');
      assert.equal(typeof model.historyAware, 'boolean');
    });

    it('scoreItems fills every slot', () => {
      const out = new Float32Array(items).fill(NaN);
      model.scoreItems({ user: 0 }, out);
      for (let i = 0; i < items; i++) assert.ok(!Number.isNaN(out[i]), `slot ${i} left NaN`);
    });

    it('recommend returns n distinct items best first', () => {
      const recs = model.recommend({ user: 1 }, { n: 10 });
      assert.equal(recs.length, 10);
      assert.equal(new Set(recs.map((r) => r.item)).size, 10);
      for (let k = 1; k < recs.length; k++) assert.ok(recs[k - 1]!.score >= recs[k]!.score, 'not sorted best first');
      for (const r of recs) assert.ok(Number.isInteger(r.item) && r.item >= 0 && r.item < items);
    });

    it('recommend agrees with scoreItems', () => {
      const out = new Float32Array(items);
      model.scoreItems({ user: 2 }, out);
      const best = Math.max(...out);
      assert.equal(model.recommend({ user: 2 }, { n: 1 })[0]!.score, best);
    });

    it('honours exclude (set and predicate) and filter', () => {
      const first = model.recommend({ user: 1 }, { n: 5 }).map((r) => r.item);
      const excluded = new Set(first.slice(0, 3));
      const bySet = model.recommend({ user: 1 }, { n: 5, exclude: excluded });
      assert.ok(bySet.every((r) => !excluded.has(r.item)));
      const byFn = model.recommend({ user: 1 }, { n: 5, exclude: (i) => excluded.has(i) });
      assert.deepEqual(byFn, bySet);
      const even = model.recommend({ user: 1 }, { n: 5, filter: (i) => i % 2 === 0 });
      assert.equal(even.length, 5);
      assert.ok(even.every((r) => r.item % 2 === 0));
    });

    it('returns n = 0 as empty and caps n at the number of items', () => {
      assert.deepEqual(model.recommend({ user: 0 }, { n: 0 }), []);
      assert.ok(model.recommend({ user: 0 }, { n: items + 10 }).length <= items);
    });

    it('is deterministic for a seed', async () => {
      const again = make();
      await again.fit(data, { seed: 7 });
      for (const user of [0, 5, 11]) {
        assert.deepEqual(again.recommend({ user }, { n: 10 }), model.recommend({ user }, { n: 10 }));
      }
    });

    it('save → load into a fresh instance gives identical recommendations', async () => {
      const path = join(dir, 'model');
      await model.save(path);
      await model.save(path); // overwriting an existing model works too
      const loaded = make();
      await loaded.load(path);
      assert.deepEqual(loaded.params, model.params);
      for (const user of [0, 7, 30]) {
        assert.deepEqual(loaded.recommend({ user }, { n: 10 }), model.recommend({ user }, { n: 10 }));
      }
      if (model.historyAware) {
        assert.deepEqual(loaded.recommend({ history: [1, 2] }, { n: 5 }), model.recommend({ history: [1, 2] }, { n: 5 }));
      }
      const leftovers = (await readdir(dir)).filter((f) => f !== 'model');
      assert.deepEqual(leftovers, [], 'save left temporary directories behind');
    });

    it('load of a corrupted artefact throws MagpieError corrupt', async () => {
      const path = join(dir, 'damaged');
      await model.save(path);
      let victim = '';
      let bytes = Buffer.alloc(0);
      for (const file of (await readdir(path)).filter((f) => f.endsWith('.bin'))) {
        const content = await readFile(join(path, file));
        if (content.length > bytes.length) [victim, bytes] = [join(path, file), content];
      }
      assert.ok(bytes.length > 0);
      bytes[bytes.length >> 1]! ^= 0x5a;
      await writeFile(victim, bytes);
      await assert.rejects(make().load(path), (error: unknown) => isMagpieError(error, 'corrupt'));
      await writeFile(victim, bytes.subarray(0, bytes.length - 1));
      await assert.rejects(make().load(path), (error: unknown) => isMagpieError(error, 'corrupt'));
    });

    it('refuses to score before fit', () => {
      assert.throws(() => make().recommend({ user: 0 }, { n: 3 }), (error: unknown) => isMagpieError(error));
    });

    it('recommends for a history-only query when history-aware', () => {
      if (!model.historyAware) return;
      const history = [...data.sequences[4]!.items].slice(0, 3);
      const recs = model.recommend({ history }, { n: 5, exclude: new Set(history) });
      assert.equal(recs.length, 5);
      assert.ok(recs.every((r) => !history.includes(r.item)));
      if (model.params['binary'] === false) return;
      // A known user's items given as history (in index order, so float sums run in the same
      // order; in time order for a sequential model) score exactly as the user does.
      const row = options.sequential ? [...data.sequences[4]!.items] : [...data.sequences[4]!.items].sort((a, b) => a - b);
      assert.deepEqual(model.recommend({ history: row }, { n: 5 }), model.recommend({ user: 4 }, { n: 5 }));
    });
  });
}
