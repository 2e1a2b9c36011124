import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { openEngine } from '../engine.js';
import { openStore } from '../../store/index.js';
import { shopEvents, shopItems, shopStore } from '../fixtures.case.js';
import { readActive } from './pointer.js';
import { trainVersion } from './train.js';

const quiet = { warn() {} };

describe('model versions', () => {
  let shop: Awaited<ReturnType<typeof shopStore>>;
  before(async () => {
    shop = await shopStore();
  });
  after(async () => {
    await shop.cleanup();
  });

  it('trains a first version in a training process on open, serving fallbacks meanwhile, then swaps it in under load', async () => {
    const engine = await openEngine({ store: shop.store, modelsDir: shop.modelsDir, pollMs: 0, logger: quiet });
    try {
      const [job] = engine.models.jobs();
      assert.ok(job, 'a job started because there are events and no version');
      const first = await engine.recommendations.feed({ userId: 'ku1' });
      assert.equal(first.fallback !== null || first.modelVersion !== null, true);
      await engine.models.idle();
      const done = engine.models.job(job.id)!;
      assert.equal(done.status, 'done', done.error ?? '');
      assert.equal(done.progress, 1);
      assert.equal(done.model, 'ease', 'auto picks EASE for a small catalogue');
      const active = engine.models.active()!;
      assert.equal(active.id, done.version);
      assert.equal(await readActive(shop.store), active.id, 'the pointer is in the store for other processes');
      assert.equal((await engine.recommendations.feed({ userId: 'ku1' })).modelVersion, active.id);

      // Requests keep flowing while a second model trains in its own process and is swapped in.
      const job2 = await engine.models.train('item-knn');
      const seen = new Set<string | null>();
      let requests = 0;
      while (engine.models.job(job2.id)!.status === 'queued' || engine.models.job(job2.id)!.status === 'running') {
        const list = await engine.recommendations.feed({ userId: `ku${requests % 12}` }, { n: 5 });
        assert.equal(list.items.length, 5);
        seen.add(list.modelVersion);
        requests++;
        await sleep(1);
      }
      for (let k = 0; k < 20; k++) seen.add((await engine.recommendations.feed({ userId: 'ku2' }, { n: 5 })).modelVersion);
      const job2done = engine.models.job(job2.id)!;
      assert.equal(job2done.status, 'done', job2done.error ?? '');
      assert.equal(engine.models.active()!.model, 'item-knn');
      assert.ok(requests > 5, `the event loop kept answering during training (${requests} requests)`);
      assert.ok(seen.has(active.id) && seen.has(job2done.version), 'both versions served, one after the other');
      assert.equal((await engine.models.list()).length, 2);
    } finally {
      await engine.close();
    }
  });

  it('activates, rolls back and deletes versions; the active one cannot be deleted', async () => {
    const engine = await openEngine({ store: shop.store, modelsDir: shop.modelsDir, pollMs: 0, logger: quiet, trainOnStart: false });
    try {
      const [newest, older] = await engine.models.list();
      assert.equal(newest!.active, true);
      await assert.rejects(engine.models.delete(newest!.id), (e: unknown) => isMagpieError(e, 'conflict'));
      const back = await engine.models.rollback();
      assert.equal(back.id, older!.id);
      assert.equal(engine.models.active()!.id, older!.id);
      assert.equal((await engine.recommendations.feed({ userId: 'tu1' })).modelVersion, older!.id);
      await assert.rejects(engine.models.rollback(), (e: unknown) => isMagpieError(e, 'conflict'), 'nothing before the first version');
      assert.equal((await engine.models.activate(newest!.id)).id, newest!.id);
      await engine.models.delete(older!.id);
      assert.deepEqual((await engine.models.list()).map((v) => v.id), [newest!.id]);
      await assert.rejects(engine.models.delete(older!.id), (e: unknown) => isMagpieError(e, 'not_found'));
      await assert.rejects(engine.models.activate('../../etc'), (e: unknown) => isMagpieError(e, 'invalid_input'));
    } finally {
      await engine.close();
    }
  });

  it('rejects a damaged version at activation and keeps serving the active one', async () => {
    const engine = await openEngine({ store: shop.store, modelsDir: shop.modelsDir, pollMs: 0, logger: quiet, trainOnStart: false });
    try {
      const active = engine.models.active()!;
      const damaged = await trainVersion(shop.store, { spec: 'ease:lambda=5', modelsDir: shop.modelsDir });
      const modelDir = join(shop.modelsDir, damaged.id, 'model');
      const file = (await readdir(modelDir)).find((f) => f.endsWith('.bin'))!;
      await truncate(join(modelDir, file), 8);
      await assert.rejects(engine.models.activate(damaged.id), (e: unknown) => isMagpieError(e, 'corrupt'));
      assert.equal(engine.models.active()!.id, active.id);
      assert.equal(await readActive(shop.store), active.id);
      assert.equal((await engine.recommendations.feed({ userId: 'ku1' })).modelVersion, active.id);
      const broken = await trainVersion(shop.store, { spec: 'popularity', modelsDir: shop.modelsDir });
      await writeFile(join(shop.modelsDir, broken.id, 'ids.json'), '{"users": [');
      await assert.rejects(engine.models.activate(broken.id), (e: unknown) => isMagpieError(e, 'corrupt'));
      await engine.models.delete(damaged.id);
      await engine.models.delete(broken.id);
    } finally {
      await engine.close();
    }
  });

  it('reports a failed training and leaves the active version alone', async () => {
    const engine = await openEngine({ store: shop.store, modelsDir: shop.modelsDir, pollMs: 0, logger: quiet, trainOnStart: false });
    try {
      const active = engine.models.active()!;
      await assert.rejects(engine.models.train('nosuchmodel'), (e: unknown) => isMagpieError(e, 'invalid_input'));
      const job = await engine.models.train('ease:maxItems=3');
      await engine.models.idle();
      const failed = engine.models.job(job.id)!;
      assert.equal(failed.status, 'failed');
      assert.match(failed.error ?? '', /maxItems/);
      assert.equal(engine.models.active()!.id, active.id);
    } finally {
      await engine.close();
    }
  });

  it('trains on the main thread when the store lives in memory (another process cannot open it)', async () => {
    const memory = await openStore(':memory:');
    const dir = mkdtempSync(join(tmpdir(), 'magpie-serve-mem-'));
    try {
      await memory.write({ items: shopItems(), events: shopEvents() });
      const engine = await openEngine({ store: memory, modelsDir: dir, pollMs: 0, logger: quiet, model: 'item-knn' });
      await engine.models.idle();
      assert.equal(engine.models.active()?.model, 'item-knn');
      assert.equal((await engine.recommendations.similar('g5', { n: 1 })).items[0]!.itemId, 'g6');
      await engine.close();
    } finally {
      await memory.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('retrains on a schedule', async () => {
    const engine = await openEngine({ store: shop.store, modelsDir: shop.modelsDir, pollMs: 0, logger: quiet, trainOnStart: false, retrainEveryMs: 50, model: 'popularity' });
    try {
      const before = engine.models.active()!.id;
      for (let waited = 0; engine.models.jobs().length === 0 && waited < 5000; waited += 20) await sleep(20);
      await engine.models.idle();
      const after = engine.models.active()!;
      assert.notEqual(after.id, before);
      assert.equal(after.model, 'popularity');
    } finally {
      await engine.close();
    }
  });
});
