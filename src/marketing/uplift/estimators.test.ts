// Uplift estimators on a seeded synthetic experiment whose effect per customer is known: treatment
// adds 0.3 where x2 > 0.2, takes 0.1 away where x2 < −0.6, adds 0.05 elsewhere when x3 > 0.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { upliftAnalysis, type UpliftResult } from './analysis.js';
import { fitUplift } from './estimators.js';
import { syntheticExperiment } from './synthetic.js';

describe('uplift estimators on a synthetic experiment with known effects', () => {
  let result: UpliftResult;
  before(() => {
    result = upliftAnalysis(syntheticExperiment({ n: 8000, seed: 1 }), { seed: 2 });
  });

  it('rank held-out customers far better than random, close to the true ranking', () => {
    assert.equal(result.estimators.length, 4);
    const oracle = result.oracle!.qini.coefficient;
    assert.ok(Math.abs(result.random.qini.coefficient) < 0.03, `random ${result.random.qini.coefficient}`);
    for (const e of result.estimators) {
      const label = `${e.method}/${e.learner}`;
      assert.ok(e.qini.coefficient > 0.1, `${label} Qini ${e.qini.coefficient}`);
      assert.ok(e.qini.coefficient > 0.75 * oracle, `${label} Qini ${e.qini.coefficient} vs oracle ${oracle}`);
      assert.ok(e.auuc.coefficient > 0.35, `${label} AUUC ${e.auuc.coefficient}`);
      assert.ok(e.trueRankCorrelation! > 0.7, `${label} rank correlation ${e.trueRankCorrelation}`);
    }
  });

  it('recover who responds: true uplift falls from the top decile to the bottom, and changes sign', () => {
    for (const e of result.estimators) {
      const label = `${e.method}/${e.learner}`;
      const truth = e.deciles.map((d) => d.meanTrue!);
      assert.ok(truth[0]! > 0.25 && truth[1]! > 0.25, `${label}: ${truth}`);
      assert.ok(truth[9]! < 0, `${label}: the bottom decile holds the customers the treatment hurts (${truth[9]})`);
      // 40% of customers gain 0.3: the top four deciles, ideally. Past the sixth, none should be left.
      for (let g = 6; g < 10; g++) assert.ok(truth[g]! < 0.1, `${label} decile ${g + 1}: ${truth[g]}`);
      const mean = (list: number[]): number => list.reduce((a, b) => a + b, 0) / list.length;
      assert.ok(mean(truth.slice(0, 4)) - mean(truth.slice(6)) > 0.25, `${label}: ${truth}`);
      // What the held-out customers did agrees: the top decile's observed effect beats the bottom's.
      assert.ok(e.deciles[0]!.observedUplift! > 0.2 && e.deciles[9]!.observedUplift! < 0.05, label);
    }
  });

  it('refuses the class transformation on an unbalanced experiment', () => {
    const unbalanced = syntheticExperiment({ n: 2000, seed: 3, treatedShare: 0.7 });
    assert.throws(() => fitUplift('class-transformation', 'lr', unbalanced), (error) => isMagpieError(error, 'invalid_input') && /50\/50/.test(error.message));
    const model = fitUplift('t-learner', 'lr', unbalanced);
    assert.equal(model.predict(unbalanced.x).length, 2000);
  });
});
