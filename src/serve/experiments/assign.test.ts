import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '../../store/index.js';
import type { Experiment, Variant } from '../types.js';
import { assigner, bucketOf, cumulativeWeights, variantIndex } from './assign.js';
import { createExperimentService } from './index.js';

function experiment(name: string, variants: [string, number][], fields: Partial<Experiment> = {}): Experiment {
  return {
    name,
    surfaces: ['feed', 'session', 'cart'],
    variants: variants.map(([n, weight]): Variant => ({ name: n, weight })),
    status: 'running',
    startedAt: '2024-05-01T00:00:00.000Z',
    stoppedAt: null,
    ...fields,
  };
}

const KEYS = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);

describe('bucketOf', () => {
  it('is the first 4 bytes of SHA-1("<experiment>:<key>") over 2³², as computed independently', () => {
    // Reference values from Python: int.from_bytes(hashlib.sha1(s.encode()).digest()[:4], 'big').
    const cases: [string, string, number][] = [
      ['spring-test', 'user-42', 802_630_842],
      ['checkout-v2', 's-9f3a', 2_544_049_202],
      ['spring-test', 'ünïcode-ключ', 455_827_438],
    ];
    for (const [name, key, word] of cases) assert.equal(bucketOf(name, key), word / 2 ** 32, `${name}:${key}`);
  });
});

describe('splitting by weights', () => {
  it('maps buckets to variants by cumulative normalised weights', () => {
    const cumulative = cumulativeWeights([{ name: 'a', weight: 1 }, { name: 'b', weight: 2 }, { name: 'c', weight: 1 }]);
    assert.deepEqual([...cumulative], [0.25, 0.75, 1]);
    assert.deepEqual([0, 0.2499, 0.25, 0.7499, 0.75, 0.999999].map((u) => variantIndex(cumulative, u)), [0, 0, 1, 1, 2, 2]);
  });

  it('splits 20,000 keys in proportion to the weights, within 4 binomial standard deviations', () => {
    for (const weights of [[1, 1], [1, 2, 1], [0.1, 0.9], [5, 3, 1, 1]]) {
      const exp = experiment('split-check', weights.map((w, i) => [`v${i}`, w]));
      const assign = assigner([exp]);
      const counts = new Map<string, number>();
      for (const key of KEYS) {
        const name = assign('feed', key)!.variant.name;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      const total = weights.reduce((a, b) => a + b, 0);
      weights.forEach((w, i) => {
        // Under a uniform hash each variant's count is Binomial(20,000, share): sd = √(N·p·(1−p)).
        const p = w / total;
        const expected = KEYS.length * p;
        const sd = Math.sqrt(KEYS.length * p * (1 - p));
        const got = counts.get(`v${i}`) ?? 0;
        assert.ok(Math.abs(got - expected) <= 4 * sd, `weights ${weights}: v${i} got ${got}, expected ${expected} ± ${4 * sd}`);
      });
    }
  });

  it('splits two experiments independently of each other', () => {
    // Both 50/50 on different surfaces: each of the four combinations should hold a quarter of the
    // keys (sd = √(20,000·¼·¾) = 61); a shared hash would put everyone on the diagonal.
    const assign = assigner([experiment('first', [['a', 1], ['b', 1]], { surfaces: ['feed'] }), experiment('second', [['a', 1], ['b', 1]], { surfaces: ['cart'] })]);
    const cells = new Map<string, number>();
    for (const key of KEYS) {
      const cell = `${assign('feed', key)!.variant.name}${assign('cart', key)!.variant.name}`;
      cells.set(cell, (cells.get(cell) ?? 0) + 1);
    }
    for (const cell of ['aa', 'ab', 'ba', 'bb']) assert.ok(Math.abs((cells.get(cell) ?? 0) - 5000) <= 4 * 61, `${cell}: ${cells.get(cell)}`);
  });
});

describe('which experiment applies', () => {
  it('only running experiments on the surface, the first created winning', () => {
    const stopped = experiment('old', [['a', 1], ['b', 1]], { status: 'stopped', stoppedAt: '2024-05-02T00:00:00.000Z' });
    const first = experiment('first', [['a', 1], ['b', 1]], { surfaces: ['feed'] });
    const second = experiment('second', [['x', 1], ['y', 1]], { surfaces: ['feed', 'similar'] });
    const assign = assigner([stopped, first, second]);
    assert.equal(assign('feed', 'k1')?.experiment, 'first');
    assert.equal(assign('similar', 'k1')?.experiment, 'second');
    assert.equal(assign('cart', 'k1'), null);
    assert.equal(assign('trending', 'k1'), null);
  });
});

describe('assignment through the service', () => {
  it('is the same for the same key across service instances on one store', async () => {
    const store = await openStore(':memory:');
    try {
      const one = await createExperimentService(store);
      await one.create({ name: 'stable', surfaces: ['feed', 'session'], variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }, { name: 'c', weight: 2 }] });
      const before = KEYS.slice(0, 2000).map((k) => one.assign('feed', k)?.variant.name);
      const two = await createExperimentService(store);
      const after = KEYS.slice(0, 2000).map((k) => two.assign('feed', k)?.variant.name);
      assert.deepEqual(after, before);
      // The variant depends on the key and experiment, not on the surface.
      assert.deepEqual(KEYS.slice(0, 2000).map((k) => two.assign('session', k)?.variant.name), before);
      assert.ok(new Set(before).size === 3);
      // Handing out a variant does not let the caller change later assignments.
      const variant = two.assign('feed', 'user-1')!.variant;
      assert.throws(() => {
        (variant as { weight: number }).weight = 100;
      }, TypeError);
    } finally {
      await store.close();
    }
  });

  it('stops assigning once stopped, and another instance sees the change after reload', async () => {
    const store = await openStore(':memory:');
    try {
      const one = await createExperimentService(store);
      const two = await createExperimentService(store);
      await one.create({ name: 'short', surfaces: ['feed'], variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] });
      assert.equal(two.assign('feed', 'k'), null, 'not loaded yet');
      await two.reload();
      assert.equal(two.assign('feed', 'k')?.experiment, 'short');
      await one.stop('short');
      assert.equal(one.assign('feed', 'k'), null);
      await two.list();
      assert.equal(two.assign('feed', 'k'), null);
    } finally {
      await store.close();
    }
  });
});
