/**
 * Request validation: runs the route's zod schema and, on failure, answers with one MagpieError
 * that names the offending field the way a client writes it (`events[3].type`, query `n`).
 */
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { MagpieError } from '../core/errors.js';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/**
 * `['events', 3, 'type']` → `events[3].type`.
 *
 * @example
 * fieldPath(['events', 3, 'type']); // 'events[3].type'
 */
export function fieldPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

// A union reports one issue list per branch. The branch the client meant is the one that came
// closest: fewest issues, then the deepest path (a bad field inside a batch beats "not a single event").
function closestBranch(issue: Issue & { code: 'invalid_union' }): Issue | undefined {
  let best: Issue[] | undefined;
  for (const branch of issue.errors) {
    if (branch.length === 0) continue;
    const depth = Math.max(...branch.map((i) => i.path.length));
    const bestDepth = best ? Math.max(...best.map((i) => i.path.length)) : -1;
    if (!best || branch.length < best.length || (branch.length === best.length && depth > bestDepth)) best = branch;
  }
  const first = best?.[0];
  return first ? { ...first, path: [...issue.path, ...first.path] } : undefined;
}

/** The issue worth reporting, with unions resolved to the branch the client meant. */
function mainIssue(issues: readonly Issue[]): Issue | undefined {
  let issue = issues[0];
  // Nested unions (a batch of events where each event is itself a union) unwrap one level at a time.
  for (let depth = 0; issue?.code === 'invalid_union' && depth < 5; depth++) issue = closestBranch(issue) ?? issue;
  return issue;
}

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query parameter', params: 'path parameter', headers: 'header' };

/** Turns a zod error on one part of a request into a MagpieError naming the field and the fix. */
export function requestError(error: z.ZodError, part: string): MagpieError {
  const issue = mainIssue(error.issues);
  if (!issue) return new MagpieError('invalid_input', `invalid ${PART_NAMES[part] ?? part}`);
  const path: PathKey[] = [...issue.path];
  // Unknown fields are reported at their parent; naming the field itself is what helps.
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const field = fieldPath(path);
  const where = part === 'body' ? (field ? `${field}: ` : 'body: ') : `${PART_NAMES[part] ?? part} ${field || '(all)'}: `;
  const message = issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
  return new MagpieError('invalid_input', `${where}${message}`, {
    ...(field ? { location: { field } } : {}),
    hint: hintFor(issue, part),
  });
}

function hintFor(issue: Issue, part: string): string {
  if (issue.code === 'unrecognized_keys') {
    return part === 'body' ? 'remove the unknown field (free-form data goes under "context" or "attributes"); see /docs for the schema' : 'remove the unknown parameter; see /docs for the ones this route takes';
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return 'add the missing field; see /docs for the schema';
  return 'correct the value and send it again; see /docs for the schema';
}

/** Fastify validator compiler over zod schemas: parsed values replace the raw ones, errors are MagpieErrors. */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  return (data: unknown) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: requestError(result.error, httpPart ?? 'body') };
  };
};
