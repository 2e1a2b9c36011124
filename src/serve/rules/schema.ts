/**
 * Validation of business rules (per request or saved): one schema, so the HTTP API, the CLI and
 * the library reject the same mistakes with the same messages.
 */
import { z } from 'zod';
import { MagpieError } from '../../core/errors.js';
import { validationError } from '../../core/schemas.js';
import type { Rules } from '../types.js';

const scalar = z.union([z.string(), z.number().finite(), z.boolean()]);
const factor = z.number().finite().positive('must be > 0 (use < 1 to demote)');
const ids = z.array(z.string().min(1)).max(1000);

/** The {@link Filters} of a rule set. */
export const filtersSchema = z
  .object({
    inStock: z.boolean().optional(),
    categories: z.array(z.string().min(1)).max(100).optional(),
    brands: z.array(z.string().min(1)).max(100).optional(),
    priceMin: z.number().finite().optional(),
    priceMax: z.number().finite().optional(),
    excludeItems: ids.optional(),
    excludePurchased: z.boolean().optional(),
    attributes: z.record(z.string(), z.union([scalar, z.array(scalar)])).optional(),
  })
  .strict();

/** One {@link Boost}. */
export const boostSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('new'), withinDays: z.number().finite().positive(), factor }).strict(),
  z.object({ kind: z.literal('promotion'), factor }).strict(),
  z.object({ kind: z.literal('attribute'), attribute: z.string().min(1), equals: scalar, factor }).strict(),
  z.object({ kind: z.literal('category'), category: z.string().min(1), factor }).strict(),
  z.object({ kind: z.literal('brand'), brand: z.string().min(1), factor }).strict(),
]);

/** A whole {@link Rules} object. */
export const rulesSchema = z
  .object({
    filters: filtersSchema.optional(),
    boosts: z.array(boostSchema).max(50).optional(),
    pinned: z
      .array(z.object({ itemId: z.string().min(1), position: z.number().int().min(0).max(99) }).strict())
      .max(20)
      .optional(),
    diversity: z
      .object({
        maxPerCategory: z.number().int().min(1).optional(),
        mmrLambda: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Name of a saved rule set: letters, digits, `-`, `_`, `.`; at most 64 characters. */
export const ruleSetNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'use 1–64 letters, digits, "-", "_" or "." (starting with a letter or digit)');

/**
 * Checks rules, throwing MagpieError('invalid_input') naming the field (under `field`, e.g.
 * `rules.boosts.0.factor`).
 *
 * @example
 * parseRules({ filters: { priceMax: 20 }, diversity: { maxPerCategory: 2 } });
 */
export function parseRules(input: unknown, field = 'rules'): Rules {
  const result = rulesSchema.safeParse(input);
  if (!result.success) {
    const error = validationError(result.error);
    const inner = error.location?.field;
    throw new MagpieError('invalid_input', `${field}.${error.message}`, {
      location: { field: inner ? `${field}.${inner}` : field },
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    });
  }
  const rules = result.data as Rules;
  const f = rules.filters;
  if (f?.priceMin !== undefined && f.priceMax !== undefined && f.priceMin > f.priceMax) {
    throw new MagpieError('invalid_input', `${field}.filters: priceMin ${f.priceMin} is above priceMax ${f.priceMax}`, {
      location: { field: `${field}.filters.priceMin` },
      hint: 'swap the two bounds',
    });
  }
  return rules;
}
