import type { Command } from 'commander';
import { writeActive } from '../../serve/models/pointer.js';
import { trainVersion } from '../../serve/models/train.js';
import { DEFAULT_MODELS_DIR } from '../../serve/models/versions.js';
import { openStore } from '../../store/index.js';
import { int } from '../format.js';
import { terminalProgress } from '../progress.js';

/** Options of `magpie train`. */
export interface TrainFlags {
  db?: string;
  model?: string;
  modelsDir?: string;
  activate?: boolean;
}

/**
 * Trains a model version on every event of the store, in this process, with a progress bar per
 * stage; saves it under the models directory and makes it the active version (the one
 * `magpie serve` loads and running servers switch to).
 *
 * @example
 * await runTrain({ db: 'sqlite:./data/magpie.db', model: 'ease:lambda=400' });
 */
export async function runTrain(flags: TrainFlags, log: (line: string) => void = console.log): Promise<string> {
  const store = await openStore(flags.db);
  try {
    const progress = terminalProgress();
    let stage = '';
    let shown = 0;
    const version = await trainVersion(store, {
      spec: flags.model ?? 'auto',
      modelsDir: flags.modelsDir ?? DEFAULT_MODELS_DIR,
      onProgress: (fraction, label) => {
        if (label !== stage) {
          if (stage !== '') progress.stop();
          stage = label;
          progress.start(label, 1000);
          shown = 0;
        }
        const at = Math.round(fraction * 1000);
        if (at > shown) {
          progress.tick(at - shown);
          shown = at;
        }
      },
    });
    progress.stop();
    if (flags.activate !== false) await writeActive(store, version.id);
    log(
      `Trained ${version.model} on ${int(version.events)} events (${int(version.users)} users, ${int(version.items)} items) in ${version.trainSeconds.toFixed(1)} s.`,
    );
    log(`Saved version ${version.id} in ${flags.modelsDir ?? DEFAULT_MODELS_DIR}${flags.activate === false ? '' : '; it is now the active version'}.`);
    return version.id;
  } finally {
    await store.close();
  }
}

/** `magpie train`. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a recommendation model on the stored events, save it as a version and activate it')
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .option('--model <spec>', 'model spec, e.g. ease:lambda=400 or item-knn (default auto: ease up to 15,000 items, else item-knn)')
    .option('--models-dir <dir>', `where versions are kept (default ${DEFAULT_MODELS_DIR})`)
    .option('--no-activate', 'save the version without making it active')
    .action(async (flags: TrainFlags) => {
      await runTrain(flags);
    });
}
