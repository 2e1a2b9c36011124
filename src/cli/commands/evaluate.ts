import type { Command } from 'commander';
import { DATA_SPEC_FORMS, loadDataset, type LoadedData } from '../../eval/load.js';
import { parseModelList } from '../../eval/model-list.js';
import { parseBuildFlags, parseK, parseProtocol, parseSeeds, positiveInt, PROTOCOL_NAMES } from '../../eval/options.js';
import { formatEvaluationTable, writeJsonAtomic } from '../../eval/report.js';
import { runEvaluation } from '../../eval/runner.js';
import { MODEL_NAMES } from '../../models/registry.js';
import { int } from '../format.js';
import { terminalProgress } from '../progress.js';

/** Flags shared by `evaluate` and `tune`: where the data comes from, how it is weighted and split. */
export interface DataFlags {
  data: string;
  protocol?: string;
  ratio?: string;
  testDays?: string;
  testFraction?: string;
  k?: string;
  binary?: boolean;
  weights?: string;
  minUser?: string;
  minItem?: string;
  map?: string;
  types?: string;
  threads?: string;
}

/** Adds the data, weighting and protocol flags to a command. */
export function addDataFlags(command: Command): Command {
  return command
    .requiredOption('--data <spec>', DATA_SPEC_FORMS)
    .option('--protocol <name>', PROTOCOL_NAMES.join(' | '), 'msr-item-stratified')
    .option('--ratio <r>', 'train share per item/user for the stratified protocols (default 0.75)')
    .option('--test-days <days>', 'temporal: the last <days> days are test')
    .option('--test-fraction <f>', 'temporal: the latest fraction of interactions is test (default 0.2)')
    .option('--k <n>', 'list length the metrics are cut at', '10')
    .option('--binary', 'ratings count 1 instead of their value')
    .option('--weights <pairs>', 'event weights, e.g. purchase=8,add_to_cart=4,view=1')
    .option('--min-user <n>', 'drop users with fewer distinct items (k-core with --min-item)')
    .option('--min-item <n>', 'drop items with fewer distinct users')
    .option('--map <pairs>', 'events-csv/jsonl: field=column pairs, as in magpie import')
    .option('--types <pairs>', 'events-csv/jsonl: renames of event types, as in magpie import')
    .option('--threads <n>', 'worker threads for models with parallel kernels');
}

/** Loads `--data` with a byte progress bar and prints what was loaded. */
export async function loadFromFlags(flags: DataFlags, log: (line: string) => void = console.log): Promise<LoadedData> {
  const build = parseBuildFlags(flags);
  const started = performance.now();
  const loaded = await loadDataset(flags.data, {
    build,
    ...(flags.map === undefined ? {} : { map: flags.map }),
    ...(flags.types === undefined ? {} : { types: flags.types }),
    progress: terminalProgress({ unit: flags.data.includes(':') && !/^(sqlite:|postgres)/.test(flags.data) ? 'bytes' : 'items' }),
  });
  const { dataset, rejected } = loaded;
  log(
    `Loaded ${flags.data}: ${int(dataset.users.ids.length)} users, ${int(dataset.items.ids.length)} items, ${int(dataset.log.length)} interactions` +
      `${rejected > 0 ? `, ${int(rejected)} rejected lines` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const note of loaded.notes) log(`Note: ${note}`);
  return loaded;
}

/** `--threads` as a number, when given. */
export function threadsOf(flags: { threads?: string }): { threads?: number } {
  if (flags.threads === undefined) return {};
  return { threads: positiveInt(flags.threads, 'threads') };
}

/** `magpie evaluate`: the offline benchmark over seeds, as a table and optionally JSON. */
export function registerEvaluate(program: Command): void {
  const command = program
    .command('evaluate')
    .description('offline benchmark: split the data, fit each model on train, rank all unseen items for every test user, report metrics (mean ± std over seeds)');
  addDataFlags(command)
    .option(
      '--models <list>',
      `comma-separated models, each optionally with params: ease:lambda=400,binary=true,item-knn — a token with ":" or a bare model name starts a new model, key=value continues the previous one; "all" runs every model that applies (${MODEL_NAMES.join(', ')})`,
      'all',
    )
    .option('--seeds <n>', 'run seeds 1..n and average', '1')
    .option('--seed-list <seeds>', 'explicit seeds, e.g. 1,2,3 (overrides --seeds)')
    .option('--json <file>', 'write the report as JSON (atomically)')
    .action(async (flags: DataFlags & { models: string; seeds?: string; seedList?: string; json?: string }) => {
      // Everything that can be wrong with the flags fails here, before any data is read.
      const protocol = parseProtocol(flags);
      const k = parseK(flags.k);
      const seeds = parseSeeds(flags);
      const list = parseModelList(flags.models);
      const threads = threadsOf(flags);
      const { dataset } = await loadFromFlags(flags);
      const report = await runEvaluation(dataset, {
        datasetName: flags.data,
        protocol,
        k,
        seeds,
        models: list.models,
        skipInapplicable: list.all,
        ...threads,
        progress: () => terminalProgress(),
        log: (line) => console.log(line),
      });
      console.log('');
      console.log(`${protocol.name}, k = ${k}, seeds ${seeds.join(', ')}${seeds.length > 1 ? ' (mean ± std)' : ''}; times are seconds per seed`);
      console.log(formatEvaluationTable(report));
      if (flags.json) {
        writeJsonAtomic(flags.json, report);
        console.log(`Wrote ${flags.json}`);
      }
    });
}
