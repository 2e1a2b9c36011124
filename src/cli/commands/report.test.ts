import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { isMagpieError } from '../../core/errors.js';
import { makeItem, makeUser } from '../../core/types.js';
import { caseEvents, CASE_CUSTOMERS } from '../../marketing/marketing.case.js';
import { openStore } from '../../store/index.js';
import { registerReport, runReportCommand } from './report.js';

describe('magpie report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-report-cli-'));
  const db = `sqlite:${join(dir, 'shop.db')}`;
  before(async () => {
    const store = await openStore(db);
    await store.write({ users: CASE_CUSTOMERS.map(([id]) => makeUser(id)), items: [makeItem('k', { categories: ['Kitchen'] }), makeItem('h', { categories: ['Home'] }), makeItem('g', { categories: ['Garden'] })], events: caseEvents() });
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the page atomically and prints what each section shows', async () => {
    const lines: string[] = [];
    const out = join(dir, 'reports', 'shop.html');
    const report = await runReportCommand({ db, out, title: 'Shop <report>' }, (line) => lines.push(line));
    const html = readFileSync(out, 'utf8');
    assert.equal(html, report.html);
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<title>Shop &lt;report&gt;<\/title>/);
    assert.deepEqual(readdirSync(join(dir, 'reports')), ['shop.html'], 'no temporary file left behind');
    const printed = lines.join('\n');
    for (const t of report.timings) assert.match(printed, new RegExp(`^  ${t.id}\\s+\\d+\\.\\d\\d s  ${t.status === 'ok' ? 'ok' : 'not available'}`, 'm'));
    const shown = report.sections.filter((s) => s.status === 'ok').length;
    assert.match(printed, new RegExp(`Wrote .*shop\\.html \\(\\d+\\.\\d MiB, ${shown} of ${report.sections.length} sections with results\\)`));
  });

  it('needs --out, and checks the range before writing anything', async () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
    registerReport(program);
    assert.throws(() => program.parse(['node', 'magpie', 'report', '--db', db]), /--out/);
    await assert.rejects(runReportCommand({ db }), (e) => isMagpieError(e, 'invalid_input') && /output file/.test(e.message));
    const out = join(dir, 'never.html');
    await assert.rejects(runReportCommand({ db, out, from: '2024-03', to: '2024-02' }), (e) => isMagpieError(e, 'invalid_input'));
    await assert.rejects(runReportCommand({ db, out, from: 'yesterday' }), (e) => isMagpieError(e, 'invalid_input') && /not a date/.test(e.message));
    assert.equal(existsSync(out), false);
  });
});
