/**
 * Model names → constructors, and the `name:key=value,…` syntax of the command line.
 * Adding a model is one line in {@link MODELS}.
 */
import { MagpieError } from '../core/errors.js';
import { AssociationRules } from './association-rules/index.js';
import { Blend } from './blend/index.js';
import { Bpr } from './bpr/index.js';
import { Content } from './content/index.js';
import { Ease } from './ease/index.js';
import { Gru4rec } from './gru4rec/index.js';
import { Ials } from './ials/index.js';
import { ItemKnn } from './item-knn/index.js';
import { LightGcn } from './lightgcn/index.js';
import { Lowpass } from './lowpass/index.js';
import { Markov } from './markov/index.js';
import { Mf } from './mf/index.js';
import { coerceParamValue } from './params.js';
import { Popularity } from './popularity/index.js';
import { Ranker } from './ranker/index.js';
import { Sar } from './sar/index.js';
import { Sasrec } from './sasrec/index.js';
import { TwoTower } from './two-tower/index.js';
import { UserKnn } from './user-knn/index.js';
import type { Recommender } from './recommender.js';

type ModelFactory = (params: Readonly<Record<string, unknown>>) => Recommender;

const MODELS = {
  popularity: (params) => new Popularity(params),
  'item-knn': (params) => new ItemKnn(params),
  ease: (params) => new Ease(params),
  ials: (params) => new Ials(params),
  bpr: (params) => new Bpr(params),
  mf: (params) => new Mf(params),
  'user-knn': (params) => new UserKnn(params),
  sar: (params) => new Sar(params),
  markov: (params) => new Markov(params),
  'association-rules': (params) => new AssociationRules(params),
  content: (params) => new Content(params),
  blend: (params) => new Blend(params),
  lowpass: (params) => new Lowpass(params),
  sasrec: (params) => new Sasrec(params),
  gru4rec: (params) => new Gru4rec(params),
  'two-tower': (params) => new TwoTower(params),
  lightgcn: (params) => new LightGcn(params),
  ranker: (params) => new Ranker(params),
} satisfies Record<string, ModelFactory>;

/** Every registered model id, as accepted by `--models`. */
export const MODEL_NAMES: readonly string[] = Object.keys(MODELS);

/** A model id with its params, as parsed from `ease:lambda=400`. */
export interface ModelSpec {
  name: string;
  params: Record<string, unknown>;
}

function unknownModel(name: string): MagpieError {
  return new MagpieError('invalid_input', `unknown model "${name}"`, { hint: `valid models: ${MODEL_NAMES.join(', ')}` });
}

/**
 * A fresh, unfitted model. Unknown names and params throw MagpieError('invalid_input') whose hint
 * lists the valid ones.
 *
 * @example
 * const model = createModel('ease', { lambda: 400 });
 */
export function createModel(name: string, params: Readonly<Record<string, unknown>> = {}): Recommender {
  if (!Object.hasOwn(MODELS, name)) throw unknownModel(name);
  return MODELS[name as keyof typeof MODELS](params);
}

/**
 * Parses `name` or `name:key=value,key=value`; numbers and booleans are coerced. The params are
 * checked by building the model once, so a typo fails here rather than after loading data.
 *
 * @example
 * parseModelSpec('ease:lambda=400,binary=true'); // { name: 'ease', params: { lambda: 400, binary: true } }
 */
export function parseModelSpec(spec: string): ModelSpec {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const params: Record<string, unknown> = {};
  if (colon >= 0) {
    for (const part of spec.slice(colon + 1).split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      if (eq <= 0) {
        throw new MagpieError('invalid_input', `bad param "${part}" in model spec "${spec}"`, { hint: 'write params as name:key=value,key=value' });
      }
      params[part.slice(0, eq).trim()] = coerceParamValue(part.slice(eq + 1));
    }
  }
  createModel(name, params);
  return { name, params };
}
