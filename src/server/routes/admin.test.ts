// Models, rule sets and experiments through the SDK against the real engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MagpieClient, TrainingJob } from '../../client/index.js';
import type { EventInput } from '../../core/schemas.js';
import { rejection, startServer, type Harness } from '../harness.case.js';

async function finished(client: MagpieClient, job: TrainingJob): Promise<TrainingJob> {
  let state = job;
  for (let i = 0; i < 600 && (state.status === 'queued' || state.status === 'running'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    state = await client.models.job(job.id);
  }
  assert.equal(state.status, 'done', String(state.error));
  return state;
}

describe('model, rule-set and experiment administration', () => {
  let server: Harness;
  let client: MagpieClient;
  before(async () => {
    server = await startServer({ apiKey: 'root' });
    client = server.client();
    await client.upsertItems(Array.from({ length: 12 }, (_, i) => ({ id: `sku-${i}`, categories: [i % 2 ? 'Even' : 'Odd'] })));
    const events: EventInput[] = [];
    for (let u = 0; u < 20; u++) for (let k = 0; k < 4; k++) events.push({ id: `e${u}.${k}`, userId: `u${u}`, itemId: `sku-${(u + k * 3) % 12}`, type: 'view', timestamp: Date.UTC(2024, 0, 1, u, k) });
    await client.sendEvents(events);
  });
  after(() => server.close());

  it('trains, lists, activates, rolls back and deletes model versions', async () => {
    const first = await finished(client, await client.models.train({ model: 'popularity', activate: true }));
    const second = await finished(client, await client.models.train({ model: 'item-knn', activate: false }));
    assert.equal((await client.models.jobs()).length, 2);
    let listed = await client.models.list();
    assert.equal(listed.active, first.version);
    assert.deepEqual(listed.versions.map((v) => v.id).sort(), [first.version, second.version].sort());
    const activated = await client.models.activate(String(second.version));
    assert.equal(activated.active, true);
    assert.equal(activated.model, 'item-knn');
    assert.equal((await client.recommendations('u1', { n: 2 })).modelVersion, second.version);
    const back = await client.models.rollback();
    assert.equal(back.id, first.version);
    assert.equal((await client.models.list()).active, first.version);
    assert.deepEqual(await client.models.delete(String(second.version)), { deleted: true });
    listed = await client.models.list();
    assert.deepEqual(listed.versions.map((v) => v.id), [first.version]);
    assert.equal((await rejection(client.models.job('no-such-job'))).status, 404);
    assert.ok([400, 404].includes((await rejection(client.models.activate('v20990101000000-nothing'))).status));
    const bad = await rejection(client.models.train({ model: 'no-such-model' }));
    assert.equal(bad.status, 400);
  });

  it('creates, reads, lists and deletes rule sets', async () => {
    const rules = { filters: { categories: ['Odd'], inStock: true }, boosts: [{ kind: 'category' as const, category: 'Odd', factor: 1.5 }], pinned: [{ itemId: 'sku-2', position: 0 }] };
    assert.deepEqual(await client.ruleSets.put('odd', rules), { name: 'odd', rules });
    assert.deepEqual(await client.ruleSets.get('odd'), { name: 'odd', rules });
    assert.deepEqual((await client.ruleSets.list()).map((r) => r.name), ['odd']);
    assert.equal((await client.trending({ n: 3, ruleSet: 'odd' })).items[0]?.itemId, 'sku-2', 'the pinned item comes first');
    const invalid = await rejection(client.ruleSets.put('odd', { boosts: [{ kind: 'colour', factor: 2 }] } as never));
    assert.equal(invalid.status, 400);
    assert.match(String(invalid.location?.field), /^boosts\[0\]/);
    assert.equal((await rejection(client.ruleSets.put('bad name!', {}))).status, 400);
    assert.deepEqual(await client.ruleSets.delete('odd'), { deleted: true });
    assert.equal((await rejection(client.ruleSets.get('odd'))).status, 404);
    assert.equal((await rejection(client.ruleSets.delete('odd'))).status, 404);
  });

  it('creates, lists, reports and stops experiments', async () => {
    const created = await client.experiments.create({ name: 'knn-vs-pop', variants: [{ name: 'control', weight: 1 }, { name: 'treatment', weight: 1 }] });
    assert.equal(created.status, 'running');
    assert.deepEqual(created.surfaces, ['feed', 'session', 'cart']);
    assert.deepEqual((await client.experiments.list()).map((e) => e.name), ['knn-vs-pop']);
    assert.equal((await client.experiments.get('knn-vs-pop')).name, 'knn-vs-pop');
    const feed = await client.recommendations('u3', { n: 2 });
    assert.equal(feed.experiment?.name, 'knn-vs-pop');
    assert.ok(feed.recId.startsWith(`feed.knn-vs-pop:${feed.experiment?.variant}.`));
    const report = await client.experiments.report('knn-vs-pop');
    assert.deepEqual(report.variants.map((v) => v.variant), ['control', 'treatment']);
    assert.equal(report.variants[0]?.versusControl, null);
    assert.equal(typeof report.note, 'string');
    assert.equal((await rejection(client.experiments.create({ name: 'knn-vs-pop', variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] }))).status, 409);
    const stopped = await client.experiments.stop('knn-vs-pop');
    assert.equal(stopped.status, 'stopped');
    assert.ok(stopped.stoppedAt);
    assert.equal((await client.recommendations('u3', { n: 2 })).experiment, null);
    assert.equal((await rejection(client.experiments.get('nope'))).status, 404);
    const one = await rejection(client.experiments.create({ name: 'solo', variants: [{ name: 'a', weight: 1 }] }));
    assert.deepEqual(one.location, { field: 'variants' });
  });
});
