import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { eventInputSchema } from '../core/schemas.js';
import { fieldPath, requestError } from './validation.js';

const eventsBody = z.union([eventInputSchema, z.object({ events: z.array(eventInputSchema) }).strict()]);

function errorFor(schema: z.ZodType, value: unknown, part = 'body') {
  const result = schema.safeParse(value);
  assert.equal(result.success, false);
  return requestError(result.error!, part);
}

describe('request validation errors', () => {
  it('writes paths the way clients do', () => {
    assert.equal(fieldPath(['events', 3, 'type']), 'events[3].type');
    assert.equal(fieldPath([0, 'id']), '[0].id');
    assert.equal(fieldPath(['rules', 'boosts', 0, 'factor']), 'rules.boosts[0].factor');
    assert.equal(fieldPath([]), '');
  });

  it('reports the union branch the client meant: the batch for { events }, the single event otherwise', () => {
    const batch = errorFor(eventsBody, { events: [{ userId: 'u', itemId: 'i', type: 'view' }, { userId: 'u', type: 'purchase' }] });
    assert.deepEqual(batch.location, { field: 'events[1].itemId' });
    assert.match(batch.message, /a purchase event needs an itemId/);
    const single = errorFor(eventsBody, { userId: 'u', itemId: 'i', type: 'look' });
    assert.deepEqual(single.location, { field: 'type' });
  });

  it('names the unknown field itself, with a hint to remove it', () => {
    const error = errorFor(z.object({ n: z.number() }).strict(), { n: 1, limt: 2 }, 'querystring');
    assert.deepEqual(error.location, { field: 'limt' });
    assert.equal(error.message, 'query parameter limt: unknown field "limt"');
    assert.match(String(error.hint), /remove the unknown parameter/);
  });

  it('tells a missing field from a wrong one', () => {
    const missing = errorFor(z.object({ id: z.string() }).strict(), {});
    assert.match(String(missing.hint), /add the missing field/);
    const wrong = errorFor(z.object({ id: z.string() }).strict(), { id: 3 });
    assert.match(String(wrong.hint), /correct the value/);
  });
});
