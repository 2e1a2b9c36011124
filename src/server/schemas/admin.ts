/** Schemas of the admin resources: model versions, training jobs, rule sets, experiments, keys. */
import { z } from 'zod';
import type { Experiment, ModelVersion, TrainingJob, VariantReport } from '../../serve/types.js';
import { named } from './common.js';
import { assertType, type SameShape } from './domain.js';
import { rulesSchema } from './recommendations.js';

const isoTime = z.string().describe('ISO-8601 time');

/** A trained model version. */
export const modelVersionSchema = named(
  'ModelVersion',
  z.object({
    id: z.string(),
    model: z.string(),
    params: z.record(z.string(), z.unknown()),
    trainedAt: isoTime,
    trainSeconds: z.number(),
    users: z.number(),
    items: z.number(),
    events: z.number(),
    metrics: z.record(z.string(), z.number().nullable()).nullable().describe('offline metrics at training time; a metric that was not defined is null'),
    active: z.boolean(),
  }),
);

/** A background training job. */
export const trainingJobSchema = named(
  'TrainingJob',
  z.object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    model: z.string(),
    params: z.record(z.string(), z.unknown()),
    startedAt: isoTime.nullable(),
    finishedAt: isoTime.nullable(),
    progress: z.number().nullable(),
    version: z.string().nullable(),
    error: z.string().nullable(),
  }),
);

/** `POST /v1/models/train` body. */
export const trainBodySchema = z
  .object({
    model: z.string().min(1).max(500).optional().describe('model spec such as ease:lambda=400 (default: the configured model)'),
    activate: z.boolean().optional().describe('activate the new version once trained (default true)'),
  })
  .strict()
  .nullish();

/** A saved rule set. */
export const ruleSetSchema = named('RuleSet', z.object({ name: z.string(), rules: rulesSchema }));

/** The name a rule set, experiment or key may have. */
export const resourceName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, _, - or ., starting with a letter or digit');

const surface = z.enum(['feed', 'session', 'similar', 'bought-together', 'cart', 'trending', 'latest']);

const variantSchema = z
  .object({
    name: resourceName,
    weight: z.number().positive().finite(),
    modelVersion: z.string().min(1).optional(),
    ruleSet: z.string().min(1).optional(),
  })
  .strict();

/** `POST /v1/experiments` body. */
export const createExperimentSchema = named(
  'NewExperiment',
  z
    .object({
      name: resourceName,
      surfaces: z.array(surface).min(1).optional().describe('default feed, session and cart'),
      variants: z.array(variantSchema).min(2).max(10).describe('the first is the control'),
    })
    .strict(),
);

/** An experiment. */
export const experimentSchema = named(
  'Experiment',
  z.object({
    name: z.string(),
    surfaces: z.array(surface),
    variants: z.array(z.object({ name: z.string(), weight: z.number(), modelVersion: z.string().optional(), ruleSet: z.string().optional() })),
    status: z.enum(['running', 'stopped']),
    startedAt: isoTime,
    stoppedAt: isoTime.nullable(),
  }),
);

// Rates, intervals and p-values are undefined before anyone is exposed: null then (JSON has no NaN).
const maybe = z.number().nullable();
const interval = z.object({ value: maybe, low: maybe, high: maybe });

/** One variant's outcome. */
export const variantReportSchema = named(
  'VariantReport',
  z.object({
    variant: z.string(),
    users: z.number(),
    exposures: z.number(),
    clicks: z.number(),
    addToCarts: z.number(),
    conversions: z.number(),
    revenue: z.number(),
    clickRate: interval,
    conversionRate: interval,
    revenuePerUser: interval,
    versusControl: z
      .object({ conversionLift: maybe, conversionPValue: maybe, revenuePerUserDiff: maybe, revenuePValue: maybe, significant: z.boolean() })
      .nullable()
      .describe('against the first (control) variant; null for the control itself'),
  }),
  'Rates per exposed user with 95% intervals; a figure that is not defined yet (no exposures) is null.',
);

/** `GET /v1/experiments/{name}/report` response. */
export const experimentReportSchema = named('ExperimentReport', z.object({ experiment: experimentSchema, variants: z.array(variantReportSchema), note: z.string() }));

/** The scopes a key may hold. */
export const SCOPES = ['read', 'write', 'admin'] as const;

/** An API key as listed (never with its secret). */
export const apiKeySchema = named(
  'ApiKey',
  z.object({ name: z.string(), scopes: z.array(z.enum(SCOPES)), createdAt: isoTime }),
);

/** `POST /v1/keys` body. */
export const createKeySchema = z.object({ name: resourceName, scopes: z.array(z.enum(SCOPES)).min(1).max(3) }).strict();

/** `POST /v1/keys` response: the only time the secret is shown. */
export const createdKeySchema = named(
  'CreatedApiKey',
  apiKeySchema.extend({ secret: z.string().describe('shown once; store it now, only its SHA-256 digest is kept') }),
);

assertType<[ModelVersion] extends [z.output<typeof modelVersionSchema>] ? true : false>();
assertType<SameShape<z.output<typeof trainingJobSchema>, TrainingJob>>();
assertType<SameShape<z.output<typeof experimentSchema>, Experiment>>();
// One way only: the API may send null where the service's number is not defined (NaN).
assertType<[VariantReport] extends [z.output<typeof variantReportSchema>] ? true : false>();
