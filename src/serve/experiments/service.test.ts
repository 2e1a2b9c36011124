import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { openStore } from '../../store/index.js';
import type { Store } from '../../store/store.js';
import { createExperimentService, EXPERIMENTS_META_KEY } from './index.js';

const AB = [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }];

describe('experiment service: definitions', () => {
  let store: Store;
  before(async () => {
    store = await openStore(':memory:');
  });
  after(async () => {
    await store.close();
  });

  it('creates, lists, gets and persists experiments in store meta', async () => {
    const service = await createExperimentService(store);
    const created = await service.create({ name: 'home-feed_1', variants: [{ name: 'control', weight: 1 }, { name: 'ials', weight: 3, modelVersion: 'v20240501000000-ials', ruleSet: 'summer' }] } as never);
    assert.equal(created.status, 'running');
    assert.equal(created.stoppedAt, null);
    // No surfaces given: the personal lists.
    assert.deepEqual(created.surfaces, ['feed', 'session', 'cart']);
    assert.ok(Math.abs(Date.parse(created.startedAt) - Date.now()) < 60_000);
    assert.deepEqual(await service.get('home-feed_1'), created);
    assert.equal(await service.get('missing'), null);
    const stored = JSON.parse((await store.getMeta(EXPERIMENTS_META_KEY))!);
    assert.deepEqual(stored, { version: 1, experiments: [created], archived: [] });
    // A fresh instance reads the same.
    assert.deepEqual(await (await createExperimentService(store)).list(), [created]);
  });

  it('refuses a second running experiment of the same name, with a hint', async () => {
    const service = await createExperimentService(store);
    await service.create({ name: 'dup', surfaces: ['similar'], variants: AB });
    await assert.rejects(service.create({ name: 'dup', surfaces: ['similar'], variants: AB }), (e) => isMagpieError(e, 'conflict') && e.location?.field === 'name' && /stop it first/.test(e.hint ?? ''));
  });

  it('stops (idempotently) and lets a stopped name start again, archiving the old run', async () => {
    const service = await createExperimentService(store);
    const first = await service.create({ name: 'rerun', surfaces: ['trending'], variants: AB });
    const stopped = await service.stop('rerun');
    assert.equal(stopped.status, 'stopped');
    assert.ok(stopped.stoppedAt !== null && stopped.stoppedAt >= first.startedAt);
    assert.deepEqual(await service.stop('rerun'), stopped);
    const second = await service.create({ name: 'rerun', surfaces: ['latest'], variants: AB });
    assert.deepEqual(second.surfaces, ['latest']);
    const doc = JSON.parse((await store.getMeta(EXPERIMENTS_META_KEY))!);
    assert.deepEqual(doc.archived, [stopped]);
    // The new run goes last: it was created last, so it loses ties on shared surfaces.
    assert.equal(doc.experiments.at(-1).name, 'rerun');
    await assert.rejects(service.stop('nope'), (e) => isMagpieError(e, 'not_found'));
    await assert.rejects(service.report('nope'), (e) => isMagpieError(e, 'not_found'));
  });

  it('validates names, variants, weights and surfaces, naming the field', async () => {
    const service = await createExperimentService(store);
    const bad: [input: unknown, field: string][] = [
      [{ name: 'Upper', variants: AB }, 'name'],
      [{ name: 'a.b', variants: AB }, 'name'],
      [{ name: 'x'.repeat(65), variants: AB }, 'name'],
      [{ name: 'one', variants: [{ name: 'a', weight: 1 }] }, 'variants'],
      [{ name: 'many', variants: Array.from({ length: 11 }, (_, i) => ({ name: `v${i}`, weight: 1 })) }, 'variants'],
      [{ name: 'same', variants: [{ name: 'a', weight: 1 }, { name: 'a', weight: 2 }] }, 'variants.1'],
      [{ name: 'zero', variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 0 }] }, 'variants.1.weight'],
      [{ name: 'neg', variants: [{ name: 'a', weight: -1 }, { name: 'b', weight: 1 }] }, 'variants.0.weight'],
      [{ name: 'colon', variants: [{ name: 'a:b', weight: 1 }, { name: 'b', weight: 1 }] }, 'variants.0.name'],
      [{ name: 'surf', surfaces: ['home'], variants: AB }, 'surfaces.0'],
      [{ name: 'surf2', surfaces: [], variants: AB }, 'surfaces'],
      [{ name: 'surf3', surfaces: ['feed', 'feed'], variants: AB }, 'surfaces.1'],
      [{ name: 'extra', variants: AB, status: 'stopped' }, ''],
    ];
    for (const [input, field] of bad) {
      await assert.rejects(service.create(input as never), (e) => isMagpieError(e, 'invalid_input') && (e.location?.field ?? '') === field && e.hint !== undefined, JSON.stringify(input));
    }
    assert.equal(await service.get('one'), null, 'nothing stored for a refused experiment');
  });
});

describe('experiment service: a damaged document', () => {
  it('is reported as corrupt and never overwritten', async () => {
    const store = await openStore(':memory:');
    try {
      await store.setMeta(EXPERIMENTS_META_KEY, '{"version":1,"experiments":[{"name":"x"}]');
      await assert.rejects(createExperimentService(store), (e) => isMagpieError(e, 'corrupt') && /not valid JSON/.test(e.message));
      const damaged = '{"version":1,"experiments":[{"name":"x","surfaces":["feed"],"variants":[],"status":"running","startedAt":"2024-01-01T00:00:00.000Z","stoppedAt":null}]}';
      await store.setMeta(EXPERIMENTS_META_KEY, damaged);
      await assert.rejects(createExperimentService(store), (e) => isMagpieError(e, 'corrupt') && e.message.includes('experiments.0.variants'));
      assert.equal(await store.getMeta(EXPERIMENTS_META_KEY), damaged);
    } finally {
      await store.close();
    }
  });
});
