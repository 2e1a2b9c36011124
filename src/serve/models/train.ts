/**
 * One training run, from store to saved version: read every event into a dataset, fit the
 * model, compute the serving data, write the version directory. Runs inside the training worker
 * (and in the `magpie train` command), never on the thread that answers requests.
 */
import { join } from 'node:path';
import { MagpieError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { EVENT_TYPES, type Item } from '../../core/types.js';
import { buildDataset } from '../../dataset/build.js';
import type { Dataset } from '../../dataset/types.js';
import { createModel, parseModelSpec } from '../../models/registry.js';
import type { Store } from '../../store/store.js';
import type { ModelVersion } from '../types.js';
import { saveServingData, servingData } from './serving-data.js';
import { writeVersion } from './versions.js';

/** Catalogues with at most this many interacted items get `ease` under the `auto` spec, larger ones `item-knn`. */
export const AUTO_EASE_MAX_ITEMS = 15_000;

/** Models that read catalogue text and so need the catalogue in their dataset. */
const NEEDS_CATALOG = new Set(['content', 'blend']);

/** Where a training run is, for job progress: a stage name and the fraction of the run done. */
export type TrainProgress = (fraction: number, stage: string) => void;

/**
 * The model a spec names, with its params; `auto` picks `ease` or `item-knn` by the number of
 * interacted items (EASE's memory grows with items²).
 *
 * @example
 * resolveSpec('auto', 3200); // { name: 'ease', params: {} }
 */
export function resolveSpec(spec: string, interactedItems: number): { name: string; params: Record<string, unknown> } {
  const text = spec.trim() === '' ? 'auto' : spec.trim();
  if (text === 'auto') return { name: interactedItems <= AUTO_EASE_MAX_ITEMS ? 'ease' : 'item-knn', params: {} };
  return parseModelSpec(text);
}

async function readCatalog(store: Store): Promise<Item[]> {
  const items: Item[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.listItems({ ...(after === undefined ? {} : { after }), limit: 5000 });
    items.push(...page);
    if (page.length < 5000) return items;
    after = page[page.length - 1]!.id;
  }
}

/** Impressions and searches name no item a shopper chose; skipping them in the query saves reading them. */
const TRAINING_TYPES = EVENT_TYPES.filter((t) => t !== 'impression' && t !== 'search');

/** Stage weights of a run: reading events, fitting, saving. */
const READ = 0.3;
const FIT = 0.65;

/**
 * Trains `spec` on every event of `store` and saves it as a new version under `modelsDir`.
 * Throws MagpieError('invalid_input') when there is nothing to train on.
 *
 * @example
 * const version = await trainVersion(store, { spec: 'auto', modelsDir: './data/models' });
 */
export async function trainVersion(
  store: Store,
  options: { spec?: string; modelsDir: string; onProgress?: TrainProgress; threads?: number },
): Promise<ModelVersion> {
  const report = options.onProgress ?? (() => {});
  const started = performance.now();
  const spec = options.spec ?? 'auto';
  if (spec !== 'auto') parseModelSpec(spec);
  const total = Math.max(1, (await store.stats()).events);
  report(0, 'reading events');
  const wantsCatalog = NEEDS_CATALOG.has(spec.split(':')[0]!.trim());
  const catalog = wantsCatalog ? await readCatalog(store) : undefined;
  let read = 0;
  async function* counted() {
    for await (const event of store.iterateEvents({ batchSize: 20_000, types: TRAINING_TYPES })) {
      if (++read % 20_000 === 0) report((READ * Math.min(read, total)) / total, 'reading events');
      yield event;
    }
  }
  const dataset: Dataset = await buildDataset(counted(), catalog ? { catalog } : {});
  if (dataset.users.ids.length === 0 || dataset.log.length === 0) {
    throw new MagpieError('invalid_input', 'there are no events to train on', { hint: 'import or send events first (views, carts, purchases, ratings)' });
  }
  const { name, params } = resolveSpec(spec, dataset.items.ids.length);
  const model = createModel(name, params);
  report(READ, `fitting ${name}`);
  let fitTotal = 1;
  let fitDone = 0;
  const progress: Progress = {
    start(_label, count) {
      fitTotal = Math.max(1, count);
      fitDone = 0;
    },
    tick(done = 1) {
      fitDone += done;
      report(READ + (FIT * Math.min(fitDone, fitTotal)) / fitTotal, `fitting ${name}`);
    },
    stop() {},
  };
  await model.fit(dataset, { progress, seed: 1, ...(options.threads === undefined ? {} : { threads: options.threads }) });
  report(READ + FIT, 'saving');
  const users = dataset.users.ids.length;
  const items = dataset.items.ids.length;
  const serving = servingData(dataset);
  const info: Omit<ModelVersion, 'id' | 'active'> = {
    model: name,
    params: { ...model.params },
    trainedAt: new Date().toISOString(),
    trainSeconds: 0,
    users,
    items,
    events: read,
    metrics: null,
  };
  const version = await writeVersion(options.modelsDir, info, { users: [...dataset.users.ids], items: [...dataset.items.ids] }, async (dir) => {
    await model.save(join(dir, 'model'));
    await saveServingData(join(dir, 'serving'), serving, users, items);
    info.trainSeconds = (performance.now() - started) / 1000;
  });
  report(1, 'done');
  return version;
}
