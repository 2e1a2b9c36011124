import type { Surface } from '../serve/types.js';
import type { Store } from '../store/store.js';
import { resolveOptions, type AnalyticsOptions } from './options.js';
import { num0, periodSql, scopeClause, sqlRunner, type Dialect } from './sql.js';
import { cents, ratio } from './summary.js';

/** The `period` of the rows of {@link recommendationImpact} that cover the whole range. */
export const ALL_PERIODS = 'all';

/** Options of {@link recommendationImpact}; `by` defaults to month. */
export type RecImpactOptions = AnalyticsOptions;

/**
 * What one source of recommendations achieved in one period (or over the whole range). A source is
 * the surface, the model and its version, and the experiment variant that produced a list, taken
 * from the impression's context and, where that is silent, from the recId itself.
 */
export interface RecImpactRow {
  /** `2011-03` / `2011-03-07` by the period the list was shown in, or `'all'`. */
  period: string;
  /** `feed`, `similar`, …; null for recIds Magpie did not make and impressions without a surface. */
  surface: string | null;
  /** The recId's middle part: a model version id, `rules` or `<experiment>:<variant>`; null for foreign recIds. */
  source: string | null;
  /** Model id (`ease`, …); null for rule-based fallbacks and unknown sources. */
  model: string | null;
  modelVersion: string | null;
  experiment: string | null;
  variant: string | null;
  /** Recommendation responses shown: recIds with at least one impression. */
  exposures: number;
  /** Distinct users (or anonymous sessions) shown a response. */
  usersExposed: number;
  /** Click events carrying a recId of this source, whether or not its impression was logged. */
  clicks: number;
  /** Add-to-cart events carrying a recId of this source. */
  addToCarts: number;
  /** Purchase events (order lines) carrying a recId of this source. */
  purchases: number;
  /** Shown responses with at least one click ÷ exposures. */
  clickThroughRate: number | null;
  /** Shown responses with at least one add-to-cart ÷ exposures. */
  addToCartRate: number | null;
  /** Shown responses with at least one purchase ÷ exposures. */
  conversionRate: number | null;
  /** Σ quantity × price of the purchases carrying a recId of this source (a line without quantity counts one unit). */
  revenue: number;
  /** revenue ÷ exposures. */
  revenuePerExposure: number | null;
}

/** Surfaces whose recIds Magpie makes; the compiler keeps this list in step with {@link Surface}. */
const SURFACE_FLAGS: Record<Surface, true> = { feed: true, session: true, similar: true, 'bought-together': true, cart: true, trending: true, latest: true };
const SURFACES = Object.keys(SURFACE_FLAGS);

/**
 * Text of the JSON string or number of `column` at `path` (object keys and array indices); null
 * when missing, JSON null, an object or an array — so a malformed context never becomes a key.
 */
function jsonText(dialect: Dialect, column: string, path: readonly (string | number)[]): string {
  if (dialect === 'sqlite') {
    const at = `'$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}'`;
    return `CASE WHEN json_type(${column}, ${at}) IN ('text', 'integer', 'real') THEN CAST(json_extract(${column}, ${at}) AS TEXT) END`;
  }
  const at = `'{${path.join(',')}}'`;
  return `CASE WHEN jsonb_typeof(${column} #> ${at}) IN ('string', 'number') THEN ${column} #>> ${at} END`;
}

/** The context fields that say where a list came from, in the order of the context key. */
const CONTEXT_FIELDS = ['surface', 'model', 'modelVersion', 'experiment', 'variant'] as const;

/**
 * SQL for an impression's context key: its source fields as one JSON array text. The whole context
 * differs per response (it lists the items shown); the key is the same for every response of a
 * source, so the expensive reading of fields happens once per distinct key, not once per response.
 */
function contextKeySql(dialect: Dialect): string {
  if (dialect === 'sqlite') return `json_extract(context, ${CONTEXT_FIELDS.map((f) => `'$.${f}'`).join(', ')})`;
  return `jsonb_build_array(${CONTEXT_FIELDS.map((f) => `context -> '${f}'`).join(', ')})::text`;
}

