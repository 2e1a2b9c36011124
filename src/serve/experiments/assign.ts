import { createHash } from 'node:crypto';
import type { Experiment, Surface, Variant } from '../types.js';

/**
 * Where a key falls in an experiment, uniformly in [0, 1): the first 4 bytes of
 * SHA-1(`<experiment>:<key>`) (UTF-8) as a big-endian unsigned integer, divided by 2³². Salting
 * with the experiment's name makes splits of different experiments independent, and the rule is
 * simple enough for a shop to reproduce in its own code or warehouse (SHA-1 is everywhere).
 *
 * @example
 * bucketOf('spring-test', 'user-42'); // the same number in [0, 1) on every machine, every run
 */
export function bucketOf(experiment: string, key: string): number {
  return createHash('sha1').update(`${experiment}:${key}`, 'utf8').digest().readUInt32BE(0) / 4_294_967_296;
}

/** Cumulative normalised weights: variant i takes buckets in [cumulative[i−1], cumulative[i]). */
export function cumulativeWeights(variants: readonly Variant[]): Float64Array {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  const cumulative = new Float64Array(variants.length);
  let running = 0;
  variants.forEach((v, i) => {
    running += v.weight;
    cumulative[i] = running / total;
  });
  // Rounding may leave the last bound a hair under 1; the last variant takes everything above the others.
  cumulative[variants.length - 1] = 1;
  return cumulative;
}

/** The index of the variant a bucket in [0, 1) falls into. */
export function variantIndex(cumulative: Float64Array, bucket: number): number {
  for (let i = 0; i < cumulative.length; i++) if (bucket < cumulative[i]!) return i;
  return cumulative.length - 1;
}

/** An experiment with its split precomputed, for the serving hot path. */
interface Prepared {
  experiment: Experiment;
  cumulative: Float64Array;
}

/** What `assign` returns: the experiment's name and the variant the key falls into. */
export type Assignment = { experiment: string; variant: Variant };

/**
 * A pure assignment function over a fixed list of experiments (in creation order): for each
 * surface, the first running experiment that covers it, split by {@link bucketOf}. Later
 * experiments on the same surface get no traffic there until the earlier one stops.
 *
 * @example
 * const assign = assigner(experiments);
 * assign('feed', 'user-42'); // { experiment: 'spring-test', variant: { name: 'b', weight: 1 } } — every time
 */
export function assigner(experiments: readonly Experiment[]): (surface: Surface, key: string) => Assignment | null {
  const bySurface = new Map<Surface, Prepared>();
  for (const experiment of experiments) {
    if (experiment.status !== 'running') continue;
    const prepared = { experiment, cumulative: cumulativeWeights(experiment.variants) };
    for (const surface of experiment.surfaces) if (!bySurface.has(surface)) bySurface.set(surface, prepared);
  }
  return (surface, key) => {
    const prepared = bySurface.get(surface);
    if (!prepared) return null;
    const index = variantIndex(prepared.cumulative, bucketOf(prepared.experiment.name, key));
    return { experiment: prepared.experiment.name, variant: prepared.experiment.variants[index]! };
  };
}
