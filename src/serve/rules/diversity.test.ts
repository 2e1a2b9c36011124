import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeItem } from '../../core/types.js';
import { Catalog } from '../catalog.js';
import { Tier, type RankedList } from '../recommend/ranked.js';
import { categoryOverlap, mmr, spreadByCategory } from './diversity.js';
import { applyPins } from './pins.js';

function catalogOf(categories: string[]): { catalog: Catalog; list: RankedList } {
  const catalog = new Catalog();
  catalog.upsert(categories.map((c, k) => makeItem(`i${k}`, { categories: c ? [c, `${c}-sub`] : [] })));
  const items = categories.map((_, k) => k);
  return { catalog, list: { items, scores: items.map((k) => 10 - k), tiers: items.map(() => Tier.primary), exhausted: true } };
}

describe('diversity', () => {
  it('caps each first-level category per page, moving the rest to later pages', () => {
    const { catalog, list } = catalogOf(['A', 'A', 'A', 'B', 'A', 'C', '', 'B']);
    const out = spreadByCategory(list, 4, 2, catalog);
    assert.deepEqual(out.items, [0, 1, 3, 5, 2, 4, 6, 7]);
    assert.deepEqual(out.scores, out.items.map((k) => 10 - k));
  });

  it('fills a page with capped items only when no other category is left', () => {
    const { catalog, list } = catalogOf(['A', 'A', 'A', 'B']);
    assert.deepEqual(spreadByCategory(list, 3, 1, catalog).items, [0, 1, 3, 2]);
  });

  it('MMR keeps the best item first and pulls a different one up', () => {
    const { catalog, list } = catalogOf(['A', 'A', 'A', 'B', 'C']);
    const sim = (a: number, b: number): number => categoryOverlap(catalog, a, b);
    assert.equal(sim(0, 1), 1);
    assert.equal(sim(0, 3), 0);
    const spread = mmr(list, 0.5, sim);
    assert.equal(spread.items[0], 0);
    assert.equal(spread.items[1], 3);
    assert.deepEqual(mmr(list, 1, sim).items, list.items, 'λ = 1 is relevance only');
    assert.deepEqual([...spread.items].sort(), list.items, 'a reordering, nothing lost');
  });

  it('pins items at their positions and removes them from elsewhere', () => {
    const { catalog, list } = catalogOf(['A', 'B', 'C', 'D', 'E']);
    const out = applyPins(list, [{ itemId: 'i4', position: 1 }, { itemId: 'nope', position: 0 }, { itemId: 'i0', position: 9 }], catalog);
    assert.deepEqual(out.items, [1, 4, 2, 3, 0]);
    assert.equal(out.tiers[1], Tier.pinned);
    assert.equal(out.tiers[4], Tier.pinned);
  });
});
