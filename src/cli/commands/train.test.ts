import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { shopStore } from '../../serve/fixtures.case.js';
import { readActive } from '../../serve/models/pointer.js';
import { listVersions } from '../../serve/models/versions.js';
import { runTrain } from './train.js';

describe('magpie train', () => {
  it('trains, saves and activates a version', async () => {
    const shop = await shopStore();
    try {
      const lines: string[] = [];
      const id = await runTrain({ db: shop.url, model: 'item-knn', modelsDir: shop.modelsDir }, (l) => lines.push(l));
      assert.match(id, /^v\d{14}-item-knn$/);
      assert.match(lines.join('\n'), /Trained item-knn on 156 events \(36 users, 28 items\)/);
      assert.equal(await readActive(shop.store), id);
      const inactive = await runTrain({ db: shop.url, model: 'popularity', modelsDir: shop.modelsDir, activate: false }, () => {});
      assert.equal(await readActive(shop.store), id);
      assert.deepEqual((await listVersions(shop.modelsDir)).map((v) => v.id).sort(), [id, inactive].sort());
      await assert.rejects(runTrain({ db: shop.url, model: 'ease:lambda=oops', modelsDir: shop.modelsDir }, () => {}), (e: unknown) => isMagpieError(e, 'invalid_input'));
    } finally {
      await shop.cleanup();
    }
  });
});
