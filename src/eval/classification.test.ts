import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../math/random.js';
import { averagePrecision, brierScore, calibrationBins, expectedCalibrationError, logLoss, prCurve, rocAuc, rocCurve } from './classification.js';

/** Scores with many ties (rounded to 0.1) and labels loosely related to them. */
function sample(n: number, seed: number): { scores: Float64Array; labels: Uint8Array } {
  const rng = new Random(seed);
  const scores = Float64Array.from({ length: n }, () => Math.round(rng.nextFloat() * 10) / 10);
  const labels = Uint8Array.from(scores, (s) => Number(rng.nextFloat() < 0.2 + 0.6 * s));
  return { scores, labels };
}

describe('classifier metrics', () => {
  it('AUC equals the naive count over every positive–negative pair, ties worth one half', () => {
    for (const seed of [1, 2, 3]) {
      const { scores, labels } = sample(300, seed);
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < scores.length; i++) {
        if (labels[i] !== 1) continue;
        for (let j = 0; j < scores.length; j++) {
          if (labels[j] !== 0) continue;
          pairs++;
          wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
        }
      }
      assert.ok(Math.abs(rocAuc(scores, labels) - wins / pairs) < 1e-12);
    }
    assert.equal(rocAuc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]), 0.75);
    assert.ok(Number.isNaN(rocAuc([0.1, 0.2], [1, 1])));
  });

  it('average precision equals Σ (recall gained) × precision at each distinct threshold, counted naively', () => {
    const { scores, labels } = sample(200, 4);
    const positives = labels.reduce((a, b) => a + b, 0);
    const thresholds = [...new Set(scores)].sort((a, b) => b - a);
    let ap = 0;
    let lastRecall = 0;
    for (const t of thresholds) {
      let tp = 0;
      let called = 0;
      for (let i = 0; i < scores.length; i++) {
        if (scores[i]! >= t) {
          called++;
          tp += labels[i]!;
        }
      }
      ap += (tp / positives - lastRecall) * (tp / called);
      lastRecall = tp / positives;
    }
    assert.ok(Math.abs(averagePrecision(scores, labels) - ap) < 1e-12);
    assert.ok(Math.abs(averagePrecision([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]) - (0.5 + 0.5 * (2 / 3))) < 1e-12);
    const curve = prCurve(scores, labels);
    assert.equal(curve.length, thresholds.length);
    assert.equal(curve[curve.length - 1]!.recall, 1);
  });

  it('the ROC curve runs from (0, 0) to (1, 1) and its trapezoids give the AUC', () => {
    const { scores, labels } = sample(150, 5);
    const roc = rocCurve(scores, labels);
    assert.deepEqual([roc[0]!.falsePositiveRate, roc[0]!.truePositiveRate], [0, 0]);
    assert.deepEqual([roc[roc.length - 1]!.falsePositiveRate, roc[roc.length - 1]!.truePositiveRate], [1, 1]);
    let area = 0;
    for (let k = 1; k < roc.length; k++) area += ((roc[k]!.falsePositiveRate - roc[k - 1]!.falsePositiveRate) * (roc[k]!.truePositiveRate + roc[k - 1]!.truePositiveRate)) / 2;
    assert.ok(Math.abs(area - rocAuc(scores, labels)) < 1e-12);
  });

  it('log loss and Brier score on a hand case', () => {
    const p = [0.8, 0.4, 0.1];
    const y = [1, 1, 0];
    assert.ok(Math.abs(logLoss(p, y) - -(Math.log(0.8) + Math.log(0.4) + Math.log(0.9)) / 3) < 1e-12);
    assert.ok(Math.abs(brierScore(p, y) - (0.04 + 0.36 + 0.01) / 3) < 1e-12);
    assert.ok(Number.isFinite(logLoss([0, 1], [1, 0])), 'clipped, not infinite');
  });

  it('calibration bins agree with a naive count per bin', () => {
    const rng = new Random(6);
    const p = Float64Array.from({ length: 1000 }, () => rng.nextFloat());
    p[0] = 1;
    p[1] = 0;
    p[2] = 0.3;
    const y = Uint8Array.from(p, (v) => Number(rng.nextFloat() < v));
    const bins = calibrationBins(p, y);
    assert.equal(bins.length, 10);
    for (let b = 0; b < 10; b++) {
      const members = [...p.keys()].filter((i) => (b === 9 ? p[i]! >= 0.9 : p[i]! >= b / 10 && p[i]! < (b + 1) / 10));
      const bin = bins[b]!;
      assert.equal(bin.count, members.length);
      assert.ok(Math.abs(bin.meanPredicted! - members.reduce((s, i) => s + p[i]!, 0) / members.length) < 1e-12);
      assert.ok(Math.abs(bin.observedRate! - members.reduce((s, i) => s + y[i]!, 0) / members.length) < 1e-12);
    }
    assert.deepEqual(calibrationBins([0.05, 0.15, 0.12], [0, 1, 0])[1], { lower: 0.1, upper: 0.2, count: 2, meanPredicted: 0.135, observedRate: 0.5 });
    assert.equal(calibrationBins([0.5], [1])[0]!.meanPredicted, null);
    // Labels drawn from their own probabilities give a table close to the diagonal; shifted ones do not.
    const big = Float64Array.from({ length: 20_000 }, () => rng.nextFloat());
    const drawn = Uint8Array.from(big, (v) => Number(rng.nextFloat() < v));
    assert.ok(expectedCalibrationError(calibrationBins(big, drawn)) < 0.02);
    const shifted = Uint8Array.from(big, (v) => Number(rng.nextFloat() < v / 2));
    assert.ok(Math.abs(expectedCalibrationError(calibrationBins(big, shifted)) - 0.25) < 0.02);
  });
});
