import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { makeItem, makeUser } from '../../core/types.js';
import { openStore } from '../../store/index.js';
import { syntheticShopEvents } from '../../marketing/propensity/shop.case.js';
import { parseCampaignCsv, registerUplift, runUpliftCommand } from './uplift.js';

describe('magpie uplift', () => {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-uplift-'));
  const db = `sqlite:${join(dir, 'shop.db')}`;
  let users: string[] = [];
  before(async () => {
    const store = await openStore(db);
    const shop = syntheticShopEvents(2);
    users = shop.users;
    await store.write({ users: users.map((id) => makeUser(id)), items: Array.from({ length: 20 }, (_, i) => makeItem(`i${i}`)), events: shop.events });
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('labels the semi-synthetic campaign, compares the estimators with random and oracle, writes files', async () => {
    const lines: string[] = [];
    const out = join(dir, 'uplift.csv');
    const json = join(dir, 'uplift.json');
    const result = await runUpliftCommand({ db, out, json, learner: 'lr' }, (line) => lines.push(line));
    const printed = lines.join('\n');
    assert.match(lines[0]!, /^SEMI-SYNTHETIC: /);
    assert.match(printed, /t-learner \/ gbt\s+-?\d\.\d{3}/);
    assert.match(printed, /class-transformation \/ lr/);
    assert.match(printed, /^random\s/m);
    assert.match(printed, /^oracle\s.*1\.000/m);
    assert.match(printed, /Deciles by t-learner \/ lr:/);
    assert.equal(result.estimators.length, 4);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'userId,uplift');
    assert.equal(csv.length - 1, result.rows.train + result.rows.test);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { semiSynthetic: boolean; rule: string[]; estimators: { curve: unknown[] }[] };
    assert.equal(parsed.semiSynthetic, true);
    assert.match(parsed.rule[0]!, /SEMI-SYNTHETIC/);
    assert.equal(parsed.estimators[0]!.curve.length, 101);
  });

  it('reads a real campaign file and joins it to features at the campaign start', async () => {
    const file = join(dir, 'campaign.csv');
    writeFileSync(file, ['userId,treated,converted', ...users.map((id, i) => `${id},${i % 2},${(i * 7) % 3 === 0 ? 'yes' : 'no'}`), 'stranger,1,0'].join('\n'));
    const lines: string[] = [];
    const result = await runUpliftCommand({ db, campaign: file, cutoff: '2023-07-01', learner: 'lr' }, (line) => lines.push(line));
    assert.match(lines[0]!, /^Campaign .*campaign\.csv: \d+ customers with history before 2023-07-01 \(\d+ without were left out\)/);
    assert.doesNotMatch(lines.join('\n'), /SEMI-SYNTHETIC|oracle/);
    assert.equal(result.oracle, null);
    assert.throws(() => parseCampaignCsv('userId,treated,converted\na,1,maybe\n', 'c.csv'), /converted "maybe" is not 1\/0.*/);
    assert.throws(() => parseCampaignCsv('user,treated\n', 'c.csv'), /no userId column/);
    await assert.rejects(runUpliftCommand({ db, campaign: file }, () => {}), /--campaign needs --cutoff/);
  });

  it('wires every flag through commander', async () => {
    const program = new Command('magpie').exitOverride();
    registerUplift(program);
    const json = join(dir, 'flags.json');
    const log = console.log;
    const lines: string[] = [];
    console.log = (line: string) => lines.push(line);
    try {
      await program.parseAsync(['uplift', '--db', db, '--cutoff', '2023-07-15', '--horizon-days', '20', '--test-share', '0.4', '--method', 'class-transformation', '--learner', 'lr', '--seed', '4', '--json', json], { from: 'user' });
    } finally {
      console.log = log;
    }
    assert.ok(lines.some((l) => /Customers at 2023-07-15: \d+; outcome window 20 days/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => l.trim() === 'Deciles by class-transformation / lr:'));
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { rows: { train: number; test: number } };
    assert.ok(Math.abs(parsed.rows.test / (parsed.rows.train + parsed.rows.test) - 0.4) < 0.01);
  });
});
