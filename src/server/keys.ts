/**
 * API keys: one admin key from the environment (MAGPIE_API_KEY / --api-key) plus named keys with
 * narrower scopes kept in the store's meta table. Only SHA-256 digests are stored; a secret is
 * shown once, when created. Lookups compare digests in constant time against every key.
 */
import crypto from 'node:crypto';
import { MagpieError } from '../core/errors.js';
import type { Store } from '../store/store.js';

/** What a key may do: read lists and records, write data, administer the engine. */
export type Scope = 'read' | 'write' | 'admin';

/** Every scope, in order. */
export const ALL_SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** A key as listed: never its secret. */
export interface ApiKeyInfo {
  name: string;
  scopes: Scope[];
  /** ISO time. */
  createdAt: string;
}

/** Who a request authenticated as. */
export interface Principal {
  name: string;
  scopes: readonly Scope[];
}

interface StoredKey extends ApiKeyInfo {
  /** SHA-256 of the secret, hex. */
  sha256: string;
}

/** The store meta key holding the stored keys as JSON. */
export const KEYS_META = 'server:api-keys';

/** Name reported for the environment's admin key. */
export const ADMIN_KEY_NAME = 'admin (MAGPIE_API_KEY)';

// Stored keys are re-read this often, so keys made by another server on the same store take effect.
const REFRESH_MS = 5_000;

const digest = (secret: string): Buffer => crypto.createHash('sha256').update(secret, 'utf8').digest();

/** The stored keys and the environment's admin key, with lookup, creation and deletion. */
export class ApiKeys {
  private readonly store: Store;
  private readonly adminDigest: Buffer | null;
  private cache: { keys: StoredKey[]; digests: Buffer[]; at: number } | null = null;
  // Serialises read-modify-write of the meta row within this process.
  private writes: Promise<unknown> = Promise.resolve();

  constructor(store: Store, adminKey?: string) {
    this.store = store;
    this.adminDigest = adminKey ? digest(adminKey) : null;
  }

  /** True when any key exists, i.e. requests must authenticate. */
  async enabled(): Promise<boolean> {
    return this.adminDigest !== null || (await this.load()).keys.length > 0;
  }

  /**
   * The key holding `secret`, or null. Every digest is compared (no early exit), each with
   * `crypto.timingSafeEqual` on equal-length SHA-256 digests, so timing says nothing about which
   * key or how much of it matched.
   */
  async authenticate(secret: string): Promise<Principal | null> {
    const { keys, digests } = await this.load();
    const presented = digest(secret);
    let found: Principal | null = null;
    if (this.adminDigest && crypto.timingSafeEqual(presented, this.adminDigest)) found = { name: ADMIN_KEY_NAME, scopes: ALL_SCOPES };
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (crypto.timingSafeEqual(presented, digests[i]!) && found === null) found = { name: key.name, scopes: key.scopes };
    }
    return found;
  }

  /** Stored keys, by name; never their secrets. */
  async list(): Promise<ApiKeyInfo[]> {
    return (await this.load(true)).keys.map(({ name, scopes, createdAt }) => ({ name, scopes, createdAt }));
  }

  /** Creates a key and returns its secret: the only time it is ever shown. */
  async create(name: string, scopes: readonly Scope[]): Promise<ApiKeyInfo & { secret: string }> {
    return this.modify((keys) => {
      if (keys.some((k) => k.name === name)) {
        throw new MagpieError('conflict', `a key named "${name}" already exists`, { location: { field: 'name' }, hint: 'choose another name, or delete the old key first' });
      }
      const secret = `mgp_${crypto.randomBytes(24).toString('base64url')}`;
      const info: ApiKeyInfo = { name, scopes: ALL_SCOPES.filter((s) => scopes.includes(s)), createdAt: new Date().toISOString() };
      return { keys: [...keys, { ...info, sha256: digest(secret).toString('hex') }].sort((a, b) => a.name.localeCompare(b.name)), result: { ...info, secret } };
    });
  }

  /** Deletes a key; false when there was none of that name. */
  async delete(name: string): Promise<boolean> {
    return this.modify((keys) => {
      const rest = keys.filter((k) => k.name !== name);
      return { keys: rest, result: rest.length !== keys.length };
    });
  }

  private async modify<R>(change: (keys: StoredKey[]) => { keys: StoredKey[]; result: R }): Promise<R> {
    const run = this.writes.then(async () => {
      const { keys, result } = change((await this.load(true)).keys);
      await this.store.setMeta(KEYS_META, JSON.stringify(keys));
      this.cache = null;
      return result;
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async load(fresh = false): Promise<{ keys: StoredKey[]; digests: Buffer[] }> {
    const now = Date.now();
    if (!fresh && this.cache && now - this.cache.at < REFRESH_MS) return this.cache;
    const text = await this.store.getMeta(KEYS_META);
    let keys: StoredKey[] = [];
    if (text) {
      try {
        keys = JSON.parse(text) as StoredKey[];
      } catch (cause) {
        throw new MagpieError('corrupt', `the stored API keys (meta "${KEYS_META}") are not valid JSON`, { cause, hint: 'delete the meta row and create the keys again' });
      }
    }
    const digests = keys.map((k) => Buffer.from(String(k.sha256), 'hex'));
    if (digests.some((d) => d.length !== 32)) {
      throw new MagpieError('corrupt', `a stored API key (meta "${KEYS_META}") has no valid SHA-256 digest`, { hint: 'delete that key and create it again' });
    }
    this.cache = { keys, digests, at: now };
    return this.cache;
  }
}
