/**
 * Candidate lists for shoppers: looked up (or scored) on request, and scored ahead of requests in
 * the background whenever a model version becomes active — recently served shoppers first, then
 * every customer the version was trained on, until the cache is full. The background work runs
 * in slices of a few milliseconds between requests, so serving never waits for more than one.
 */
import type { HistoryEntry } from '../history.js';
import type { LoadedVersion } from '../models/loaded.js';
import type { Target } from '../types.js';
import { sameQuery, scoreCandidates, type CandidateList } from './candidates.js';
import { modelHistory, modelUser, purchasedArray, shopperKey, targetHistory } from './shopper.js';
import type { ServeState } from './state.js';

/** A shopper's candidates, and whether scoring them just now left the full scores in `version.scores`. */
export interface FoundCandidates {
  list: CandidateList;
  fresh: boolean;
}

/**
 * The shopper's candidate list under `version`: the cached one while it was derived from the same
 * history and training row, else scored now (and cached). Null when the version has nothing to
 * score for them (no training row, no history item it knows).
 */
export function candidatesFor(state: ServeState, version: LoadedVersion, target: Target, entries: readonly HistoryEntry[]): FoundCandidates | null {
  const key = shopperKey(target);
  const cached = state.candidates.get(key);
  const versionId = version.info.id;
  const user = modelUser(version, target) ?? -1;
  // The history cache hands out the same array until something changes: nothing to check then.
  if (cached !== undefined && cached.entries === entries && cached.versionId === versionId && cached.user === user) {
    state.candidates.counts.reused++;
    return { list: cached, fresh: false };
  }
  const history = modelHistory(version, entries);
  if (user < 0 && history.length === 0) return null;
  const purchased = purchasedArray(version, user < 0 ? undefined : user, entries);
  if (cached !== undefined && sameQuery(cached, versionId, user, history)) {
    // New events the model does not score by (other items, or types): same candidates, fresh purchases.
    const list = { ...cached, entries, purchased };
    state.candidates.set(key, list);
    state.candidates.counts.reused++;
    return { list, fresh: false };
  }
  const { items, scores, floor } = scoreCandidates(version, { ...(user < 0 ? {} : { user }), ...(history.length === 0 ? {} : { history }) }, state.candidates.size);
  const list: CandidateList = { versionId, user, history: Int32Array.from(history), entries, items, scores, floor, purchased };
  state.candidates.set(key, list);
  state.candidates.counts.scored++;
  return { list, fresh: true };
}

/** The shopper a cache key names (see shopperKey). */
function targetOf(key: string): Target {
  const [userId = '', sessionId = ''] = key.split('\u0002');
  return { ...(userId === '' ? {} : { userId }), ...(sessionId === '' ? {} : { sessionId }) };
}

const yieldToRequests = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Scores candidates in the background for each version that becomes active. */
export class CandidateWarmer {
  private warmedId: string | null = null;
  private run = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Resolves when the current warm-up ends (for tests and benchmarks). */
  done: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly state: ServeState,
    private readonly options: { checkMs?: number; sliceMs?: number } = {},
  ) {}

  /** Warms the active version now and checks for a new one every `checkMs` (default 500 ms). */
  start(): void {
    this.check();
    this.timer = setInterval(() => this.check(), this.options.checkMs ?? 500);
    this.timer.unref();
  }

  /** Stops checking and abandons a warm-up in progress. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.run++;
  }

  /** Starts warming the active version if it is not the one last warmed. */
  check(): void {
    const version = this.state.models.current;
    if (version === null || version.info.id === this.warmedId) return;
    this.warmedId = version.info.id;
    const recent = [...this.state.candidates.keys()].reverse();
    this.state.candidates.keepOnly(version.info.id);
    const run = ++this.run;
    this.done = this.warm(version, recent, run).catch((error: unknown) => {
      this.state.warn(`scoring candidates for model ${version.info.id} in the background stopped`, error);
      return 0;
    });
  }

  private async warm(version: LoadedVersion, recent: readonly string[], run: number): Promise<number> {
    const { candidates } = this.state;
    const sliceMs = this.options.sliceMs ?? 2;
    const live = (): boolean => run === this.run && this.state.models.current === version;
    let warmed = 0;
    let sliceStart = performance.now();
    const one = async (target: Target): Promise<void> => {
      if (candidates.has(shopperKey(target), version.info.id)) return;
      const entries = await targetHistory(this.state, target);
      if (!live()) return;
      if (candidatesFor(this.state, version, target, entries) !== null) warmed++;
      if (performance.now() - sliceStart > sliceMs) {
        await yieldToRequests();
        sliceStart = performance.now();
      }
    };
    await yieldToRequests();
    for (const key of recent) {
      if (!live() || warmed >= candidates.capacity) return warmed;
      await one(targetOf(key));
    }
    for (const userId of version.userIndex.keys()) {
      if (!live() || warmed >= candidates.capacity) return warmed;
      // Anonymous sessions of the training data rarely come back; customers do.
      if (!userId.startsWith('session:')) await one({ userId });
    }
    return warmed;
  }
}
