import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { Command } from 'commander';
import { NETWORK_EVENTS } from '../../analytics/bayes-net/engagement.case.js';
import { REC_EVENTS } from '../../analytics/rec-impact.case.js';
import { STATE_EVENTS } from '../../analytics/user-states/user-states.case.js';
import { isMagpieError } from '../../core/errors.js';
import { makeItem, makeUser } from '../../core/types.js';
import { openStore } from '../../store/index.js';
import { registerAnalytics, runAnalyticsCommand } from './analytics.js';

describe('magpie analytics: recommendation-impact, user-states, bayes-net', () => {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-analytics-models-'));
  const db = (name: string): string => `sqlite:${join(dir, `${name}.db`)}`;
  before(async () => {
    for (const [name, events] of [['rec', REC_EVENTS], ['states', STATE_EVENTS], ['net', NETWORK_EVENTS]] as const) {
      const store = await openStore(db(name));
      const users = [...new Set(events.flatMap((e) => (e.userId === null ? [] : [e.userId])))].map((id) => makeUser(id, { attributes: { country: id === 'c' ? 'France' : 'United Kingdom' } }));
      await store.write({ users, items: ['i1', 'i2', 'i3', 'i4'].map((id) => makeItem(id, { price: id === 'i2' ? 5 : 10 })), events });
      await store.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints recommendation impact per source, rates as percentages', async () => {
    const lines: string[] = [];
    await runAnalyticsCommand('recommendation-impact', { db: db('rec') }, (line) => lines.push(line));
    const printed = lines.join('\n');
    assert.match(printed, /period\s+surface\s+source\s+model\s+variant\s+exposures\s+users\s+clicks\s+CTR/);
    // The feed / ease source over the whole range (see rec-impact.case.ts): 3 exposures, 2 users, 2 clicks, CTR 1/3, revenue 35.
    assert.match(printed, /all\s+feed\s+v20261101120000-ease\s+ease\s+—\s+3\s+2\s+2\s+33\.3%\s+33\.3%\s+66\.7%\s+35\.00\s+11\.67/);
    assert.match(printed, /2024-01\s+feed\s+spring:b\s+sar\s+spring:b\s+1\s+1\s+1\s+100\.0%/);
  });

  it('prints the transition matrix, the long run and steps to purchase, and writes the model as JSON', async () => {
    const program = new Command().exitOverride();
    registerAnalytics(program);
    const json = join(dir, 'states.json');
    const log = mock.method(console, 'log', () => undefined);
    let printed: string;
    try {
      await program.parseAsync(['analytics', 'user-states', '--db', db('states'), '--churn-after', '3', '--json', json], { from: 'user' });
      printed = log.mock.calls.map((call) => String(call.arguments[0])).join('\n');
    } finally {
      log.mock.restore();
    }
    // Worked in user-states.case.ts: churned → browsing 1 of 7, π = (9, 4, 12, 24, 84) / 133, t_B = 35/3.
    assert.match(printed, /User states by week, 3 users and 1 anonymous sessions, 2024-01-01 to 2024-02-19; churned after 3 quiet weeks/);
    assert.match(printed, /churned\s+0\.0% \[0\.0–35\.4\]\s+0\.0% \[0\.0–35\.4\]\s+14\.3% \[2\.6–51\.3\]\s+0\.0% \[0\.0–35\.4\]\s+85\.7% \[48\.7–97\.4\]\s+7/);
    assert.match(printed, /unique stationary distribution/);
    assert.match(printed, /browsing\s+3\s+50\.0%\s+9\.0%\s+11\.7/);
    const model = JSON.parse(readFileSync(json, 'utf8')) as { states: string[]; churnAfter: number; counts: number[][] };
    assert.deepEqual([model.states.length, model.churnAfter, model.counts[4]], [5, 3, [0, 0, 1, 0, 6]]);
  });

  it("prints the network's variables, the outcome CPT and example queries", async () => {
    const lines: string[] = [];
    await runAnalyticsCommand('bayes-net', { db: db('net'), asOf: '2024-04-01', horizon: '30' }, (line) => lines.push(line));
    const printed = lines.join('\n');
    assert.match(printed, /Engagement network: 6 users active before 2024-04-01, 3 \(50\.0%\) bought in the 30 days after/);
    assert.match(printed, /recency\s+0-30d 3, 31-90d 2, 91d\+ 1\s+days from the last activity/);
    assert.match(printed, /Structure \(learned by hill climbing on BIC, BIC -?\d+\.\d\)/);
    assert.match(printed, /P\(purchase = yes \| /);
    assert.match(printed, /driver\s+state\s+users\s+network\s+observed/);
    assert.match(printed, /cart\s+yes\s+2\s+\d+\.\d%\s+50\.0%/);
  });

  it('rejects a bad --churn-after or --horizon', async () => {
    await assert.rejects(runAnalyticsCommand('user-states', { db: db('states'), churnAfter: '0' }), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'churn-after');
    await assert.rejects(runAnalyticsCommand('bayes-net', { db: db('net'), horizon: 'soon' }), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'horizon');
  });
});
