import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { makeEvent } from '../../core/types.js';
import { buildDataset } from '../../dataset/build.js';
import { coPurchases, loadServingData, purchasedItems, saveServingData, servingData } from './serving-data.js';

const buy = (user: string, order: string, item: string) => makeEvent({ id: `${order}-${item}`, userId: user, itemId: item, type: 'purchase', orderId: order, timestamp: 1 });

describe('serving data', () => {
  it('ranks co-purchases by damped cosine over baskets', async () => {
    const data = await buildDataset([
      buy('u1', 'o1', 'a'), buy('u1', 'o1', 'b'),
      buy('u2', 'o2', 'a'), buy('u2', 'o2', 'b'), buy('u2', 'o2', 'c'),
      buy('u3', 'o3', 'a'), buy('u3', 'o3', 'd'),
      makeEvent({ id: 'v', userId: 'u4', itemId: 'c', type: 'view', timestamp: 2 }),
    ]);
    const lists = coPurchases(data);
    const of = (id: string) => {
      const i = data.items.index.get(id)!;
      return Array.from(lists.items.subarray(lists.indptr[i]!, lists.indptr[i + 1]!), (j) => data.items.ids[j]);
    };
    assert.deepEqual(of('a'), ['b', 'c', 'd'], 'b shares two baskets with a; c and d one each, c ties d by lower index');
    assert.deepEqual(of('b'), ['a', 'c']);
    const ia = data.items.index.get('a')!;
    assert.ok(Math.abs(lists.scores[lists.indptr[ia]!]! - (2 / Math.sqrt(3 * 2)) * (2 / 3)) < 1e-6);
    const bought = purchasedItems(data);
    const u4 = data.users.index.get('u4')!;
    assert.equal(bought.indptr[u4 + 1]! - bought.indptr[u4]!, 0, 'a view is not a purchase');
    const u2 = data.users.index.get('u2')!;
    assert.equal(bought.indptr[u2 + 1]! - bought.indptr[u2]!, 3);
  });

  it('saves, loads and rejects damaged files', async () => {
    const data = await buildDataset([buy('u1', 'o1', 'a'), buy('u1', 'o1', 'b')]);
    const dir = mkdtempSync(join(tmpdir(), 'magpie-serving-'));
    try {
      const serving = servingData(data);
      await saveServingData(join(dir, 's'), serving, 1, 2);
      assert.deepEqual(await loadServingData(join(dir, 's'), 1, 2), serving);
      await assert.rejects(loadServingData(join(dir, 's'), 1, 1), (e: unknown) => isMagpieError(e, 'corrupt'));
      await writeFile(join(dir, 's', 'togetherItems.bin'), Buffer.alloc(8, 0xff));
      await assert.rejects(loadServingData(join(dir, 's'), 1, 2), (e: unknown) => isMagpieError(e, 'corrupt'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
