/**
 * The {@link ModelService}: versions on disk, the active one in memory, background training,
 * activation by one reference assignment (requests already running keep the version they
 * started with), rollback, deletion and scheduled retraining.
 */
import { join } from 'node:path';
import { MagpieError } from '../../core/errors.js';
import { parseModelSpec } from '../../models/registry.js';
import type { Store } from '../../store/store.js';
import type { Catalog } from '../catalog.js';
import type { ModelService, ModelVersion, TrainingJob } from '../types.js';
import { TrainingJobs } from './jobs.js';
import { LoadedVersion } from './loaded.js';
import { forgetInHistory, readActive, readHistory, writeActive } from './pointer.js';
import { checkVersionId, listVersions, removeVersion } from './versions.js';

const FORGOTTEN_KEY = 'serve:forgotten-users';
/** Versions kept in memory besides the active one (experiment variants, the previous one). */
const KEEP_LOADED = 3;

/** Options of {@link ModelManager}. */
export interface ModelManagerOptions {
  store: Store;
  storeUrl?: string;
  modelsDir: string;
  /** Spec trained when `train()` names none. */
  defaultSpec: string;
  catalog: Catalog;
  warn: (message: string, error?: unknown) => void;
  /** How often to look for a version activated by another process (default 5000 ms; 0 = never). */
  pollMs?: number;
  /** Retrain every this many ms (default never). */
  retrainEveryMs?: number;
}

/** Model versions and the active one. */
export class ModelManager implements ModelService {
  /** The version serving requests; swapped by one assignment. */
  current: LoadedVersion | null = null;
  private readonly loaded = new Map<string, LoadedVersion>();
  private readonly queue: TrainingJobs;
  private readonly timers: NodeJS.Timeout[] = [];
  private forgotten: { id: string; at: string }[] = [];

  constructor(private readonly options: ModelManagerOptions) {
    this.queue = new TrainingJobs({
      store: options.store,
      ...(options.storeUrl === undefined ? {} : { storeUrl: options.storeUrl }),
      modelsDir: options.modelsDir,
      onTrained: async (version, activate) => {
        if (activate) await this.activate(version.id);
      },
    });
  }

  /** Loads the active version named in the store (if any) and starts the timers. */
  async init(): Promise<void> {
    this.forgotten = await this.readForgotten();
    const id = await readActive(this.options.store);
    if (id !== null) {
      try {
        this.swap(await this.load(id));
      } catch (error) {
        this.options.warn(`active model version ${id} could not be loaded; serving fallbacks until another is activated`, error);
      }
    }
    const { pollMs = 5000, retrainEveryMs } = this.options;
    if (pollMs > 0) this.every(pollMs, () => this.follow());
    if (retrainEveryMs !== undefined && retrainEveryMs > 0) {
      this.every(retrainEveryMs, async () => {
        if (!this.queue.busy) this.queue.start(this.options.defaultSpec, true);
      });
    }
  }

  async list(): Promise<ModelVersion[]> {
    const activeId = this.current?.info.id;
    const versions = await listVersions(this.options.modelsDir, (id, error) => this.options.warn(`model version ${id} is unreadable`, error));
    return versions.map((v) => ({ ...v, active: v.id === activeId }));
  }

  active(): ModelVersion | null {
    return this.current ? { ...this.current.info, active: true } : null;
  }

  /** Queues a training job; a spec naming an unknown model or param throws MagpieError('invalid_input') at once. */
  async train(spec?: string, options: { activate?: boolean } = {}): Promise<TrainingJob> {
    const chosen = (spec ?? this.options.defaultSpec).trim() || 'auto';
    if (chosen !== 'auto') parseModelSpec(chosen);
    return this.queue.start(chosen, options.activate ?? true);
  }

  job(id: string): TrainingJob | null {
    return this.queue.get(id);
  }

  jobs(): TrainingJob[] {
    return this.queue.list();
  }

