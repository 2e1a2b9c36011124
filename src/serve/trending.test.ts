import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeEvent, makeItem } from '../core/types.js';
import { Catalog } from './catalog.js';
import { Trending } from './trending.js';

const DAY = 86_400_000;
const event = (itemId: string, day: number, type: 'view' | 'purchase' | 'impression' = 'view') =>
  makeEvent({ id: `${itemId}-${day}-${type}`, userId: 'u', itemId, type, timestamp: Date.UTC(2024, 0, 1) + day * DAY });

describe('trending', () => {
  it('weighs events by type and halves them every half-life', () => {
    const catalog = new Catalog();
    const trending = new Trending(catalog, 7);
    trending.add(event('old', 0));
    trending.add(event('old', 0));
    trending.add(event('new', 7));
    const score = (id: string): number => trending.score(catalog.indexOf(id));
    assert.ok(Math.abs(score('old') / score('new') - 1) < 1e-12, 'two views a half-life ago weigh one view now');
    trending.add(event('bought', 7, 'purchase'));
    assert.ok(Math.abs(score('bought') / score('new') - 8) < 1e-12, 'a purchase weighs 8 views');
    trending.add(event('shown', 7, 'impression'));
    assert.equal(score('shown'), 0, 'impressions are not interest');
  });

  it('keeps its ranking across landmark moves over years of events', () => {
    const catalog = new Catalog();
    const trending = new Trending(catalog, 1);
    for (let day = 0; day <= 2000; day += 50) trending.add(event('steady', day));
    trending.add(event('burst', 1999));
    trending.add(event('burst', 2000));
    const scores = trending.sync();
    assert.ok(scores.every((s) => Number.isFinite(s)));
    assert.ok(trending.score(catalog.indexOf('burst')) > trending.score(catalog.indexOf('steady')));
    catalog.upsert([makeItem('unseen')]);
    assert.equal(trending.score(catalog.indexOf('unseen')), 0);
  });
});
