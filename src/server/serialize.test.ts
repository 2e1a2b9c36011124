import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { z } from 'zod';
import { recommendationListSchema } from './schemas/recommendations.js';
import { builtToSchema, responseSerializerCompiler } from './serialize.js';

async function app() {
  const server = Fastify({ logger: false });
  server.setSerializerCompiler(responseSerializerCompiler);
  const checked = z.object({ n: z.number() });
  const trusted = builtToSchema(z.object({ n: z.number() }));
  server.get('/checked', { schema: { response: { 200: checked } } }, async () => ({ n: 'not a number' }));
  server.get('/checked-ok', { schema: { response: { 200: checked } } }, async () => ({ n: 2, extra: true }));
  server.get('/built', { schema: { response: { 200: trusted } } }, async () => ({ n: 3 }));
  await server.ready();
  return server;
}

describe('response serialization', () => {
  it('checks responses against their schema unless the schema is marked built', async () => {
    const server = await app();
    try {
      const bad = await server.inject({ url: '/checked' });
      assert.equal(bad.statusCode, 500, 'a response that breaks its schema is not written');
      const ok = await server.inject({ url: '/checked-ok' });
      assert.deepEqual(ok.json(), { n: 2 }, 'the zod check drops fields the schema does not name');
      const built = await server.inject({ url: '/built' });
      assert.equal(built.statusCode, 200);
      assert.equal(built.body, '{"n":3}');
    } finally {
      await server.close();
    }
  });

  it('writes the recommendation list as the pipeline built it, without the zod check', async () => {
    const server = Fastify({ logger: false });
    server.setSerializerCompiler(responseSerializerCompiler);
    const list = { recId: 'feed.rules.x', surface: 'feed', model: null, modelVersion: null, experiment: null, fallback: 'trending', items: [{ itemId: 'a', score: 0.5 }], nextCursor: null };
    server.get('/list', { schema: { response: { 200: recommendationListSchema } } }, async () => list);
    try {
      const response = await server.inject({ url: '/list' });
      assert.equal(response.body, JSON.stringify(list));
      // The check would have dropped a field the schema does not name; writing as built keeps it.
      (list as Record<string, unknown>).debug = 1;
      assert.equal(JSON.parse((await server.inject({ url: '/list' })).body).debug, 1);
    } finally {
      await server.close();
    }
  });
});
