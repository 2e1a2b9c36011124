import { Command, CommanderError } from 'commander';
import { MagpieError } from '../core/errors.js';
import { registerAnalytics } from './commands/analytics.js';
import { registerDemo } from './commands/demo.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerImport } from './commands/import.js';
import { registerMetrics } from './commands/metrics.js';
import { registerPropensity } from './commands/propensity.js';
import { registerReport } from './commands/report.js';
import { registerSegments } from './commands/segments.js';
import { registerServe } from './commands/serve.js';
import { registerDeleteUser, registerStats } from './commands/stats.js';
import { registerTrain } from './commands/train.js';
import { registerUplift } from './commands/uplift.js';
import { registerTune } from './commands/tune.js';

/** Builds the `magpie` command with every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command('magpie')
    .description('Magpie — self-hosted AI engagement engine for e-commerce')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerImport(program);
  registerStats(program);
  registerDeleteUser(program);
  registerAnalytics(program);
  registerSegments(program);
  registerReport(program);
  registerPropensity(program);
  registerUplift(program);
  registerDemo(program);
  registerEvaluate(program);
  registerTune(program);
  registerMetrics(program);
  registerTrain(program);
  registerServe(program);
  return program;
}

/** Runs the CLI; errors are printed as one clear line (what, where, how to fix) with exit code 1. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    if (error instanceof MagpieError) {
      console.error(`magpie: ${error.describe()}`);
      process.exitCode = 1;
      return;
    }
    console.error(`magpie: unexpected error: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  }
}
