import { Option, type Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { importSource, onlineRetailSource } from '../../ingest/index.js';
import { loadDataset } from '../../eval/load.js';
import { formatEvaluationTable } from '../../eval/report.js';
import { runEvaluation } from '../../eval/runner.js';
import { parseModelList } from '../../eval/model-list.js';
import { openStore } from '../../store/index.js';
import { int } from '../format.js';
import { terminalProgress } from '../progress.js';
import { serveDemo } from './demo-serve.js';
import { printImportReport } from './import.js';
import { printStats } from './stats.js';

/** The bundled Online Retail sample (see data/sample/README.md). */
export const DEMO_SAMPLE = fileURLToPath(new URL('../../../data/sample/online-retail-2011-09-to-11.csv.gz', import.meta.url));

/** Models the demo trains and compares: a baseline, two neighbourhood models and EASE. */
export const DEMO_MODELS = 'popularity,item-knn,user-knn,ease';

/** Flags of `magpie demo`. */
interface DemoFlags {
  db: string;
  models: string;
  serve: boolean;
  port: string;
  modelsDir?: string;
  sample: string;
}

/**
 * `magpie demo`: imports the bundled sample into the embedded store, shows what was stored, then
 * trains the default models on all but the last two weeks and prints how well each predicts the
 * purchases of those two weeks; finally trains the serving model and serves the HTTP API until
 * Ctrl-C (unless `--no-serve`).
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('import the bundled Online Retail sample, train the default models, print an evaluation table and serve the API')
    .option('--db <url>', 'store URL', 'sqlite:./data/magpie.db')
    .option('--models <list>', 'models to train and compare', DEMO_MODELS)
    .option('--no-serve', 'stop after the table')
    .option('--port <n>', 'port the API listens on (0 picks a free one)', '8080')
    .option('--models-dir <dir>', 'where the serving model versions are kept (default ./data/models)')
    // Another Online Retail file instead of the bundled sample (tests use a small slice).
    .addOption(new Option('--sample <path>').default(DEMO_SAMPLE).hideHelp())
    .action(async (options: DemoFlags) => {
      const bundled = options.sample === DEMO_SAMPLE;
      console.log(`Magpie demo: importing ${bundled ? 'the bundled UCI Online Retail sample (Sep–Nov 2011, CC BY 4.0)' : options.sample} into ${options.db}`);
      const store = await openStore(options.db);
      try {
        const report = await importSource(store, onlineRetailSource(options.sample), { progress: terminalProgress({ unit: 'bytes' }) });
        printImportReport(report);
        console.log('\nWhat the store holds now:');
        printStats(await store.stats());
      } finally {
        await store.close();
      }

      console.log('\nTraining on the store, testing on the last 14 days (temporal split, k = 10):');
      const { dataset } = await loadDataset({ kind: 'store', url: options.db }, { progress: terminalProgress() });
      console.log(`${int(dataset.users.ids.length)} shoppers (customers and anonymous invoices), ${int(dataset.items.ids.length)} products, ${int(dataset.log.length)} interactions`);
      const evaluation = await runEvaluation(dataset, {
        datasetName: `demo:${options.db}`,
        protocol: { name: 'temporal', testDays: 14 },
        k: 10,
        seeds: [1],
        models: parseModelList(options.models).models,
        progress: () => terminalProgress(),
        log: (line) => console.log(line),
      });
      console.log('');
      console.log(formatEvaluationTable(evaluation));
      if (options.serve) await serveDemo({ db: options.db, port: options.port, ...(options.modelsDir === undefined ? {} : { modelsDir: options.modelsDir }) }, dataset);
    });
}
