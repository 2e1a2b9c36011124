import type { Command } from 'commander';
import { MagpieError } from '../../core/errors.js';
import { formatModelSpec, formatParams } from '../../eval/model-list.js';
import { parseK, parseProtocol, positiveInt } from '../../eval/options.js';
import { changedParams, metricLabel, reportTable, writeJsonAtomic } from '../../eval/report.js';
import { DEFAULT_SEARCH_SPACES, parseSearchSpace } from '../../eval/search-space.js';
import { parseMetricName, runTuning, type Trial } from '../../eval/tune.js';
import { parseModelSpec } from '../../models/registry.js';
import { terminalProgress } from '../progress.js';
import { addDataFlags, loadFromFlags, threadsOf, type DataFlags } from './evaluate.js';

interface TuneFlags extends DataFlags {
  model: string;
  trials: string;
  seed: string;
  metric: string;
  space?: string;
  search: string;
  gridPoints: string;
  json?: string;
}

const SHOWN_METRICS = ['ndcg@k', 'precision@k', 'recall@k', 'map@k', 'auc'] as const;

/** `magpie tune`: seeded random or grid search of a model's params on a validation split of train. */
export function registerTune(program: Command): void {
  const command = program
    .command('tune')
    .description('search a model\'s params on a validation split carved from the training part only (the test part is never used)');
  addDataFlags(command)
    .requiredOption('--model <spec>', 'model id, optionally with fixed params: ease:binary=false')
    .option('--trials <n>', 'random search: candidates to try', '20')
    .option('--seed <n>', 'seed of the split and of the random draws', '1')
    .option('--metric <name>', 'metric to maximise', 'ndcg@k')
    .option('--search <kind>', 'random | grid', 'random')
    .option('--grid-points <n>', 'grid search: values per numeric range', '5')
    .option(
      '--space <spec>',
      `params to search: name=lo..hi[:log] (whole-number bounds draw whole numbers), name=a|b|c or name=value, comma-separated; defaults: ${Object.entries(DEFAULT_SEARCH_SPACES)
        .map(([m, s]) => `${m} {${Object.keys(s).join(', ')}}`)
        .join('; ')}`,
    )
    .option('--json <file>', 'write the trials and the best params as JSON (atomically)')
    .action(async (flags: TuneFlags) => {
      const spec = parseModelSpec(flags.model);
      const protocol = parseProtocol(flags);
      const k = parseK(flags.k);
      const metric = parseMetricName(flags.metric);
      const seed = Number(flags.seed);
      if (!Number.isInteger(seed)) throw new MagpieError('invalid_input', `--seed must be a whole number, got "${flags.seed}"`, { location: { field: 'seed' } });
      if (flags.search !== 'random' && flags.search !== 'grid') {
        throw new MagpieError('invalid_input', `unknown search "${flags.search}"`, { location: { field: 'search' }, hint: 'use random or grid' });
      }
      const space = flags.space === undefined ? DEFAULT_SEARCH_SPACES[spec.name] ?? {} : parseSearchSpace(flags.space);
      if (Object.keys(space).length === 0) console.log(`Note: no search space for ${spec.name}; evaluating its params once.`);
      const { dataset } = await loadFromFlags(flags);
      const label = (m: string): string => metricLabel(m, k);
      const rows: string[][] = [];
      const row = (trial: Trial, index: number): string[] => [
        String(index + 1),
        formatParams(changedParams(spec.name, trial.params)),
        ...SHOWN_METRICS.map((m) => trial.metrics[m].toFixed(4)),
        trial.trainSeconds.toFixed(2),
        trial.recommendSeconds.toFixed(2),
      ];
      const report = await runTuning(dataset, {
        datasetName: flags.data,
        model: spec.name,
        baseParams: spec.params,
        space,
        protocol,
        k,
        seed,
        metric,
        search: flags.search,
        trials: positiveInt(flags.trials, 'trials'),
        gridPoints: positiveInt(flags.gridPoints, 'grid-points'),
        ...threadsOf(flags),
        progress: () => terminalProgress(),
        onTrial: (trial, index, total) => {
          rows.push(row(trial, index));
          console.log(`trial ${index + 1}/${total}: ${formatParams(changedParams(spec.name, trial.params))} → ${label(metric)} ${trial.metrics[metric].toFixed(4)}`);
        },
      });
      const marked = rows.map((r, i) => (i === report.bestTrial ? [`${r[0]}*`, ...r.slice(1)] : r));
      console.log('');
      console.log(`${spec.name} on a validation split of the ${protocol.name} training part (seed ${seed}), ranked by ${label(metric)}:`);
      console.log(reportTable(['trial', 'params', ...SHOWN_METRICS.map(label), 'train s', 'rec s'], marked));
      console.log(`Best: ${formatModelSpec(spec.name, report.best.params)} (${label(metric)} ${report.best.metrics[metric].toFixed(4)})`);
      if (flags.json) {
        writeJsonAtomic(flags.json, report);
        console.log(`Wrote ${flags.json}`);
      }
    });
}
