/**
 * Saved rule sets, kept in the store's meta table (`serve:rule-set:<name>`, with the list of names
 * under `serve:rule-sets`) so every server process over one database sees the same sets. Reads are
 * cached for `ttlMs`; this process's own writes are visible at once.
 */
import { MagpieError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { RuleSetService, Rules } from '../types.js';
import { parseRules, ruleSetNameSchema } from './schema.js';

const INDEX_KEY = 'serve:rule-sets';
const keyOf = (name: string): string => `serve:rule-set:${name}`;

function checkName(name: string): string {
  const result = ruleSetNameSchema.safeParse(name);
  if (!result.success) {
    throw new MagpieError('invalid_input', `bad rule set name "${name}": ${result.error.issues[0]?.message ?? 'invalid'}`, {
      location: { field: 'ruleSet' },
      hint: 'use a short name such as "homepage" or "black-friday"',
    });
  }
  return result.data;
}

/** {@link RuleSetService} over a store's meta table. */
export class StoredRuleSets implements RuleSetService {
  private readonly cache = new Map<string, { rules: Rules | null; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 5000,
  ) {}

  async list(): Promise<{ name: string; rules: Rules }[]> {
    const out: { name: string; rules: Rules }[] = [];
    for (const name of await this.names()) {
      const rules = await this.get(name);
      if (rules) out.push({ name, rules });
    }
    return out;
  }

  async get(name: string): Promise<Rules | null> {
    checkName(name);
    const hit = this.cache.get(name);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.rules;
    const text = await this.store.getMeta(keyOf(name));
    let rules: Rules | null = null;
    if (text !== null) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed !== null) rules = parseRules(parsed, `ruleSet ${name}`);
      } catch (error) {
        throw new MagpieError('corrupt', `saved rule set "${name}" cannot be read: ${(error as Error).message}`, {
          hint: 'save it again with rules.put',
        });
      }
    }
    this.cache.set(name, { rules, at: Date.now() });
    return rules;
  }

  /** Like {@link get}, but a missing set is a not_found error (for requests naming one). */
  async require(name: string): Promise<Rules> {
    const rules = await this.get(name);
    if (!rules) throw new MagpieError('not_found', `no saved rule set "${name}"`, { location: { field: 'ruleSet' }, hint: 'save it first (PUT the rule set), or leave ruleSet out' });
    return rules;
  }

  async put(name: string, rules: Rules): Promise<void> {
    checkName(name);
    const valid = parseRules(rules);
    await this.store.setMeta(keyOf(name), JSON.stringify(valid));
    const names = await this.names();
    if (!names.includes(name)) await this.store.setMeta(INDEX_KEY, JSON.stringify([...names, name].sort()));
    this.cache.set(name, { rules: valid, at: Date.now() });
  }

  async delete(name: string): Promise<boolean> {
    checkName(name);
    const names = await this.names();
    const existed = names.includes(name);
    if (existed) {
      await this.store.setMeta(INDEX_KEY, JSON.stringify(names.filter((n) => n !== name)));
      // The meta table has no delete; an empty value marks the set as gone.
      await this.store.setMeta(keyOf(name), 'null');
    }
    this.cache.set(name, { rules: null, at: Date.now() });
    return existed;
  }

  private async names(): Promise<string[]> {
    const text = await this.store.getMeta(INDEX_KEY);
    if (text === null) return [];
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string') : [];
  }
}
