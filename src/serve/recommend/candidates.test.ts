import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeItem, type Event, type Item } from '../../core/types.js';
import { Random } from '../../math/random.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/store.js';
import { openEngine } from '../engine.js';
import { trainVersion } from '../models/train.js';
import type { ListRequest, RecommendationList, Rules } from '../types.js';
import { rankCandidates, type CandidateList } from './candidates.js';
import { MarkedSet } from './marks.js';

const DAY = 86_400_000;
const BASE = Date.UTC(2024, 0, 1);

/** 360 items in six categories; 150 shoppers who mostly view and buy in one category. */
function largeShop(): { items: Item[]; events: Event[] } {
  const rng = new Random(7);
  const items: Item[] = [];
  for (let i = 0; i < 360; i++) {
    items.push(makeItem(`i${i}`, { title: `Item ${i}`, categories: [`C${i % 6}`], price: 1 + (i % 40), stock: i % 37 === 0 ? 0 : null, createdAt: BASE + i * 1000 }));
  }
  const events: Event[] = [];
  for (let u = 0; u < 150; u++) {
    const home = u % 6;
    for (let k = 0; k < 12; k++) {
      const category = rng.nextFloat() < 0.8 ? home : rng.nextInt(6);
      const item = `i${category + 6 * rng.nextInt(60)}`;
      events.push(makeEvent({ id: `e${u}-${k}`, userId: `u${u}`, itemId: item, type: k % 4 === 3 ? 'purchase' : 'view', timestamp: BASE + (u * 12 + k) * 60_000 }));
    }
  }
  return { items, events };
}

const page = (list: RecommendationList): [string, number][] => list.items.map((i) => [i.itemId, i.score]);

describe('candidate lists', () => {
  let dir: string;
  let store: Store;
  let modelsDir: string;
  let engines: { scan: Awaited<ReturnType<typeof openEngine>>; small: Awaited<ReturnType<typeof openEngine>>; normal: Awaited<ReturnType<typeof openEngine>> };
  const counts = (engine: object) => (engine as { state: { candidates: { counts: { scored: number; reused: number; scanned: number } } } }).state.candidates.counts;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'magpie-candidates-'));
    store = await openStore(`sqlite:${join(dir, 'shop.db')}`);
    const shop = largeShop();
    await store.write({ items: shop.items, events: shop.events });
    modelsDir = join(dir, 'models');
    const version = await trainVersion(store, { spec: 'ease:lambda=20', modelsDir });
    const common = { store, modelsDir, trainOnStart: false, pollMs: 0, logger: { warn() {} }, writeThreadAfter: Infinity };
    engines = {
      // Ground truth: every page ranked over the whole catalogue, history read from the store every time.
      scan: await openEngine({ ...common, candidatesPerShopper: 0, warmCandidates: false, historyTtlMs: 0 }),
      small: await openEngine({ ...common, candidatesPerShopper: 60 }),
      normal: await openEngine(common),
    };
    for (const engine of Object.values(engines)) await engine.models.activate(version.id);
    await engines.normal.candidatesWarmed();
  });
  after(async () => {
    for (const engine of Object.values(engines)) await engine.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves exactly the pages a full catalogue scan serves, whatever the rules', async () => {
    const rules: (Rules | undefined)[] = [
      undefined,
      { filters: { priceMax: 8 } },
      { filters: { categories: ['C2'] } },
      { filters: { excludePurchased: false, inStock: false } },
      { boosts: [{ kind: 'category', category: 'C1', factor: 3 }] },
    ];
    const before = { ...counts(engines.normal) };
    let compared = 0;
    for (let u = 0; u < 150; u += 3) {
      for (const r of rules) {
        const request: ListRequest = { n: 10, ...(r ? { rules: r } : {}) };
        const truth = await engines.scan.recommendations.feed({ userId: `u${u}` }, request);
        for (const engine of [engines.small, engines.normal]) {
          const first = await engine.recommendations.feed({ userId: `u${u}` }, request);
          assert.deepEqual(page(first), page(truth), `u${u} ${JSON.stringify(r)}`);
          assert.equal(first.modelVersion, truth.modelVersion);
          // The second page follows from the cursor, as the scan's does.
          const second = await engine.recommendations.feed({ userId: `u${u}` }, { ...request, cursor: first.nextCursor! });
          const truthSecond = await engines.scan.recommendations.feed({ userId: `u${u}` }, { ...request, cursor: truth.nextCursor! });
          assert.deepEqual(page(second), page(truthSecond), `page 2 of u${u} ${JSON.stringify(r)}`);
          compared++;
        }
      }
    }
    assert.equal(compared, 500);
    const used = counts(engines.normal);
    // Warmed lists were reused: nothing was scored again, and only boosts or narrow filters scanned.
    assert.equal(used.scored, before.scored);
    assert.ok(used.reused - before.reused >= 250, `reused ${used.reused - before.reused}`);
    assert.ok(used.scanned - before.scanned >= 50 && used.scanned - before.scanned <= 150, `scanned ${used.scanned - before.scanned}`);
  });

  it('scores again at once when the shopper sends an event', async () => {
    const user = { userId: 'u10' };
    const before = await engines.normal.recommendations.feed(user, { n: 10 });
    const scored = counts(engines.normal).scored;
    await engines.normal.ingest([
      { userId: 'u10', itemId: 'i5', type: 'view', timestamp: BASE + 400 * DAY },
      { userId: 'u10', itemId: 'i11', type: 'add_to_cart', timestamp: BASE + 400 * DAY + 1 },
    ]);
    const after = await engines.normal.recommendations.feed(user, { n: 10 });
    assert.equal(counts(engines.normal).scored, scored + 1);
    assert.notDeepEqual(page(after), page(before));
    assert.deepEqual(page(after), page(await engines.scan.recommendations.feed(user, { n: 10 })));
  });

  it('drops the lists of the old version on a model swap and scores every customer for the new one', async () => {
    const next = await trainVersion(store, { spec: 'ease:lambda=200', modelsDir });
    await engines.scan.models.activate(next.id);
    await engines.normal.models.activate(next.id);
    const warmed = await engines.normal.candidatesWarmed();
    assert.equal(warmed, 150);
    const scored = counts(engines.normal).scored;
    for (const u of [0, 77, 149]) {
      const list = await engines.normal.recommendations.feed({ userId: `u${u}` }, { n: 10 });
      assert.equal(list.modelVersion, next.id);
      assert.deepEqual(page(list), page(await engines.scan.recommendations.feed({ userId: `u${u}` }, { n: 10 })));
    }
    assert.equal(counts(engines.normal).scored, scored, 'served from the lists scored in the background');
  });
});

