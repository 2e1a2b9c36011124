import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { noExperiments } from '../no-experiments.js';
import { shopEngine } from '../fixtures.case.js';
import { trainVersion } from '../models/train.js';
import { parseRecId } from '../rec-id.js';
import type { ExperimentService, Rules, Surface, Variant } from '../types.js';

/** Sends users whose id ends in an odd digit to variant b. */
function stubExperiments(b: Variant): ExperimentService & { calls: [Surface, string][] } {
  const calls: [Surface, string][] = [];
  return {
    ...noExperiments,
    calls,
    assign(surface, key) {
      calls.push([surface, key]);
      const odd = Number(key.at(-1)) % 2 === 1;
      return { experiment: 'spring', variant: odd ? b : { name: 'a', weight: 1 } };
    },
  };
}

describe('experiments in the list pipeline', () => {
  let shop: Awaited<ReturnType<typeof shopEngine>>;
  let other: string;
  let experiments: ReturnType<typeof stubExperiments>;
  before(async () => {
    experiments = stubExperiments({ name: 'b', weight: 1, ruleSet: 'garden-only' });
    shop = await shopEngine({ experiments, impressionFlushMs: 5 });
    other = (await trainVersion(shop.store, { spec: 'item-knn', modelsDir: shop.modelsDir })).id;
    await shop.engine.rules.put('garden-only', { filters: { categories: ['Garden'] } });
  });
  after(async () => {
    await shop.cleanup();
  });

  it('serves each variant with its rule set and names it in the recId, the response and the impression', async () => {
    const a = await shop.engine.recommendations.feed({ userId: 'ku2' }, { n: 3 });
    assert.deepEqual(a.experiment, { name: 'spring', variant: 'a' });
    assert.equal(parseRecId(a.recId)?.source, 'spring:a');
    assert.equal(a.modelVersion, shop.version.id, 'variant a runs the active version');
    assert.ok(a.items.some((i) => i.itemId.startsWith('k')));
    const b = await shop.engine.recommendations.feed({ userId: 'ku1' }, { n: 3 });
    assert.deepEqual(parseRecId(b.recId)?.experiment, { name: 'spring', variant: 'b' });
    assert.ok(b.items.every((i) => i.itemId.startsWith('g')), 'variant b applies its saved rule set');
    await sleep(50);
    const [imp] = await shop.store.eventsByUser('ku1', { types: ['impression'] });
    assert.equal(imp!.recId, b.recId);
    assert.equal(imp!.context['experiment'], 'spring');
    assert.equal(imp!.context['variant'], 'b');
    assert.deepEqual(experiments.calls.slice(0, 2), [['feed', 'ku2'], ['feed', 'ku1']]);
  });

  it('loads and keeps the model version a variant names', async () => {
    const variant = { name: 'b', weight: 1, modelVersion: other };
    Object.assign(experiments, { assign: () => ({ experiment: 'models', variant }) });
    const list = await shop.engine.recommendations.feed({ userId: 'tu1' }, { n: 3 });
    assert.equal(list.modelVersion, other);
    assert.equal(list.model, 'item-knn');
    assert.equal(shop.engine.models.active()!.id, shop.version.id, 'the active version is untouched');
    const next = await shop.engine.recommendations.feed({ userId: 'tu1' }, { n: 3, cursor: list.nextCursor! });
    assert.equal(next.recId, list.recId);
    assert.deepEqual(next.experiment, { name: 'models', variant: 'b' });
  });

  it('never assigns lists that are not personal', async () => {
    let calls = 0;
    Object.assign(experiments, { assign: () => (calls++, { experiment: 'any', variant: { name: 'a', weight: 1 } }) });
    for (const list of [
      await shop.engine.recommendations.trending({}, { n: 2 }),
      await shop.engine.recommendations.latest({}, { n: 2 }),
      await shop.engine.recommendations.similar('k1', { n: 2 }),
    ]) {
      assert.equal(list.experiment, null);
    }
    assert.equal(calls, 0);
    assert.deepEqual((await shop.engine.recommendations.cart(['k1'], { userId: 'ku4' }, { n: 2 })).experiment, { name: 'any', variant: 'a' });
    assert.equal(calls, 1);
  });
});

describe('pages of a list', () => {
  let shop: Awaited<ReturnType<typeof shopEngine>>;
  before(async () => {
    shop = await shopEngine({});
  });
  after(async () => {
    await shop.cleanup();
  });

  /** Every page of a feed, following nextCursor until it is null. */
  async function allPages(userId: string, n: number, rules?: Rules) {
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await shop.engine.recommendations.feed({ userId }, { n, ...(cursor === undefined ? {} : { cursor }), ...(rules ? { rules } : {}) });
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && pages.length < 50);
    return pages;
  }

  it('continues a feed page after page, ranked again each time, without repeats and to the end', async () => {
    const whole = await shop.engine.recommendations.feed({ userId: 'tu1' }, { n: 100 });
    const pages = await allPages('tu1', 2);
    assert.ok(pages.length >= 3, `several pages (${pages.length})`);
    assert.ok(pages.every((p) => p.recId === pages[0]!.recId), 'one recId for every page of the list');
    const ids = pages.flatMap((p) => p.items.map((i) => i.itemId));
    assert.equal(new Set(ids).size, ids.length, 'no item twice');
    assert.deepEqual(ids, whole.items.map((i) => i.itemId), 'the pages together are the whole ranking, in order');
    assert.equal(pages.at(-1)!.nextCursor, null);
  });

  it('keeps a list that diversity reorders, so later pages continue its order', async () => {
    const rules = { diversity: { maxPerCategory: 1 } };
    const plain = (await allPages('tu1', 2)).flatMap((p) => p.items.map((i) => i.itemId));
    const pages = await allPages('tu1', 2, rules);
    const ids = pages.flatMap((p) => p.items.map((i) => i.itemId));
    assert.equal(new Set(ids).size, ids.length, 'no item twice');
    assert.notDeepEqual(ids.slice(0, 4), plain.slice(0, 4), 'diversity moved items');
    // Each page of two holds two first-level categories while the list has both left.
    const first = async (id: string) => (await shop.store.getItem(id))!.categories[0];
    for (const page of pages.slice(0, 2)) {
      const [a, b] = page.items;
      assert.notEqual(await first(a!.itemId), await first(b!.itemId), `page ${page.items.map((i) => i.itemId).join(', ')}`);
    }
  });
});
