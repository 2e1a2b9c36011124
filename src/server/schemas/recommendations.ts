/** Schemas of recommendation requests and responses (serve/types.ts), and of business rules. */
import { z } from 'zod';
import type { Boost, Filters, RecommendationList, Rules } from '../../serve/types.js';
import { builtToSchema } from '../serialize.js';
import { named, pathId, queryBoolean, queryList } from './common.js';
import { assertType, itemSchema, type SameShape } from './domain.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/** Filters of a rule set or request. */
export const filtersSchema = named(
  'Filters',
  z
    .object({
      inStock: z.boolean().optional().describe('only items whose stock is unknown or > 0 (default true)'),
      categories: z.array(z.string().min(1)).max(100).optional(),
      brands: z.array(z.string().min(1)).max(100).optional(),
      priceMin: z.number().finite().optional(),
      priceMax: z.number().finite().optional(),
      excludeItems: z.array(pathId).max(1000).optional(),
      excludePurchased: z.boolean().optional(),
      attributes: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
    })
    .strict(),
);

const factor = z.number().positive().finite();

/** One boost: multiplies the score of matching items by `factor`. */
export const boostSchema = named(
  'Boost',
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('new'), withinDays: z.number().positive(), factor }).strict(),
    z.object({ kind: z.literal('promotion'), factor }).strict(),
    z.object({ kind: z.literal('attribute'), attribute: z.string().min(1), equals: scalar, factor }).strict(),
    z.object({ kind: z.literal('category'), category: z.string().min(1), factor }).strict(),
    z.object({ kind: z.literal('brand'), brand: z.string().min(1), factor }).strict(),
  ]),
);

/** Business rules: filters, boosts, pinned items and diversity. */
export const rulesSchema = named(
  'Rules',
  z
    .object({
      filters: filtersSchema.optional(),
      boosts: z.array(boostSchema).max(50).optional(),
      pinned: z.array(z.object({ itemId: pathId, position: z.number().int().min(0).max(99) }).strict()).max(100).optional(),
      diversity: z.object({ maxPerCategory: z.number().int().positive().optional(), mmrLambda: z.number().min(0).max(1).optional() }).strict().optional(),
    })
    .strict(),
);

const explanationSchema = z.object({
  kind: z.enum(['history', 'similar', 'bought-together', 'cart', 'trending', 'popular', 'latest', 'pinned']),
  text: z.string(),
  itemIds: z.array(z.string()),
});

/**
 * Every recommendation response. Built by the list pipeline as a RecommendationList (the assertion
 * at the end of this file keeps the two the same), so it is written without a check.
 */
export const recommendationListSchema = builtToSchema(named(
  'RecommendationList',
  z.object({
    recId: z.string().describe('send it back as recId on the events this list leads to, for attribution'),
    surface: z.enum(['feed', 'session', 'similar', 'bought-together', 'cart', 'trending', 'latest']),
    model: z.string().nullable(),
    modelVersion: z.string().nullable(),
    experiment: z.object({ name: z.string(), variant: z.string() }).nullable(),
    fallback: z.enum(['trending-in-category', 'trending', 'latest']).nullable(),
    items: z.array(
      z.object({
        itemId: z.string(),
        score: z.number(),
        explanation: explanationSchema.optional(),
        item: itemSchema.optional(),
      }),
    ),
    nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
  }),
));

/** Query parameters every GET list route takes (rules in compact form). */
export const listQueryShape = {
  n: z.coerce.number().int().min(1).max(100).optional().describe('page size, 1–100 (default 10)'),
  cursor: z.string().max(4096).optional().describe('nextCursor of the previous page'),
  ruleSet: z.string().min(1).max(128).optional().describe('name of a saved rule set'),
  explain: queryBoolean.optional().describe('add an explanation to each item'),
  includeItems: queryBoolean.optional().describe('add the catalog row to each item'),
  category: queryList.optional().describe('only items in one of these categories (comma-separated)'),
  brand: queryList.optional().describe('only items of one of these brands (comma-separated)'),
  priceMin: z.coerce.number().finite().optional(),
  priceMax: z.coerce.number().finite().optional(),
  inStock: queryBoolean.optional().describe('only items in stock (default true)'),
};

/** The body every POST list route takes: the list options with full rules. */
export const listBodyShape = {
  n: z.number().int().min(1).max(100).optional().describe('page size, 1–100 (default 10)'),
  cursor: z.string().max(4096).optional(),
  ruleSet: z.string().min(1).max(128).optional(),
  explain: z.boolean().optional(),
  includeItems: z.boolean().optional(),
  rules: rulesSchema.optional(),
  context: z.record(z.string(), z.unknown()).optional().describe('free-form request context (device, page, …), kept for analytics'),
};

assertType<SameShape<z.output<typeof recommendationListSchema>, RecommendationList>>();
assertType<SameShape<z.output<typeof rulesSchema>, Rules>>();
assertType<SameShape<z.output<typeof filtersSchema>, Filters>>();
assertType<SameShape<z.output<typeof boostSchema>, Boost>>();
