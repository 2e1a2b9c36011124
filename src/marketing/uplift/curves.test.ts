import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../math/random.js';
import { auuc, qini, upliftCurves, upliftDeciles } from './curves.js';

// Six customers worked by hand (see the expected values below).
const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
const t = [1, 0, 1, 0, 1, 0];
const y = [1, 0, 1, 1, 0, 0];

describe('Qini and uplift curves', () => {
  it('match the hand-worked curves, areas and coefficient', () => {
    // Top k: Qini 1, 1, 2, 1, 0.5, 1; uplift curve 0, 2, 3, 2, 5/6, 2.
    const curve = upliftCurves(scores, y, t, 7);
    assert.deepEqual(curve.map((p) => p.fraction), [0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1]);
    const close = (a: number[], b: number[]): void => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-12, `${a} vs ${b}`));
    close(curve.map((p) => p.qini), [0, 1, 1, 2, 1, 0.5, 1]);
    close(curve.map((p) => p.uplift), [0, 0, 2, 3, 2, 5 / 6, 2]);
    close(curve.map((p) => p.randomQini), [0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1]);
    // Area under the Qini curve (x as a share) 6/6 = 1, random 1/2 → 0.5 above random. The perfect
    // ranking (treated responders 0, 2 first; control responder 3 last) has 9.5/6 − 1/2 = 13/12.
    const q = qini(scores, y, t);
    assert.ok(Math.abs(q.area - 0.5) < 1e-12 && Math.abs(q.perfectArea - 13 / 12) < 1e-12);
    assert.ok(Math.abs(q.coefficient - 6 / 13) < 1e-12);
  });

  it('agree with a naive recount at every share targeted, tied scores moving together', () => {
    const rng = new Random(7);
    const n = 300;
    const s = Float64Array.from({ length: n }, () => Math.floor(rng.nextFloat() * 20));
    const tt = Uint8Array.from({ length: n }, () => (rng.nextFloat() < 0.5 ? 1 : 0));
    const yy = Uint8Array.from({ length: n }, (_, i) => (rng.nextFloat() < 0.2 + 0.01 * s[i]! * tt[i]! ? 1 : 0));
    // Curve values at the end of each tie block, recounted from scratch.
    const thresholds = [...new Set(s)].sort((a, b) => b - a);
    const naive = thresholds.map((th) => {
      let nt = 0, nc = 0, rt = 0, rc = 0;
      for (let i = 0; i < n; i++) if (s[i]! >= th) (tt[i] ? (nt++, (rt += yy[i]!)) : (nc++, (rc += yy[i]!)));
      return { k: nt + nc, qini: rt - (nc > 0 ? (rc * nt) / nc : 0), uplift: nt > 0 && nc > 0 ? (rt / nt - rc / nc) * (nt + nc) : 0 };
    });
    const curve = upliftCurves(s, yy, tt, n + 1);
    for (const point of naive) {
      const at = curve[point.k]!;
      assert.ok(Math.abs(at.qini - point.qini) < 1e-9 && Math.abs(at.uplift - point.uplift) < 1e-9, `k=${point.k}`);
    }
    // A constant score is one block: the curve is the random line.
    const flat = qini(new Float64Array(n), yy, tt);
    assert.ok(Math.abs(flat.area) < 1e-12 && Math.abs(auuc(new Float64Array(n), yy, tt).area) < 1e-12);
  });

  it('splits customers into ten equal deciles, highest predicted uplift first', () => {
    const rng = new Random(8);
    const n = 1003;
    const s = Float64Array.from({ length: n }, () => rng.nextFloat());
    const tt = Uint8Array.from({ length: n }, (_, i) => i % 2);
    const yy = Uint8Array.from({ length: n }, (_, i) => (s[i]! > 0.5 && tt[i] ? 1 : 0));
    const deciles = upliftDeciles(s, yy, tt, s);
    assert.equal(deciles.reduce((a, d) => a + d.size, 0), n);
    assert.ok(deciles.every((d) => d.size === 100 || d.size === 101));
    for (let g = 1; g < 10; g++) assert.ok(deciles[g]!.meanPredicted < deciles[g - 1]!.meanPredicted);
    assert.equal(deciles[0]!.controlRate, 0);
    assert.equal(deciles[0]!.treatedRate, 1);
    assert.equal(deciles[9]!.observedUplift, 0);
    assert.equal(deciles[0]!.meanTrue, deciles[0]!.meanPredicted);
  });
});