  /** Resolves once queued and running training jobs are finished. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Loads and activates a version; a damaged one throws MagpieError('corrupt') and the active version stays. */
  async activate(versionId: string): Promise<ModelVersion> {
    const version = await this.load(checkVersionId(versionId));
    await writeActive(this.options.store, versionId);
    this.swap(version);
    return this.active()!;
  }

  async rollback(): Promise<ModelVersion> {
    const history = await readHistory(this.options.store);
    const previous = history[history.length - 1];
    if (previous === undefined) {
      throw new MagpieError('conflict', 'there is no previously active model version to roll back to', { hint: 'activate a version by id instead' });
    }
    const version = await this.load(previous);
    await writeActive(this.options.store, previous, { rollback: true });
    this.swap(version);
    return this.active()!;
  }

  async delete(versionId: string): Promise<void> {
    checkVersionId(versionId);
    if (this.current?.info.id === versionId || (await readActive(this.options.store)) === versionId) {
      throw new MagpieError('conflict', `model version ${versionId} is active`, { hint: 'activate another version (or roll back) first' });
    }
    if (!(await removeVersion(this.options.modelsDir, versionId))) {
      throw new MagpieError('not_found', `no model version ${versionId}`, { hint: 'list the versions to see their ids' });
    }
    this.loaded.delete(versionId);
    await forgetInHistory(this.options.store, versionId);
  }

  /** A version for an experiment variant: the active one when it matches, else loaded (and kept) on first use. */
  async versionFor(versionId: string): Promise<LoadedVersion> {
    if (this.current?.info.id === versionId) return this.current;
    const hit = this.loaded.get(versionId);
    if (hit) return hit;
    const version = await this.load(checkVersionId(versionId));
    this.keep(version);
    return version;
  }

  /** Makes every loaded version forget a user, now and whenever a version trained before now is loaded. */
  async forgetUser(userId: string): Promise<void> {
    for (const version of this.loaded.values()) version.forgetUser(userId);
    this.current?.forgetUser(userId);
    this.forgotten = [...this.forgotten.filter((f) => f.id !== userId), { id: userId, at: new Date().toISOString() }];
    await this.options.store.setMeta(FORGOTTEN_KEY, JSON.stringify(this.forgotten));
  }

  /** Stops timers and the training worker. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.queue.close();
  }

  private async load(versionId: string): Promise<LoadedVersion> {
    const version = await LoadedVersion.load(join(this.options.modelsDir, versionId), this.options.catalog);
    for (const f of this.forgotten) if (f.at > version.info.trainedAt) version.forgetUser(f.id);
    return version;
  }

  private swap(version: LoadedVersion): void {
    this.current = version;
    this.keep(version);
  }

  private keep(version: LoadedVersion): void {
    this.loaded.delete(version.info.id);
    this.loaded.set(version.info.id, version);
    for (const id of this.loaded.keys()) {
      if (this.loaded.size <= KEEP_LOADED) break;
      if (id !== this.current?.info.id) this.loaded.delete(id);
    }
  }

  /** Picks up a version another process activated. */
  private async follow(): Promise<void> {
    const id = await readActive(this.options.store);
    if (id === null || id === this.current?.info.id) return;
    try {
      this.swap(await this.load(id));
    } catch (error) {
      this.options.warn(`model version ${id} (activated elsewhere) could not be loaded`, error);
    }
  }

  private async readForgotten(): Promise<{ id: string; at: string }[]> {
    const text = await this.options.store.getMeta(FORGOTTEN_KEY);
    if (text === null) return [];
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? parsed.filter((f): f is { id: string; at: string } => typeof f?.id === 'string' && typeof f?.at === 'string') : [];
    } catch {
      return [];
    }
  }

  private every(ms: number, task: () => Promise<void>): void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      task()
        .catch((error: unknown) => this.options.warn('background model task failed', error))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
