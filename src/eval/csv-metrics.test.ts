import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempFile } from '../ingest/test-files.case.js';
import { metricsFromCsv } from './csv-metrics.js';

const close = (actual: number | undefined, expected: number): void => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('metricsFromCsv', () => {
  // Truth: alice {x, y}, bob {z}, carol {w} (carol gets no recs, so she is not counted).
  const truth = tempFile('truth.csv', 'user,item,rating\nalice,x,5\nalice,y,2\nbob,z,4\ncarol,w,3\n');
  // Recs in scrambled order: alice ranks y (0.9), q (0.5), x (0.1); bob ranks q (2), z (1), q again (0.5).
  const recs = tempFile('recs.csv', 'user,item,score\nalice,x,0.1\nbob,q,2\nalice,y,0.9\nalice,q,0.5\nbob,z,1\nbob,q,0.5\n');

  it('orders by score, cuts at k and matches a hand computation', async () => {
    const report = await metricsFromCsv(truth, recs, { k: 2 });
    // alice top 2 = [y, q]: 1 hit at rank 1 of 2 relevant; bob top 2 = [q, z]: 1 hit at rank 2 of 1 relevant.
    assert.equal(report.users, 2);
    close(report.metrics['precision@k'], 0.5);
    close(report.metrics['recall@k'], (0.5 + 1) / 2);
    close(report.metrics['ndcg@k'], (1 / (1 + 1 / Math.log2(3)) + 1 / Math.log2(3)) / 2);
    close(report.metrics['map@k'], (1 / 2 + 0.5 / 1) / 2);
    close(report.metrics['mrr@k'], (1 + 0.5) / 2);
    close(report.metrics['hit@k'], 1);
    // Catalogue = x, y, z, w, q; the top-2 lists hold y, q, z.
    assert.equal(report.catalog, 5);
    close(report.metrics.coverage, 3 / 5);
    assert.equal(report.metrics.auc, undefined);
    assert.match(report.notes.join(' '), /auc left out/);
  });

  it('counts only well-rated truth rows with minRating', async () => {
    const report = await metricsFromCsv(truth, recs, { k: 2, minRating: 4 });
    // alice's relevant set is {x} now: her top 2 [y, q] misses; bob unchanged.
    close(report.metrics['precision@k'], (0 + 0.5) / 2);
  });

  it('reports AUC when the recs score every catalogue item', async () => {
    const t = tempFile('t.csv', 'user,item\nu,a\n');
    const r = tempFile('r.csv', 'user,item,score\nu,a,0.5\nu,b,0.9\nu,c,0.1\n');
    const report = await metricsFromCsv(t, r, { k: 1 });
    close(report.metrics.auc, 0.5);
    close(report.metrics['precision@k'], 0);
  });

  it('asks for a header with the needed columns', async () => {
    const headless = tempFile('bad.csv', 'alice,x\n');
    await assert.rejects(metricsFromCsv(headless, recs, { k: 2 }), /has no user column/);
  });
});
