// Drives the Gorse routes with the real gorsejs client, every method it has.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Gorse, GorseException, type Item as GorseItemBody } from 'gorsejs';
import { ADMIN_KEY, startGorse, type GorseHarness } from './harness.case.js';

const ITEMS = [
  { ItemId: 'vuejs:vue', IsHidden: false, Categories: ['frontend'], Timestamp: '2014-02-01T00:00:00Z', Labels: ['javascript', 'mvvm'], Comment: 'Vue.js' },
  { ItemId: 'd3:d3', IsHidden: false, Categories: ['visualization'], Timestamp: '2011-02-18T00:00:00Z', Labels: ['svg'], Comment: 'D3' },
  { ItemId: 'dogfalo:materialize', IsHidden: false, Categories: ['frontend', 'css'], Timestamp: '2014-09-12T00:00:00Z', Labels: ['material'], Comment: '' },
  { ItemId: 'mozilla:pdf.js', IsHidden: false, Categories: ['pdf'], Timestamp: '2011-04-26T00:00:00Z', Labels: [], Comment: 'PDF reader' },
  { ItemId: 'moment:moment', IsHidden: false, Categories: ['datetime'], Timestamp: '2011-03-01T00:00:00Z', Labels: ['dates'], Comment: '' },
  { ItemId: 'facebook:react', IsHidden: false, Categories: ['frontend'], Timestamp: '2013-05-24T00:00:00Z', Labels: ['javascript'], Comment: 'React' },
  { ItemId: 'twbs:bootstrap', IsHidden: false, Categories: ['frontend', 'css'], Timestamp: '2011-07-29T00:00:00Z', Labels: ['css'], Comment: 'Bootstrap' },
];

// Bob's three stars share one timestamp, so paging must split ties at the same time correctly.
const FEEDBACK = [
  { FeedbackType: 'star', UserId: 'bob', ItemId: 'vuejs:vue', Timestamp: '2022-02-24' },
  { FeedbackType: 'star', UserId: 'bob', ItemId: 'd3:d3', Timestamp: '2022-02-24' },
  { FeedbackType: 'star', UserId: 'bob', ItemId: 'dogfalo:materialize', Timestamp: '2022-02-24' },
  { FeedbackType: 'star', UserId: 'alice', ItemId: 'vuejs:vue', Timestamp: '2022-02-25T10:00:00Z' },
  { FeedbackType: 'star', UserId: 'alice', ItemId: 'facebook:react', Timestamp: '2022-02-25T11:00:00Z' },
  { FeedbackType: 'star', UserId: 'alice', ItemId: 'twbs:bootstrap', Timestamp: '2022-02-25T12:00:00Z' },
  { FeedbackType: 'read', UserId: 'alice', ItemId: 'd3:d3', Timestamp: '2022-02-25T13:00:00Z' },
  { FeedbackType: 'star', UserId: 'carol', ItemId: 'facebook:react', Timestamp: '2022-02-26T10:00:00Z' },
  { FeedbackType: 'star', UserId: 'carol', ItemId: 'twbs:bootstrap', Timestamp: '2022-02-26T11:00:00Z' },
  { FeedbackType: 'like', UserId: 'carol', ItemId: 'moment:moment', Timestamp: '2022-02-26T12:00:00Z' },
  { FeedbackType: 'star', UserId: 'dave', ItemId: 'mozilla:pdf.js', Timestamp: '2022-02-27T10:00:00Z' },
];

async function rejectsWith(promise: Promise<unknown>, code: number, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof GorseException && error.code === code && message.test(String(error.message)));
}

