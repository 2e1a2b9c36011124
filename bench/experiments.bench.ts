// Time of an experiment report (SQL counting + statistics) on a generated store, against the naive
// baseline of streaming the events through parseRecId and attributing them in JavaScript, measured
// in the same run on the same store.
// Each shopper gets 3 impressions (30% clicked, 5% bought) and 10 unrelated views.
//
//   node --import tsx bench/experiments.bench.ts [--shoppers 20000] [--db sqlite:<file>|postgres://…?schema=…]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, type Event } from '../src/core/types.js';
import { Random } from '../src/math/random.js';
import { parseRecId } from '../src/serve/rec-id.js';
import { createExperimentService } from '../src/serve/experiments/index.js';
import { openStore } from '../src/store/index.js';
import { figure, int, timed } from './util.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const shoppers = Number(option('--shoppers') ?? 20_000);
const dir = option('--db') ? null : mkdtempSync(join(tmpdir(), 'magpie-bench-experiments-'));
const store = await openStore(option('--db') ?? `sqlite:${join(dir!, 'experiments.db')}`);

try {
  const service = await createExperimentService(store);
  const name = `bench-${Date.now()}`;
  const experiment = await service.create({ name, surfaces: ['feed'], variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] });
  const start = Date.parse(experiment.startedAt) + 1;
  const rng = new Random(1);
  let batch: Event[] = [];
  let id = 0;
  let written = 0;
  const flush = async (): Promise<void> => {
    written += (await store.write({ events: batch })).events;
    batch = [];
  };
  for (let i = 0; i < shoppers; i++) {
    const who = `u${i}`;
    const variant = service.assign('feed', who)!.variant.name;
    for (let l = 0; l < 3; l++) {
      const recId = `feed.${name}:${variant}.r${i}x${l}`;
      batch.push(makeEvent({ id: `${name}-${id++}`, type: 'impression', userId: who, recId, timestamp: start + i }));
      if (rng.nextFloat() < 0.3) batch.push(makeEvent({ id: `${name}-${id++}`, type: 'click', userId: who, itemId: 'i1', recId, timestamp: start + i }));
      if (rng.nextFloat() < 0.05) batch.push(makeEvent({ id: `${name}-${id++}`, type: 'purchase', userId: who, itemId: 'i1', quantity: 1, price: 10, recId, timestamp: start + i }));
    }
    for (let k = 0; k < 10; k++) batch.push(makeEvent({ id: `${name}-${id++}`, type: 'view', userId: who, itemId: `i${k}`, timestamp: start + i }));
    if (batch.length >= 50_000) await flush();
  }
  await flush();
  figure(`events written (${int(shoppers)} shoppers)`, written);

  const report = await timed(() => service.report(name));
  figure(`report on ${store.kind}`, report.seconds.toFixed(3), 's');

  // Baseline: stream the same events through JavaScript and attribute them there (the same figures
  // the report's SQL produces: users, exposures, clicks, clickers, purchasers and their revenue).
  const naive = await timed(async () => {
    const shown = new Map<string, { unit: string; variant: string }>();
    const per = new Map<string, { users: Set<string>; exposures: number; clicks: number; clickers: Set<string>; revenue: Map<string, number> }>();
    const feedback: Event[] = [];
    for await (const e of store.iterateEvents({ types: ['impression', 'click', 'add_to_cart', 'purchase'] })) {
      const parts = e.recId ? parseRecId(e.recId) : null;
      if (parts?.experiment?.name !== name) continue;
      if (e.type !== 'impression') {
        feedback.push(e);
        continue;
      }
      const unit = e.userId !== null ? `u:${e.userId}` : `s:${e.sessionId}`;
      shown.set(e.recId!, { unit, variant: parts.experiment.variant });
      const p = per.get(parts.experiment.variant) ?? { users: new Set(), exposures: 0, clicks: 0, clickers: new Set(), revenue: new Map() };
      p.users.add(unit);
      p.exposures++;
      per.set(parts.experiment.variant, p);
    }
    for (const e of feedback) {
      const s = shown.get(e.recId!);
      const p = s ? per.get(s.variant) : undefined;
      if (!s || !p) continue;
      if (e.type === 'click') {
        p.clicks++;
        p.clickers.add(s.unit);
      } else if (e.type === 'purchase') p.revenue.set(s.unit, (p.revenue.get(s.unit) ?? 0) + (e.quantity ?? 1) * (e.price ?? 0));
    }
    return per;
  });
  figure('baseline: stream + parseRecId in JS', naive.seconds.toFixed(3), 's');
  figure('report / baseline', (report.seconds / naive.seconds).toFixed(2), '×');
  const summary = (users: number, clicks: number, conversions: number): string => `${users}/${clicks}/${conversions}`;
  const fromReport = report.value.variants.map((v) => summary(v.users, v.clicks, v.conversions)).join(' ');
  const fromBaseline = ['a', 'b'].map((v) => naive.value.get(v)).map((p) => summary(p?.users.size ?? 0, p?.clicks ?? 0, p?.revenue.size ?? 0)).join(' ');
  figure('users/clicks/conversions a b (report)', fromReport);
  figure('users/clicks/conversions a b (baseline)', fromBaseline);
} finally {
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
