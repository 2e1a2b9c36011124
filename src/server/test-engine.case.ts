// A small but real Engine for the route tests, over a real store: every list is popularity from
// the stored events (purchases weigh 3, carts 2, other events 1), with the request's filters,
// page size and cursor applied; models, rule sets and experiments are kept in memory. Tests that
// need a controlled failure replace one method.
import { MagpieError } from '../core/errors.js';
import { parseEvent, type EventInput } from '../core/schemas.js';
import type { EventType } from '../core/types.js';
import { makeRecId } from '../serve/rec-id.js';
import type { Engine, Experiment, ListRequest, ModelVersion, RecommendationList, Rules, Surface, TrainingJob, Target } from '../serve/types.js';
import type { Store } from '../store/store.js';

const WEIGHT: Partial<Record<EventType, number>> = { purchase: 3, add_to_cart: 2, impression: 0, remove_from_cart: 0, return: 0 };

/** A test engine over `store`; its lists are popularity, its model versions are snapshots of the counts. */
export function testEngine(store: Store): Engine & { versions: ModelVersion[] } {
  const versions: ModelVersion[] = [];
  const jobs = new Map<string, TrainingJob>();
  const ruleSets = new Map<string, Rules>();
  const experiments = new Map<string, Experiment>();
  let active: string | null = null;
  let previous: string | null = null;

  async function popularity(): Promise<Map<string, number>> {
    const scores = new Map<string, number>();
    for (const e of await store.events()) if (e.itemId) scores.set(e.itemId, (scores.get(e.itemId) ?? 0) + (WEIGHT[e.type] ?? 1));
    return scores;
  }

  async function list(surface: Surface, request: ListRequest = {}, exclude: string[] = [], category?: string): Promise<RecommendationList> {
    const saved = request.ruleSet ? ruleSets.get(request.ruleSet) : undefined;
    if (request.ruleSet && !saved) throw new MagpieError('not_found', `no rule set "${request.ruleSet}"`, { location: { field: 'ruleSet' } });
    const filters = { ...saved?.filters, ...request.rules?.filters };
    const scores = await popularity();
    const items = await store.getItems([...scores.keys()]);
    const skip = new Set([...exclude, ...(filters.excludeItems ?? [])]);
    const ranked = [...scores]
      .filter(([id]) => {
        const item = items.get(id);
        if (!item || item.hidden || skip.has(id)) return false;
        if (category && !item.categories.includes(category)) return false;
        if (filters.categories && !filters.categories.some((c) => item.categories.includes(c))) return false;
        if (filters.brands && !filters.brands.includes(item.brand ?? '')) return false;
        if (filters.priceMin !== undefined && (item.price ?? -Infinity) < filters.priceMin) return false;
        if (filters.priceMax !== undefined && (item.price ?? Infinity) > filters.priceMax) return false;
        return filters.inStock === false || item.stock === null || item.stock > 0;
      })
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const n = request.n ?? 10;
    const start = request.cursor ? Number(request.cursor) : 0;
    const page = ranked.slice(start, start + n);
    const version = versions.find((v) => v.id === active) ?? null;
    return {
      recId: makeRecId(surface, version?.id ?? 'rules'),
      surface,
      model: version?.model ?? null,
      modelVersion: version?.id ?? null,
      experiment: null,
      fallback: version ? null : 'trending',
      items: page.map(([itemId, score]) => ({
        itemId,
        score,
        ...(request.explain ? { explanation: { kind: 'popular' as const, text: `Popular: ${score} weighted events`, itemIds: [] } } : {}),
        ...(request.includeItems ? { item: items.get(itemId)! } : {}),
      })),
      nextCursor: start + n < ranked.length ? String(start + n) : null,
    };
  }

  async function history(target: Target): Promise<string[]> {
    const events = [...(target.userId ? await store.eventsByUser(target.userId) : []), ...(target.sessionId ? await store.eventsBySession(target.sessionId) : [])];
    return events.flatMap((e) => (e.itemId ? [e.itemId] : []));
  }

  function version(id: string): ModelVersion {
    const found = versions.find((v) => v.id === id);
    if (!found) throw new MagpieError('not_found', `no model version "${id}"`, { location: { field: 'version' } });
    return found;
  }

  function activate(id: string): ModelVersion {
    const found = version(id);
    if (active !== id) [previous, active] = [active, id];
    for (const v of versions) v.active = v.id === active;
    return found;
  }

  const engine: Engine & { versions: ModelVersion[] } = {
    store,
    versions,
    recommendations: {
      feed: async (target, request) => list('feed', request, await history(target)),
      session: async (sessionId, request) => list('session', request, await history({ sessionId })),
      similar: async (itemId, request) => {
        if (!(await store.getItem(itemId))) throw new MagpieError('not_found', `no item "${itemId}"`, { location: { field: 'id' } });
        return list('similar', request, [itemId]);
      },
      boughtTogether: async (itemId, request) => list('bought-together', request, [itemId]),
      cart: async (itemIds, _target, request) => list('cart', request, itemIds),
      trending: async (options, request) => list('trending', request, [], options?.category),
      latest: async (options, request) => list('latest', request, [], options?.category),
    },
    models: {
      list: async () => [...versions].reverse(),
      active: () => versions.find((v) => v.id === active) ?? null,
      async train(spec = 'popularity', options = {}) {
        const job: TrainingJob = { id: `job-${jobs.size + 1}`, status: 'running', model: spec.split(':')[0]!, params: {}, startedAt: new Date().toISOString(), finishedAt: null, progress: 0, version: null, error: null };
        jobs.set(job.id, job);
        const stats = await store.stats();
        setImmediate(() => {
          const id = `v${String(versions.length + 1).padStart(14, '0')}-${job.model}`;
          versions.push({ id, model: job.model, params: {}, trainedAt: new Date().toISOString(), trainSeconds: 0, users: stats.users, items: stats.items, events: stats.events, metrics: null, active: false });
          Object.assign(job, { status: 'done', finishedAt: new Date().toISOString(), progress: 1, version: id });
          if (options.activate) activate(id);
        });
        return { ...job };
      },
      job: (id) => jobs.get(id) ?? null,
      jobs: () => [...jobs.values()],
      activate: async (id) => activate(id),
      async rollback() {
        if (!previous) throw new MagpieError('conflict', 'no previous version to roll back to');
        return activate(previous);
      },
      async delete(id) {
        if (version(id).active) throw new MagpieError('conflict', `version "${id}" is active`, { hint: 'activate another version first' });
        versions.splice(versions.findIndex((v) => v.id === id), 1);
      },
    },
    rules: {
      list: async () => [...ruleSets].map(([name, rules]) => ({ name, rules })),
      get: async (name) => ruleSets.get(name) ?? null,
      put: async (name, rules) => void ruleSets.set(name, rules),
      delete: async (name) => ruleSets.delete(name),
    },
    experiments: {
      list: async () => [...experiments.values()],
      get: async (name) => experiments.get(name) ?? null,
      async create(input) {
        if (experiments.has(input.name)) throw new MagpieError('conflict', `experiment "${input.name}" exists`);
        const experiment: Experiment = { ...input, status: 'running', startedAt: new Date().toISOString(), stoppedAt: null };
        experiments.set(input.name, experiment);
        return experiment;
      },
      async stop(name) {
        const found = experiments.get(name);
        if (!found) throw new MagpieError('not_found', `no experiment "${name}"`);
        return Object.assign(found, { status: 'stopped' as const, stoppedAt: new Date().toISOString() });
      },
      assign: () => null,
      async report(name) {
        const experiment = experiments.get(name);
        if (!experiment) throw new MagpieError('not_found', `no experiment "${name}"`);
        const zero = { value: 0, low: 0, high: 0 };
        const variants = experiment.variants.map((v, i) => ({
          variant: v.name, users: 0, exposures: 0, clicks: 0, addToCarts: 0, conversions: 0, revenue: 0, clickRate: zero, conversionRate: zero, revenuePerUser: zero,
          versusControl: i === 0 ? null : { conversionLift: 0, conversionPValue: 1, revenuePerUserDiff: 0, revenuePValue: 1, significant: false },
        }));
        return { experiment, variants, note: 'no exposures yet' };
      },
    },
    async ingest(inputs: EventInput[]) {
      const events = inputs.map((input, i) => parseEvent(input, { field: `events[${i}]` }));
      const result = await store.write({ events });
      return { stored: result.events, duplicates: result.duplicateEvents, ids: events.map((e) => e.id) };
    },
    upsertItems: async (items) => (await store.write({ items })).items,
    deleteItem: (id) => store.deleteItem(id),
    upsertUsers: async (users) => (await store.write({ users })).users,
    deleteUser: (id) => store.deleteUser(id),
    userEvents: (id, options) => store.eventsByUser(id, { order: 'desc', limit: options?.limit ?? 100 }),
    // As openEngine's: the store is the caller's to close.
    close: async () => undefined,
  };
  return engine;
}
