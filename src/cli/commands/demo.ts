import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { importSource, onlineRetailSource } from '../../ingest/index.js';
import { openStore } from '../../store/index.js';
import { terminalProgress } from '../progress.js';
import { printImportReport } from './import.js';
import { printStats } from './stats.js';

/** The bundled Online Retail sample (see data/sample/README.md). */
export const DEMO_SAMPLE = fileURLToPath(new URL('../../../data/sample/online-retail-2011-09-to-11.csv.gz', import.meta.url));

/** `magpie demo`: imports the bundled sample into the embedded store and shows what was stored. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('import the bundled Online Retail sample into the embedded store and show what was stored')
    .option('--db <url>', 'store URL', 'sqlite:./data/magpie.db')
    .option('--no-serve', 'stop after the summary (the server arrives with the serving layer)')
    .action(async (options: { db: string }) => {
      console.log(`Magpie demo: importing the bundled UCI Online Retail sample (Sep–Nov 2011, CC BY 4.0) into ${options.db}`);
      const store = await openStore(options.db);
      try {
        const report = await importSource(store, onlineRetailSource(DEMO_SAMPLE), { progress: terminalProgress({ unit: 'bytes' }) });
        printImportReport(report);
        console.log('\nWhat the store holds now:');
        printStats(await store.stats());
      } finally {
        await store.close();
      }
    });
}