/** SQL for a recId up to and including its last dot ('' without a dot): all that parseRecId reads. */
function recPrefixSql(dialect: Dialect, column: string): string {
  // rtrim with every non-dot character of the id strips back to the last dot: "feed.src.k3J" → "feed.src.".
  return dialect === 'sqlite' ? `rtrim(${column}, replace(${column}, '.', ''))` : `COALESCE(substring(${column} from '^(.*\\.)'), '')`;
}

/**
 * SQL for the surface and source of a recId column, as `parseRecId` (serve/rec-id.ts) reads them:
 * `<surface>.<source>.<random>`, surface one of Magpie's, source between the first and the last dot.
 * Anything else (a shop's own ids) gives nulls. The analytics case checks both sides agree.
 */
export function recIdPartsSql(dialect: Dialect, column: string): { surface: string; source: string } {
  const known = SURFACES.map((s) => `'${s}'`).join(', ');
  if (dialect === 'postgres') {
    const surface = `substring(${column} from '^([^.]+)\\..+\\.[^.]*$')`;
    const source = `substring(${column} from '^[^.]+\\.(.+)\\.[^.]*$')`;
    return { surface: `CASE WHEN ${surface} IN (${known}) THEN ${surface} END`, source: `CASE WHEN ${surface} IN (${known}) THEN ${source} END` };
  }
  // rtrim with every non-dot character of the id strips back to the last dot: "feed.src.k3J" → "feed.src.".
  const first = `instr(${column}, '.')`;
  const head = `rtrim(${column}, replace(${column}, '.', ''))`;
  const valid = `${first} > 1 AND length(${head}) > ${first} + 1 AND substr(${column}, 1, ${first} - 1) IN (${known})`;
  return {
    surface: `CASE WHEN ${valid} THEN substr(${column}, 1, ${first} - 1) END`,
    source: `CASE WHEN ${valid} THEN substr(${head}, ${first} + 1, length(${head}) - ${first} - 1) END`,
  };
}

/** SQL for the experiment and variant of a source `<experiment>:<variant>` (split at the first colon), else nulls. */
function experimentSql(dialect: Dialect, source: string): { experiment: string; variant: string } {
  if (dialect === 'postgres') return { experiment: `substring(${source} from '^([^:]+):.+$')`, variant: `substring(${source} from '^[^:]+:(.+)$')` };
  const colon = `instr(${source}, ':')`;
  const valid = `${colon} > 1 AND ${colon} < length(${source})`;
  return { experiment: `CASE WHEN ${valid} THEN substr(${source}, 1, ${colon} - 1) END`, variant: `CASE WHEN ${valid} THEN substr(${source}, ${colon} + 1) END` };
}

/** SQL for the model id of a version id `v<yyyymmddHHMMss>-<model>` (see ModelVersion), else null. */
function modelOfVersionSql(dialect: Dialect, version: string): string {
  if (dialect === 'postgres') return `substring(${version} from '^v[0-9]{14}-(.+)$')`;
  return `CASE WHEN ${version} GLOB 'v${'[0-9]'.repeat(14)}-*' AND length(${version}) > 16 THEN substr(${version}, 17) END`;
}

const KEYS = ['surface', 'source', 'model', 'model_version', 'experiment', 'variant'] as const;