describe('Gorse API through gorsejs', () => {
  let harness: GorseHarness;
  let client: Gorse<string>;

  before(async () => {
    harness = await startGorse();
    client = new Gorse<string>({ endpoint: harness.url, secret: ADMIN_KEY });
  });
  after(async () => harness.close());

  it('inserts, reads, patches and pages users', async () => {
    assert.equal(await client.insertUser({ UserId: 'bob', Labels: ['developer'], Comment: 'Bob' }), 1);
    assert.equal(await client.insertUsers([{ UserId: 'alice' }, { UserId: 'carol', Labels: ['designer'] }, { UserId: 'dave' }]), 3);
    assert.deepEqual(await client.getUser('bob'), { UserId: 'bob', Labels: ['developer'], Subscribe: null, Comment: 'Bob' });
    assert.equal(await client.updateUser('bob', { UserId: 'bob', Comment: 'Robert' }), 1);
    assert.deepEqual(await client.getUser('bob'), { UserId: 'bob', Labels: ['developer'], Subscribe: null, Comment: 'Robert' });
    assert.deepEqual((await harness.engine.store.getUser('carol'))?.attributes, { labels: ['designer'] });

    const first = await client.getUsers({ n: 3 });
    assert.deepEqual(first.Users.map((u) => u.UserId), ['alice', 'bob', 'carol']);
    assert.notEqual(first.Cursor, '');
    const second = await client.getUsers({ n: 3, Cursor: first.Cursor });
    assert.deepEqual(second.Users.map((u) => u.UserId), ['dave']);
    assert.equal(second.Cursor, '');
    await rejectsWith(client.getUser('nobody'), 404, /user not found/);
  });

  it('inserts, reads, patches, categorises and pages items', async () => {
    const [one, ...rest] = ITEMS;
    assert.equal(await client.upsertItem(one as GorseItemBody), 1);
    assert.equal(await client.upsertItems(rest), rest.length);
    assert.deepEqual(await client.getItem('vuejs:vue'), one);
    const stored = await harness.engine.store.getItem('vuejs:vue');
    assert.deepEqual(stored?.categories, ['frontend']);
    assert.equal(stored?.createdAt, Date.UTC(2014, 1, 1));
    assert.deepEqual(stored?.attributes, { labels: ['javascript', 'mvvm'], comment: 'Vue.js' });

    assert.equal(await client.updateItem('d3:d3', { Comment: 'Data-Driven Documents' } as unknown as GorseItemBody), 1);
    const d3 = await client.getItem('d3:d3');
    assert.equal(d3.Comment, 'Data-Driven Documents');
    assert.deepEqual(d3.Labels, ['svg']);
    assert.equal(d3.Timestamp, '2011-02-18T00:00:00Z');

    assert.equal(await client.insertItemCategory('d3:d3', 'charts'), 1);
    assert.deepEqual((await client.getItem('d3:d3')).Categories, ['visualization', 'charts']);
    assert.equal(await client.deleteItemCategory('d3:d3', 'visualization'), 1);
    assert.deepEqual((await client.getItem('d3:d3')).Categories, ['charts']);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await client.getItems({ n: 3, ...(cursor ? { Cursor: cursor } : {}) });
      seen.push(...result.Items.map((i) => i.ItemId));
      if (result.Cursor === '') break;
      cursor = result.Cursor;
    }
    assert.deepEqual(seen, ITEMS.map((i) => i.ItemId).sort());
  });

  it('inserts feedback and reads it back by type, user, item and key, in pages', async () => {
    assert.equal(await client.insertFeedbacks(FEEDBACK), FEEDBACK.length);
    // A second insert of an existing key is ignored, as in Gorse.
    assert.equal(await client.insertFeedbacks([{ FeedbackType: 'star', UserId: 'bob', ItemId: 'vuejs:vue', Timestamp: '2023-01-01' }]), 1);
    const bobVue = await client.getFeedback({ type: 'star', userId: 'bob', itemId: 'vuejs:vue' });
    assert.deepEqual(bobVue, { FeedbackType: 'star', UserId: 'bob', ItemId: 'vuejs:vue', Timestamp: '2022-02-24T00:00:00Z', Comment: '' });

    const all: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await client.getFeedbacks(undefined, { n: 2, ...(cursor ? { Cursor: cursor } : {}) });
      assert.deepEqual(result.Feedbacks, (result as unknown as { Feedback: unknown }).Feedback);
      all.push(...result.Feedbacks.map((f) => `${f.FeedbackType}/${f.UserId}/${f.ItemId}`));
      if (result.Cursor === '') break;
      cursor = result.Cursor;
    }
    assert.deepEqual(all, FEEDBACK.map((f) => `${f.FeedbackType}/${f.UserId}/${f.ItemId}`));

    const stars = await client.getFeedbacks('star', { n: 100 });
    assert.equal(stars.Feedbacks.length, FEEDBACK.filter((f) => f.FeedbackType === 'star').length);
    assert.equal(stars.Cursor, '');
    assert.deepEqual((await client.getFeedbacks('like')).Feedbacks.map((f) => f.ItemId), ['moment:moment']);

    assert.deepEqual((await client.getUserFeedback('alice')).map((f) => f.ItemId), ['vuejs:vue', 'facebook:react', 'twbs:bootstrap', 'd3:d3']);
    assert.deepEqual((await client.getUserFeedbackByType('alice', 'read')).map((f) => f.ItemId), ['d3:d3']);
    assert.deepEqual((await client.getItemFeedback('vuejs:vue')).map((f) => f.UserId), ['bob', 'alice']);
    assert.deepEqual((await client.getItemFeedbackByType('facebook:react', 'star')).map((f) => f.UserId), ['alice', 'carol']);

    // Gorse types map onto Magpie events; the original type is kept.
    const [like] = await harness.engine.store.eventsByUser('carol', { types: ['favorite'], order: 'desc', limit: 1 });
    assert.equal(like?.context['gorseType'], 'like');
  });

  it('answers popular and latest lists, and no neighbors before a model is trained', async () => {
    // Only items the model scored are neighbors, as in Gorse: none yet.
    assert.deepEqual(await client.getItemNeighbors({ itemId: 'vuejs:vue' }), []);
    assert.deepEqual(await client.getSessionRecommend([{ FeedbackType: 'like', UserId: 'visitor', ItemId: 'moment:moment', Timestamp: '2024-05-01T10:00:00Z' }]), []);

    const popular = await client.getPopular({ cursorOptions: { n: 10 } });
    assert.equal(popular.length, ITEMS.length);
    // The three items starred twice lead; scores never increase down the list.
    assert.deepEqual(new Set(popular.slice(0, 3).map((p) => p.Id)), new Set(['facebook:react', 'twbs:bootstrap', 'vuejs:vue']));
    assert.ok(popular.every((p, k) => k === 0 || p.Score <= (popular[k - 1]?.Score ?? 0)));
    assert.deepEqual((await client.getPopular({ category: 'css' })).map((p) => p.Id), ['twbs:bootstrap', 'dogfalo:materialize']);
    assert.deepEqual((await client.getPopular({ cursorOptions: { n: 2, offset: 1 } })).map((p) => p.Id), popular.slice(1, 3).map((p) => p.Id));

    // Gorse scores latest items by their Unix time.
    assert.deepEqual(await client.getLatest({ cursorOptions: { n: 3 } }), [
      { Id: 'dogfalo:materialize', Score: Date.UTC(2014, 8, 12) / 1000 },
      { Id: 'vuejs:vue', Score: Date.UTC(2014, 1, 1) / 1000 },
      { Id: 'facebook:react', Score: Date.UTC(2013, 4, 24) / 1000 },
    ]);
    assert.deepEqual((await client.getLatest({ category: 'css', cursorOptions: { n: 1, offset: 1 } })).map((l) => l.Id), ['twbs:bootstrap']);
  });

  it('answers neighbors and session recommendations from a trained model', async () => {
    await harness.train('item-knn');
    // Vue's users (Bob, Alice) share D3 both, Materialize one of two; React and Bootstrap one of two each.
    const neighbors = await client.getItemNeighbors({ itemId: 'vuejs:vue' });
    assert.deepEqual(neighbors.slice(0, 2).map((n) => (n as unknown as { Id: string }).Id), ['d3:d3', 'dogfalo:materialize']);
    assert.deepEqual(new Set(neighbors.slice(2).map((n) => (n as unknown as { Id: string }).Id)), new Set(['facebook:react', 'twbs:bootstrap']));
    assert.ok((neighbors as unknown as { Score: number }[]).every((n) => n.Score > 0));
    assert.deepEqual((await client.getItemNeighbors({ itemId: 'vuejs:vue', category: 'css', cursorOptions: { n: 1 } })).map((n) => (n as unknown as { Id: string }).Id), ['dogfalo:materialize']);
    assert.deepEqual(await client.getItemNeighbors({ itemId: 'no-such-item' }), []);

    // Moment's only fan, Carol, starred React and Bootstrap.
    const visit = [{ FeedbackType: 'like', UserId: 'visitor', ItemId: 'moment:moment', Timestamp: '2024-05-01T10:00:00Z' }];
    const session = (await client.getSessionRecommend(visit)) as { Id: string; Score: number }[];
    assert.deepEqual(new Set(session.map((s) => s.Id)), new Set(['facebook:react', 'twbs:bootstrap']));
    assert.ok(session.every((s) => s.Score > 0));
    assert.deepEqual(((await client.getSessionRecommend(visit, { category: 'css' })) as { Id: string }[]).map((s) => s.Id), ['twbs:bootstrap']);
    // Session feedback is only read, never stored.
    assert.equal(await harness.engine.store.getUser('visitor'), null);
  });

  it('overwrites feedback with PUT and refuses to delete it', async () => {
    assert.equal(await client.upsertFeedbacks([{ FeedbackType: 'star', UserId: 'bob', ItemId: 'vuejs:vue', Timestamp: '2022-03-01T08:00:00Z' }]), 1);
    const updated = await client.getFeedback({ type: 'star', userId: 'bob', itemId: 'vuejs:vue' });
    assert.equal(updated.Timestamp, '2022-03-01T08:00:00Z');
    assert.equal((await client.getUserFeedback('bob')).length, 3);
    await rejectsWith(client.deleteFeedback({ type: 'star', userId: 'bob', itemId: 'vuejs:vue' }), 501, /append-only/);
  });

  it('recommends for a user, within a category, and writes back read feedback', async () => {
    // Never what Bob already starred; first what Alice, who shares two of his stars, also starred.
    const bob = await client.getRecommend({ userId: 'bob', cursorOptions: { n: 10 } });
    assert.ok(!bob.some((id) => ['vuejs:vue', 'd3:d3', 'dogfalo:materialize'].includes(id)), bob.join());
    assert.deepEqual(new Set(bob.slice(0, 2)), new Set(['facebook:react', 'twbs:bootstrap']));
    assert.deepEqual(await client.getRecommend({ userId: 'bob', category: 'css' }), ['twbs:bootstrap']);
    assert.deepEqual(await client.getRecommend({ userId: 'bob', cursorOptions: { n: 1, offset: 1 } }), bob.slice(1, 2));

    const before = Date.now();
    const recs = await client.getRecommend({ userId: 'dave', writeBackType: 'read', writeBackDelay: '10m' });
    assert.ok(recs.length > 0);
    const written = await harness.engine.store.eventsByUser('dave', { types: ['view'] });
    assert.deepEqual(written.map((e) => e.itemId).sort(), [...recs].sort());
    assert.ok(written.every((e) => e.context['gorseType'] === 'read' && e.timestamp >= before + 600_000));
    // Feedback in the future stays out of reads until its time comes, as in Gorse.
    assert.deepEqual(await client.getUserFeedbackByType('dave', 'read'), []);
  });

  it('finds neighbor users by shared items', async () => {
    const neighbors = (await client.getUserNeighbors({ userId: 'bob' })) as unknown as { Id: string; Score: number }[];
    assert.equal(neighbors.length, 1);
    assert.equal(neighbors[0]?.Id, 'alice');
    // Two shared items of three and four: 2 / sqrt(3 * 4).
    assert.ok(Math.abs((neighbors[0]?.Score ?? 0) - 2 / Math.sqrt(12)) < 1e-12);
  });

  it('hides and deletes items, deletes users with their feedback', async () => {
    assert.equal(await client.updateItem('facebook:react', { IsHidden: true } as unknown as GorseItemBody), 1);
    assert.equal((await client.getItem('facebook:react')).IsHidden, true);
    assert.ok(!(await client.getPopular({})).some((p) => p.Id === 'facebook:react'));
    assert.equal(await client.deleteItem('mozilla:pdf.js'), 1);
    await rejectsWith(client.getItem('mozilla:pdf.js'), 404, /item not found/);

    assert.equal(await client.deleteUser('dave'), 1);
    await rejectsWith(client.getUser('dave'), 404, /user not found/);
    assert.deepEqual(await client.getUserFeedback('dave'), []);
  });
});