describe('rankCandidates', () => {
  const list = (scores: number[], floor: number): CandidateList => ({
    versionId: 'v1',
    user: 0,
    history: new Int32Array(0),
    entries: [],
    items: Int32Array.from(scores, (_, k) => k),
    scores: Float32Array.from(scores),
    floor,
    purchased: new Int32Array(0),
  });
  const identity = Int32Array.from({ length: 10 }, (_, k) => k);

  it('orders equal scores by trending, then index, and leaves out what the filter refuses', () => {
    const trending = Float64Array.of(0, 5, 1, 9, 0, 0, 0, 0, 0, 0);
    const ranked = rankCandidates(list([4, 3, 3, 3, 2, 1], -Infinity), identity, trending, (c) => c !== 0, 3);
    assert.deepEqual(ranked?.items, [3, 1, 2]);
    assert.deepEqual(ranked?.scores, [3, 3, 3]);
    assert.equal(ranked?.exhausted, false);
  });

  it('answers null when too few candidates above the floor pass', () => {
    // Item 3 ties with the best item left out (score 2), so it cannot be trusted to outrank it.
    assert.equal(rankCandidates(list([5, 4, 3, 2], 2), identity, new Float64Array(10), () => true, 3), null);
    assert.notEqual(rankCandidates(list([5, 4, 3, 2.5], 2), identity, new Float64Array(10), () => true, 3), null);
    assert.equal(rankCandidates(list([5, 4, 3, 2.5], 2), identity, new Float64Array(10), (c) => c !== 1, 3), null);
  });
});

describe('MarkedSet', () => {
  it('holds its members until the next set is marked', () => {
    const bought = MarkedSet.of(Int32Array.of(3, 2000));
    assert.ok(bought.has(3) && bought.has(2000) && !bought.has(4) && !bought.has(-1));
    assert.equal(bought.size, 2);
    assert.deepEqual([...bought], [3, 2000]);
    const next = MarkedSet.of(Int32Array.of(4));
    assert.ok(next.has(4) && !next.has(3));
    assert.equal(bought.has(3), false, 'a stale set answers nothing rather than the wrong members');
  });
});
