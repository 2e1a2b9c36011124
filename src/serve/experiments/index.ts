/**
 * A/B tests over the store: experiments saved as one JSON document in store meta, stable hash
 * assignment of users and sessions to variants, and reports attributed by recId.
 */
import { MagpieError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { Experiment, ExperimentService, Surface } from '../types.js';
import { assigner, type Assignment } from './assign.js';
import { buildReport } from './report.js';
import { DEFAULT_SURFACES, EXPERIMENTS_META_KEY, parseExperimentInput, parseExperimentsDocument, type ExperimentsDocument } from './schema.js';
import { countVariants } from './variant-counts.js';

export { bucketOf, cumulativeWeights, variantIndex, assigner, type Assignment } from './assign.js';
export { buildReport, revenueSummary, REPORT_ALPHA, RELATIVE_TAU } from './report.js';
export { countVariants, type ExperimentCounts, type VariantCounts } from './variant-counts.js';
export {
  DEFAULT_SURFACES,
  EXPERIMENT_NAME,
  EXPERIMENTS_META_KEY,
  MAX_VARIANTS,
  MIN_VARIANTS,
  SURFACES,
  parseExperimentInput,
  parseExperimentsDocument,
  type ExperimentInput,
  type ExperimentsDocument,
} from './schema.js';

/** The experiment service, plus `reload` to pick up experiments another process created. */
export interface StoredExperimentService extends ExperimentService {
  /** Re-reads the stored experiments; `assign` follows them from then on. */
  reload(): Promise<void>;
}

function frozen(experiment: Experiment): Experiment {
  // `assign` hands out the stored variant objects on the hot path; freezing them means no caller can
  // change what later requests are assigned to.
  experiment.variants.forEach((v) => Object.freeze(v));
  Object.freeze(experiment.variants);
  Object.freeze(experiment.surfaces);
  return Object.freeze(experiment);
}

function notFound(name: string): MagpieError {
  return new MagpieError('not_found', `no experiment named "${name}"`, { location: { field: 'name' }, hint: 'list the experiments to see their names' });
}

/**
 * The experiment service over a store. Experiments live in the store's meta table under
 * `serve:experiments`, so every process on the same store sees the same ones (after `reload`,
 * `list` or a change made through this instance). `assign` is synchronous and pure over the
 * experiments loaded: the same key always gets the same variant of the same experiment.
 *
 * @example
 * const experiments = await createExperimentService(store);
 * await experiments.create({ name: 'ease-vs-ials', surfaces: ['feed'], variants: [{ name: 'control', weight: 1 }, { name: 'ials', weight: 1, modelVersion: 'v20261123101500-ials' }] });
 * experiments.assign('feed', 'user-42'); // { experiment: 'ease-vs-ials', variant: { name: 'ials', … } }, always the same for user-42
 * const { variants, note } = await experiments.report('ease-vs-ials');
 */
export async function createExperimentService(store: Store): Promise<StoredExperimentService> {
  const load = async (): Promise<ExperimentsDocument> => {
    const doc = parseExperimentsDocument(await store.getMeta(EXPERIMENTS_META_KEY));
    return { ...doc, experiments: doc.experiments.map(frozen) };
  };
  let experiments: readonly Experiment[] = [];
  let assign: (surface: Surface, key: string) => Assignment | null = () => null;
  const adopt = (doc: ExperimentsDocument): void => {
    experiments = doc.experiments;
    assign = assigner(experiments);
  };
  adopt(await load());

  // Changes run one at a time, each on a fresh read of the document, so two changes made through
  // this instance never overwrite each other. (Separate processes changing experiments at the same
  // moment can still race: the store offers no compare-and-set on meta.)
  let queue: Promise<unknown> = Promise.resolve();
  const change = <T>(apply: (doc: ExperimentsDocument) => { doc: ExperimentsDocument; result: T }): Promise<T> => {
    const run = queue.then(async () => {
      const { doc, result } = apply(await load());
      await store.setMeta(EXPERIMENTS_META_KEY, JSON.stringify(doc));
      adopt({ ...doc, experiments: doc.experiments.map(frozen) });
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const find = (name: string): Experiment | undefined => experiments.find((e) => e.name === name);

  return {
    async list() {
      adopt(await load());
      return structuredClone([...experiments]);
    },

    async get(name) {
      adopt(await load());
      const experiment = find(name);
      return experiment ? structuredClone(experiment) : null;
    },

    async create(input) {
      const parsed = parseExperimentInput(input);
      return change((doc) => {
        const existing = doc.experiments.find((e) => e.name === parsed.name);
        if (existing?.status === 'running') {
          throw new MagpieError('conflict', `an experiment named "${parsed.name}" is already running`, {
            location: { field: 'name' },
            hint: `stop it first (its report stays available) or choose another name`,
          });
        }
        const experiment: Experiment = {
          name: parsed.name,
          surfaces: [...(parsed.surfaces ?? DEFAULT_SURFACES)],
          variants: parsed.variants.map((v) => ({ ...v })),
          status: 'running',
          startedAt: new Date().toISOString(),
          stoppedAt: null,
        };
        // A stopped experiment of the same name moves to the archive: its definition is kept, and
        // its recIds stay apart from the new run's through the time window of each report.
        const next: ExperimentsDocument = {
          version: 1,
          experiments: [...doc.experiments.filter((e) => e.name !== parsed.name), experiment],
          archived: existing ? [...doc.archived, existing] : doc.archived,
        };
        return { doc: next, result: structuredClone(experiment) };
      });
    },

    async stop(name) {
      return change((doc) => {
        const existing = doc.experiments.find((e) => e.name === name);
        if (!existing) throw notFound(name);
        if (existing.status === 'stopped') return { doc, result: structuredClone(existing) };
        const stopped: Experiment = { ...structuredClone(existing), status: 'stopped', stoppedAt: new Date().toISOString() };
        return { doc: { ...doc, experiments: doc.experiments.map((e) => (e.name === name ? stopped : e)) }, result: structuredClone(stopped) };
      });
    },

    assign(surface, key) {
      return assign(surface, key);
    },

    async report(name) {
      adopt(await load());
      const experiment = find(name);
      if (!experiment) throw notFound(name);
      const { variants, note } = buildReport(experiment, await countVariants(store, experiment));
      return { experiment: structuredClone(experiment), variants, note };
    },

    async reload() {
      adopt(await load());
    },
  };
}
