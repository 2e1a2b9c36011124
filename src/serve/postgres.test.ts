import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../store/index.js';
import { dropSchema } from '../store/postgres/index.js';
import type { Store } from '../store/store.js';
import { openEngine } from './engine.js';
import { BASE, shopEvents, shopItems } from './fixtures.case.js';

// Fails rather than skips without a server, like the store's PostgreSQL tests.
const SERVER = process.env.MAGPIE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const url = `${SERVER}${SERVER.includes('?') ? '&' : '?'}schema=magpie_test_serve_${randomBytes(4).toString('hex')}`;

describe('engine over PostgreSQL', () => {
  let store: Store;
  let engine: Awaited<ReturnType<typeof openEngine>>;
  const modelsDir = mkdtempSync(join(tmpdir(), 'magpie-serve-pg-'));
  before(async () => {
    store = await openStore(url);
    await store.write({ items: shopItems(), events: shopEvents() });
    engine = await openEngine({ store, modelsDir, pollMs: 0, logger: { warn() {} } });
  });
  after(async () => {
    await engine.close();
    await store.close();
    await dropSchema(url);
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('trains in a child process that opens the store by URL, then serves feeds that follow new events', async () => {
    await engine.models.idle();
    const version = engine.models.active();
    assert.ok(version, JSON.stringify(engine.models.jobs()));
    assert.equal(await store.getMeta('serve:active-model'), version.id);
    const before = await engine.recommendations.feed({ userId: 'pg-new' }, { n: 3 });
    assert.equal(before.fallback, 'trending');
    const result = await engine.ingest([{ userId: 'pg-new', itemId: 't5', type: 'view', timestamp: BASE + 40 * 86_400_000 }]);
    assert.equal(result.stored, 1);
    assert.equal((await engine.ingest([{ userId: 'pg-new', itemId: 't5', type: 'view', timestamp: BASE + 40 * 86_400_000 }])).duplicates, 1);
    const after = await engine.recommendations.feed({ userId: 'pg-new' }, { n: 3, explain: true });
    assert.equal(after.modelVersion, version.id);
    assert.equal(after.items[0]!.itemId, 't6');
    assert.equal(after.items[0]!.explanation?.text, 'Because you viewed Toys item 5');
  });
});
