/**
 * The ranker's feature scaling: each feature shifted and scaled by the training rows' statistics,
 * which are saved with the model so serving scales exactly as training did.
 */

/**
 * Per-feature standardisation with the training rows' mean and standard deviation; a missing
 * value (NaN) becomes 0, the training mean. Saved with the model.
 */
export class Standardizer {
  constructor(
    readonly mean: Float32Array,
    readonly scale: Float32Array,
  ) {}

  /** Fits on the first `count` rows of `rows` (width = mean.length), ignoring NaN. */
  static fit(rows: Float32Array, count: number, width: number): Standardizer {
    const sum = new Float64Array(width);
    const squares = new Float64Array(width);
    const n = new Float64Array(width);
    for (let r = 0; r < count; r++) {
      for (let j = 0; j < width; j++) {
        const v = rows[r * width + j]!;
        if (v !== v) continue;
        sum[j]! += v;
        squares[j]! += v * v;
        n[j]!++;
      }
    }
    const mean = new Float32Array(width);
    const scale = new Float32Array(width);
    for (let j = 0; j < width; j++) {
      const m = n[j]! > 0 ? sum[j]! / n[j]! : 0;
      const variance = n[j]! > 0 ? squares[j]! / n[j]! - m * m : 0;
      mean[j] = m;
      // A constant feature (no prices at all, say) is left at 0 rather than divided by 0.
      scale[j] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 0;
    }
    return new Standardizer(mean, scale);
  }

  /** Standardises the first `count` rows in place. */
  apply(rows: Float32Array, count: number): void {
    const width = this.mean.length;
    for (let r = 0; r < count; r++) {
      for (let j = 0; j < width; j++) {
        const k = r * width + j;
        const v = rows[k]!;
        rows[k] = v === v ? (v - this.mean[j]!) * this.scale[j]! : 0;
      }
    }
  }
}
