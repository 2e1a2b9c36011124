import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { mergeRules } from './merge.js';
import { parseRules } from './schema.js';

describe('rules', () => {
  it('accept the documented shape and reject mistakes naming the field', () => {
    const rules = {
      filters: { inStock: true, categories: ['Home'], priceMin: 1, priceMax: 5, attributes: { colour: ['red', 'blue'], vegan: true } },
      boosts: [{ kind: 'new' as const, withinDays: 7, factor: 1.5 }, { kind: 'attribute' as const, attribute: 'colour', equals: 'red', factor: 0.5 }],
      pinned: [{ itemId: 'a', position: 0 }],
      diversity: { maxPerCategory: 2, mmrLambda: 0.7 },
    };
    assert.deepEqual(parseRules(rules), rules);
    const cases: [unknown, string][] = [
      [{ filters: { priceMin: 'cheap' } }, 'rules.filters.priceMin'],
      [{ boosts: [{ kind: 'loud', factor: 2 }] }, 'rules.boosts.0.kind'],
      [{ diversity: { mmrLambda: 2 } }, 'rules.diversity.mmrLambda'],
      [{ pinned: [{ itemId: 'a', position: -1 }] }, 'rules.pinned.0.position'],
      [{ filters: { priceMin: 9, priceMax: 2 } }, 'rules.filters.priceMin'],
      [{ sort: 'price' }, 'rules'],
    ];
    for (const [input, field] of cases) {
      assert.throws(() => parseRules(input), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === field, JSON.stringify(input));
    }
  });

  it('merge request rules over saved ones', () => {
    const saved = { filters: { inStock: false, brands: ['A'] }, boosts: [{ kind: 'promotion' as const, factor: 2 }], pinned: [{ itemId: 'x', position: 0 }], diversity: { maxPerCategory: 3 } };
    const merged = mergeRules(saved, { filters: { brands: ['B'] }, boosts: [{ kind: 'brand', brand: 'B', factor: 3 }], diversity: { mmrLambda: 0.5 } });
    assert.deepEqual(merged, {
      filters: { inStock: false, brands: ['B'] },
      boosts: [{ kind: 'promotion', factor: 2 }, { kind: 'brand', brand: 'B', factor: 3 }],
      pinned: [{ itemId: 'x', position: 0 }],
      diversity: { maxPerCategory: 3, mmrLambda: 0.5 },
    });
    assert.deepEqual(mergeRules(null, undefined), {});
  });
});
