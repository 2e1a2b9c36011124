import { z } from 'zod';
import { MagpieError } from '../../core/errors.js';
import type { Experiment, Surface } from '../types.js';

/** Experiment and variant names: they travel inside recIds (`feed.<name>:<variant>.<random>`), so no dots or colons. */
export const EXPERIMENT_NAME = /^[a-z0-9_-]{1,64}$/;

/** Every surface, in the order of the `Surface` type; the record makes the compiler check none is missing. */
const SURFACE_SET: Record<Surface, true> = { feed: true, session: true, similar: true, 'bought-together': true, cart: true, trending: true, latest: true };

/** Every {@link Surface}. */
export const SURFACES = Object.keys(SURFACE_SET) as Surface[];

/** Where an experiment applies when its creator names no surface: the personal lists. */
export const DEFAULT_SURFACES: readonly Surface[] = ['feed', 'session', 'cart'];

/** Fewest variants an experiment may have: a control and one treatment. */
export const MIN_VARIANTS = 2;
/** Most variants an experiment may have: each extra one splits the traffic thinner. */
export const MAX_VARIANTS = 10;

const nameSchema = z.string().regex(EXPERIMENT_NAME, 'must be 1–64 characters of a–z, 0–9, "-" and "_"');
const surfaceSchema = z.enum(SURFACES as [Surface, ...Surface[]], { error: `must be one of ${SURFACES.join(', ')}` });

const variantSchema = z.strictObject({
  name: nameSchema,
  weight: z.number().finite().positive('must be a positive share of traffic'),
  modelVersion: z.string().min(1).max(256).optional(),
  ruleSet: z.string().min(1).max(256).optional(),
});

function unique<T>(values: readonly T[], key: (value: T) => string, ctx: z.RefinementCtx, path: string, what: string): void {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    const k = key(value);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [path, i], message: `${what} "${k}" appears twice` });
    seen.add(k);
  });
}

/** What `create` accepts: a name, the surfaces (default feed, session, cart) and 2–10 variants with unique names. */
export const experimentInputSchema = z
  .strictObject({
    name: nameSchema,
    surfaces: z.array(surfaceSchema).min(1, 'must name at least one surface').optional(),
    variants: z.array(variantSchema).min(MIN_VARIANTS, `must have at least ${MIN_VARIANTS} variants`).max(MAX_VARIANTS, `must have at most ${MAX_VARIANTS} variants`),
  })
  .superRefine((input, ctx) => {
    unique(input.variants, (v) => v.name, ctx, 'variants', 'variant name');
    if (input.surfaces) unique(input.surfaces, (s) => s, ctx, 'surfaces', 'surface');
  });

/** The validated form of a `create` request. */
export type ExperimentInput = z.output<typeof experimentInputSchema>;

const storedExperimentSchema = z.object({
  name: nameSchema,
  surfaces: z.array(surfaceSchema).min(1),
  variants: z.array(variantSchema).min(MIN_VARIANTS).max(MAX_VARIANTS),
  status: z.enum(['running', 'stopped']),
  startedAt: z.iso.datetime(),
  stoppedAt: z.iso.datetime().nullable(),
});

/**
 * The JSON document kept under {@link EXPERIMENTS_META_KEY}: experiments in creation order (the
 * order `assign` tries them in), and those replaced by a new experiment of the same name, kept so
 * nothing once stored is lost.
 */
export const experimentsDocumentSchema = z.object({
  version: z.literal(1),
  experiments: z.array(storedExperimentSchema),
  archived: z.array(storedExperimentSchema).default([]),
});

/** The parsed experiments document. */
export interface ExperimentsDocument {
  version: 1;
  experiments: Experiment[];
  archived: Experiment[];
}

/** The store meta key holding the experiments document. */
export const EXPERIMENTS_META_KEY = 'serve:experiments';

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/**
 * Validates a `create` request. The error names the first bad field (`variants.1.weight`) and how to fix it.
 *
 * @example
 * parseExperimentInput({ name: 'spring-test', variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] }).surfaces; // undefined → feed, session, cart
 */
export function parseExperimentInput(input: unknown): ExperimentInput {
  const parsed = experimentInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issuePath(issue.path);
  const hint =
    issue.code === 'unrecognized_keys'
      ? 'send only name, surfaces and variants (name, weight, modelVersion, ruleSet); status and times are set by Magpie'
      : `give a name of a–z, 0–9, - and _ (at most 64), 2–10 variants with unique such names and positive weights, and surfaces among ${SURFACES.join(', ')}`;
  throw new MagpieError('invalid_input', `experiment${field ? ` ${field}` : ''}: ${issue.message}`, { location: field ? { field } : {}, hint });
}

/** Parses the stored document (an empty one when nothing is stored yet); a damaged one is reported, never overwritten. */
export function parseExperimentsDocument(text: string | null): ExperimentsDocument {
  if (text === null) return { version: 1, experiments: [], archived: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt('it is not valid JSON', error);
  }
  const parsed = experimentsDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw corrupt(`${issuePath(issue.path) || 'the document'}: ${issue.message}`);
  }
  return parsed.data as ExperimentsDocument;
}

function corrupt(detail: string, cause?: unknown): MagpieError {
  return new MagpieError('corrupt', `the experiments stored under meta key "${EXPERIMENTS_META_KEY}" cannot be read: ${detail}`, {
    location: { field: EXPERIMENTS_META_KEY },
    hint: 'repair that row of the meta table (or delete it to start with no experiments); Magpie will not overwrite it while it is unreadable',
    cause,
  });
}