/**
 * Exposures, clicks, add-to-carts, purchases and attributed revenue of recommendations, per source
 * (surface, model and version, experiment variant), over the whole range and per period. Events are
 * attributed through the `recId` they carry; a response belongs to the period (and the range) of
 * its first impression, and everything attributed to it counts there, even when it happened after
 * the end of the range. Rates are per shown response, so feedback on a response whose impression
 * was never logged adds to clicks and revenue but not to the rates.
 *
 * Runs in SQL entirely: one pass folds the events carrying a recId into one row per response, with
 * its recId up to the last dot and its impression's context key (the source fields only); the
 * source is resolved once per distinct (recId prefix, context key) pair — a handful — and joined
 * back; the responses are then grouped by source and period, and by source alone for the whole
 * range, where users exposed must be counted distinct again. Reading the context fields per
 * response instead cost five times the rest of the query. TypeScript only derives the ratios and
 * rounds money.
 *
 * @example
 * const rows = await recommendationImpact(store, { by: 'week' });
 * rows[0]; // { period: 'all', surface: 'feed', model: 'ease', exposures: 1_200, clickThroughRate: 0.081, revenuePerExposure: 0.42, … }
 */
export async function recommendationImpact(store: Store, options: RecImpactOptions = {}): Promise<RecImpactRow[]> {
  const resolved = resolveOptions(options, 'month');
  const sql = sqlRunner(store);
  const d = sql.dialect;
  // The segment applies to the events; the range applies to when each response was shown, below.
  const scope = scopeClause(d, { ...resolved, from: null, to: null });
  const range: string[] = [];
  const rangeParams: number[] = [];
  if (resolved.from !== null) {
    range.push('r.shown_at >= ?');
    rangeParams.push(resolved.from);
  }
  if (resolved.to !== null) {
    range.push('r.shown_at < ?');
    rangeParams.push(resolved.to);
  }
  const count = (type: string): string => `SUM(CASE WHEN type = '${type}' THEN 1 ELSE 0 END)`;
  // The context key as JSON: SQLite reads the text, PostgreSQL needs it cast back to jsonb.
  const ctx = d === 'sqlite' ? `NULLIF(ctx, '')` : `(NULLIF(ctx, '')::jsonb)`;
  const field = (name: (typeof CONTEXT_FIELDS)[number], sub?: string): string => jsonText(d, ctx, sub ? [CONTEXT_FIELDS.indexOf(name), sub] : [CONTEXT_FIELDS.indexOf(name)]);
  const parts = recIdPartsSql(d, `(prefix || 'x')`);
  const exp = experimentSql(d, 'source');
  const shown = 'CASE WHEN impressions > 0 THEN 1 ELSE 0 END';
  const aggregates = `SUM(shown) AS exposures, COUNT(DISTINCT viewer) AS users, SUM(clicks) AS clicks, SUM(carts) AS carts, SUM(purchases) AS purchases,
       SUM(shown * clicked) AS clicked, SUM(shown * carted) AS carted, SUM(shown * bought) AS bought, SUM(revenue) AS revenue`;
  const keys = KEYS.join(', ');
  const rows = await sql.all(
    `WITH r AS MATERIALIZED (
       SELECT ${recPrefixSql(d, 'rec_id')} AS prefix,
         COALESCE(MAX(CASE WHEN type = 'impression' THEN ${contextKeySql(d)} END), '') AS ctx,
         COALESCE(MIN(CASE WHEN type = 'impression' THEN ts END), MIN(ts)) AS shown_at,
         ${count('impression')} AS impressions,
         MIN(CASE WHEN type = 'impression' THEN COALESCE('u:' || user_id, 's:' || session_id) END) AS viewer,
         ${count('click')} AS clicks, ${count('add_to_cart')} AS carts, ${count('purchase')} AS purchases,
         SUM(CASE WHEN type = 'purchase' THEN COALESCE(quantity, 1) * COALESCE(price, 0) ELSE 0 END) AS revenue
       FROM events WHERE rec_id IS NOT NULL AND ${scope.sql}
       GROUP BY rec_id
     ),
     sources AS MATERIALIZED (
       SELECT prefix, ctx, surface, source, model_version, model, experiment, variant,
         DENSE_RANK() OVER (ORDER BY surface, source, model, model_version, experiment, variant) AS sid
       FROM (
         SELECT prefix, ctx, surface, source, model_version, COALESCE(ctx_model, ${modelOfVersionSql(d, 'model_version')}) AS model, experiment, variant
         FROM (
           SELECT prefix, ctx, COALESCE(ctx_surface, rec_surface) AS surface, source, ctx_model,
             COALESCE(ctx_version, CASE WHEN source <> 'rules' AND ${exp.experiment} IS NULL THEN source END) AS model_version,
             COALESCE(ctx_experiment, ${exp.experiment}) AS experiment, COALESCE(ctx_variant, ${exp.variant}) AS variant
           FROM (
             SELECT prefix, ctx, ${parts.surface} AS rec_surface, ${parts.source} AS source,
               ${field('surface')} AS ctx_surface, ${field('model')} AS ctx_model, ${field('modelVersion')} AS ctx_version,
               COALESCE(${field('experiment')}, ${field('experiment', 'name')}) AS ctx_experiment,
               COALESCE(${field('variant')}, ${field('experiment', 'variant')}) AS ctx_variant
             FROM (SELECT DISTINCT prefix, ctx FROM r) AS pairs
           ) AS parsed
         ) AS resolved
       ) AS ranked
     ),
     responses AS MATERIALIZED (
       SELECT ${periodSql(d, resolved.by, 'r.shown_at')} AS period, s.sid, ${shown} AS shown, r.viewer, r.clicks, r.carts, r.purchases,
         CASE WHEN r.clicks > 0 THEN 1 ELSE 0 END AS clicked, CASE WHEN r.carts > 0 THEN 1 ELSE 0 END AS carted,
         CASE WHEN r.purchases > 0 THEN 1 ELSE 0 END AS bought, r.revenue
       FROM r JOIN sources s ON s.prefix = r.prefix AND s.ctx = r.ctx
       WHERE ${range.length > 0 ? range.join(' AND ') : '1 = 1'}
     ),
     totals AS (
       SELECT '${ALL_PERIODS}' AS period, sid, ${aggregates} FROM responses GROUP BY sid
       UNION ALL
       SELECT period, sid, ${aggregates} FROM responses GROUP BY period, sid
     )
     -- Sources are grouped by a small integer, not six text columns; their names join back on the few totals.
     SELECT t.*, ${KEYS.map((k) => `k.${k}`).join(', ')}
     FROM totals t JOIN (SELECT DISTINCT sid, ${keys} FROM sources) AS k ON k.sid = t.sid`,
    [...scope.params, ...rangeParams],
  );
  return rows.map(toRow).sort(compareRows);
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function toRow(r: Record<string, unknown>): RecImpactRow {
  const exposures = num0(r.exposures);
  const revenue = num0(r.revenue);
  const perExposure = ratio(revenue, exposures);
  return {
    period: String(r.period),
    surface: text(r.surface),
    source: text(r.source),
    model: text(r.model),
    modelVersion: text(r.model_version),
    experiment: text(r.experiment),
    variant: text(r.variant),
    exposures,
    usersExposed: num0(r.users),
    clicks: num0(r.clicks),
    addToCarts: num0(r.carts),
    purchases: num0(r.purchases),
    clickThroughRate: ratio(num0(r.clicked), exposures),
    addToCartRate: ratio(num0(r.carted), exposures),
    conversionRate: ratio(num0(r.bought), exposures),
    revenue: cents(revenue),
    revenuePerExposure: perExposure === null ? null : cents(perExposure),
  };
}

const keyText = (r: RecImpactRow): string => [r.surface, r.source, r.model, r.modelVersion, r.experiment, r.variant].map((v) => v ?? '').join('\u0001');

/** The whole range first, then periods in order; within one, most exposures first, then by source for a stable order. */
function compareRows(a: RecImpactRow, b: RecImpactRow): number {
  const pa = a.period === ALL_PERIODS ? '' : a.period;
  const pb = b.period === ALL_PERIODS ? '' : b.period;
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.exposures !== b.exposures) return b.exposures - a.exposures;
  const ka = keyText(a);
  const kb = keyText(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
