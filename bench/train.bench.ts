// Training time of every registered model on MovieLens 1M (6,040 users × 3,706 items, 1,000,209
// ratings) on this machine, and serving speed: top-10 for every user, per second.
//
//   node --import tsx bench/train.bench.ts [--models ease,item-knn] [--users 6040]
import { availableParallelism } from 'node:os';
import { buildDataset } from '../src/dataset/build.js';
import { movielensSource } from '../src/ingest/movielens.js';
import type { Event, Item } from '../src/core/types.js';
import { createModel, MODEL_NAMES, parseModelSpec } from '../src/models/registry.js';
import { dataset, figure, timed } from './util.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const specs = (option('--models')?.split(/,(?=[a-z-]+(?::|,|$))/) ?? [...MODEL_NAMES]).map(parseModelSpec);
const userLimit = Number(option('--users') ?? Infinity);

const loaded = await timed(async () => {
  const source = movielensSource(dataset('ml-1m/ratings_no_timestamp.dat.gz'));
  const events: Event[] = [];
  const items: Item[] = [];
  for await (const batch of source.records()) {
    for (const r of batch) {
      if (r.event) events.push(r.event);
      if (r.item) items.push(r.item);
    }
  }
  // Titles and genres from movies.dat, for the content model.
  return buildDataset(events, { catalog: items });
});
const data = loaded.value;
console.log(`ML-1M: ${data.users.ids.length} users × ${data.items.ids.length} items, ${data.log.length} interactions (loaded in ${loaded.seconds.toFixed(1)} s); ${availableParallelism()} cores`);
console.log('');
const users = Math.min(userLimit, data.users.ids.length);
for (const spec of specs) {
  const model = createModel(spec.name, spec.params);
  try {
    const fit = await timed(() => model.fit(data, { seed: 1 }));
    const recommend = await timed(() => {
      for (let u = 0; u < users; u++) model.recommend({ user: u }, { n: 10 });
    });
    figure(`${spec.name} fit`, fit.seconds.toFixed(2), 's');
    // BPR reports its SGD throughput; other models have no such figure.
    const stats = (model as { trainingStats?: () => { updatesPerSecond: number; threads: number } | undefined }).trainingStats?.();
    if (stats) figure(`${spec.name} SGD updates per second (${stats.threads} threads)`, stats.updatesPerSecond, 'updates/s');
    figure(`${spec.name} top-10 for ${users} users`, users / recommend.seconds, `users/s (${recommend.seconds.toFixed(2)} s)`);
  } catch (error) {
    figure(`${spec.name}`, `skipped: ${(error as Error).message}`);
  }
}
