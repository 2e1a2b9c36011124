import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { isMagpieError } from '../../core/errors.js';
import { makeItem, makeUser } from '../../core/types.js';
import { syntheticShopEvents } from '../../marketing/propensity/shop.case.js';
import { openStore } from '../../store/index.js';
import { propensityOptions, registerPropensity, runPropensityCommand } from './propensity.js';

describe('magpie propensity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-propensity-'));
  const db = `sqlite:${join(dir, 'shop.db')}`;
  before(async () => {
    const store = await openStore(db);
    const { events, users } = syntheticShopEvents();
    await store.write({ users: users.map((id) => makeUser(id)), items: Array.from({ length: 20 }, (_, i) => makeItem(`i${i}`, { categories: [i < 10 ? 'A' : 'B'] })), events });
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints metrics, a calibration table and importances, and writes scores and JSON', async () => {
    const lines: string[] = [];
    const out = join(dir, 'out', 'scores.csv');
    const json = join(dir, 'out', 'propensity.json');
    const result = await runPropensityCommand({ db, out, json, folds: '3' }, (line) => lines.push(line));
    const printed = lines.join('\n');
    // 240 days of data end on 2023-08-30: T1 = end − 60 days, T2 = end − 30 days.
    assert.match(printed, /Train: features at 2023-07-01, labels to 2023-07-31: \d+ customers/);
    assert.match(printed, /Test: {2}features at 2023-07-31, labels to 2023-08-30/);
    assert.match(printed, /gbt\s+raw\s+0\.\d{4}\s+0\.\d{4}/);
    assert.match(printed, /lr\s+platt\s+0\.\d{4}/);
    assert.match(printed, /0\.9–1\.0/);
    assert.match(printed, /Top features, trees \(share of split gain\): \w+ \d+\.\d%/);
    assert.ok(result.models.gbt.test.raw.auc! > 0.7, `AUC ${result.models.gbt.test.raw.auc}`);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'userId,probability,rawProbability,label,reasons');
    assert.equal(csv.length - 1, result.scores.length);
    // Scored at the data's end: the next 30 days are not in the data, so no label.
    assert.match(csv[1]!, /^u\d{3},0\.\d+,0\.\d+,,\w+=/);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { trainCutoff: string; models: { gbt: { calibration: { calibrated: unknown[] } } }; scores: unknown[] };
    assert.equal(parsed.trainCutoff, '2023-07-01T00:00:00.000Z');
    assert.equal(parsed.models.gbt.calibration.calibrated.length, 10);
    assert.equal(parsed.scores.length, result.scores.length);
  });

  it('says what is wrong with a cut-off too late for two windows, and with bad flags', async () => {
    await assert.rejects(runPropensityCommand({ db, cutoff: '2023-08-01' }, () => {}), (error) => isMagpieError(error, 'invalid_input') && /ends after the data/.test(error.message) && /2023-07-01 or earlier/.test(error.hint ?? ''));
    assert.throws(() => propensityOptions({ target: 'buy' }), /unknown propensity target "buy"/);
    assert.throws(() => propensityOptions({ horizonDays: '0' }), /--horizon-days must be a whole number ≥ 1/);
    assert.throws(() => propensityOptions({ calibration: 'magic' }), /unknown calibration/);
    assert.deepEqual(propensityOptions({ target: 'churn', horizonDays: '60', folds: '2', calibration: 'isotonic' }), { target: 'churn', horizonDays: 60, folds: 2, calibration: 'isotonic' });
  });

  it('wires every flag through commander', async () => {
    const program = new Command('magpie').exitOverride();
    registerPropensity(program);
    const json = join(dir, 'churn.json');
    const log = console.log;
    console.log = () => {};
    try {
      await program.parseAsync(['propensity', '--db', db, '--target', 'churn', '--horizon-days', '30', '--cutoff', '2023-06-01', '--score-at', '2023-07-01', '--folds', '2', '--model', 'lr', '--calibration', 'isotonic', '--seed', '3', '--json', json], { from: 'user' });
    } finally {
      console.log = log;
    }
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown> & { train: { folds: number }; scores: { label: number | null }[] };
    assert.deepEqual([parsed.target, parsed.horizonDays, parsed.trainCutoff, parsed.scoredAt, parsed.primary, parsed.calibrationMethod, parsed.train.folds], ['churn', 30, '2023-06-01T00:00:00.000Z', '2023-07-01T00:00:00.000Z', 'lr', 'isotonic', 2]);
    // Scored at 2023-07-01 with 30 days of data after it: every score has its label.
    assert.ok(parsed.scores.length > 0 && parsed.scores.every((s) => s.label === 0 || s.label === 1));
  });
});
