/**
 * A model version in memory, ready to serve: the model, its id maps, the mapping between model
 * item indices and catalogue indices, and reusable score buffers (scoring is synchronous, so one
 * buffer per version is never shared by two requests at once).
 */
import { join } from 'node:path';
import { MagpieError, isMagpieError } from '../../core/errors.js';
import { createModel } from '../../models/registry.js';
import type { Recommender } from '../../models/recommender.js';
import type { Catalog } from '../catalog.js';
import type { ModelVersion } from '../types.js';
import { loadServingData, type Lists, type ServingData } from './serving-data.js';
import { readVersionIds, readVersionInfo } from './versions.js';

/** A loaded model version. */
export class LoadedVersion {
  /** Model index of each user id still served (deleted users are removed). */
  readonly userIndex: Map<string, number>;
  /** Model index of each item id. */
  readonly itemIndex: Map<string, number>;
  /** Catalogue index of each model item. */
  readonly modelToCat: Int32Array;
  /** Scores of the current request (model item space). */
  readonly scores: Float32Array;
  /** Scores for explanations, apart from {@link scores}. */
  readonly explainScores: Float32Array;
  private catToModelMap = new Int32Array(0);

  private constructor(
    readonly info: ModelVersion,
    readonly model: Recommender,
    readonly itemIds: readonly string[],
    userIds: readonly string[],
    readonly serving: ServingData,
    private readonly catalog: Catalog,
  ) {
    this.userIndex = new Map(userIds.map((id, u) => [id, u]));
    this.itemIndex = new Map(itemIds.map((id, m) => [id, m]));
    this.modelToCat = Int32Array.from(itemIds, (id) => catalog.intern(id));
    this.scores = new Float32Array(itemIds.length);
    this.explainScores = new Float32Array(itemIds.length);
  }

  /**
   * Loads `modelsDir/<id>`. Throws MagpieError('not_found') when it does not exist and
   * MagpieError('corrupt') when any part is damaged or does not fit the rest.
   */
  static async load(dir: string, catalog: Catalog): Promise<LoadedVersion> {
    const info = await readVersionInfo(dir);
    const ids = await readVersionIds(dir, info);
    let model: Recommender;
    try {
      model = createModel(info.model, info.params);
    } catch (error) {
      throw new MagpieError('corrupt', `model version at ${dir} names model "${info.model}" with params it does not accept: ${(error as Error).message}`, {
        hint: 'delete this version and train a new one',
      });
    }
    try {
      await model.load(join(dir, 'model'));
    } catch (error) {
      if (isMagpieError(error, 'not_found')) throw new MagpieError('corrupt', `model version at ${dir} has no model files`, { hint: 'delete this version and train a new one' });
      throw error;
    }
    // A model whose size disagrees with ids.json fails here, not on the first request.
    try {
      model.scoreItems({}, new Float32Array(ids.items.length));
    } catch (error) {
      throw new MagpieError('corrupt', `model version at ${dir} does not match its ids: ${(error as Error).message}`, {
        hint: 'delete this version and train a new one',
      });
    }
    const serving = await loadServingData(join(dir, 'serving'), ids.users.length, ids.items.length);
    return new LoadedVersion(info, model, ids.items, ids.users, serving, catalog);
  }

  /** Model index of each catalogue index (-1 for items the model does not know). */
  catToModel(): Int32Array {
    if (this.catToModelMap.length < this.catalog.size) {
      const map = new Int32Array(Math.max(this.catalog.size, this.catToModelMap.length * 2)).fill(-1);
      for (let m = 0; m < this.modelToCat.length; m++) map[this.modelToCat[m]!] = m;
      this.catToModelMap = map;
    }
    return this.catToModelMap;
  }

  /** Row `row` of CSR lists as [from, to) offsets. */
  static row(lists: Lists, row: number): [number, number] {
    return [lists.indptr[row]!, lists.indptr[row + 1]!];
  }

  /** Never again uses the training row of this user (privacy deletion). */
  forgetUser(userId: string): void {
    this.userIndex.delete(userId);
  }
}
