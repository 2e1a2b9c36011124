import { MagpieError } from '../core/errors.js';
import type { Experiment, ExperimentService } from './types.js';

function notConfigured(name: string): MagpieError {
  return new MagpieError('not_found', `no experiment "${name}"`, { hint: 'A/B experiments are not enabled in this engine; pass `experiments` to openEngine' });
}

/**
 * The experiment service of an engine opened without one: nothing is ever assigned, so every
 * request is served by the active model and the requested rules.
 */
export const noExperiments: ExperimentService = {
  async list() {
    return [];
  },
  async get() {
    return null;
  },
  async create(experiment): Promise<Experiment> {
    throw new MagpieError('unsupported', `cannot create experiment "${experiment.name}": A/B experiments are not enabled in this engine`, {
      hint: 'pass `experiments` to openEngine',
    });
  },
  async stop(name) {
    throw notConfigured(name);
  },
  assign() {
    return null;
  },
  async report(name) {
    throw notConfigured(name);
  },
};
