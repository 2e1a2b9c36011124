import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quintileScores, rfmCode, rfmSegment, RFM_SEGMENTS } from './rfm.js';

describe('quintileScores', () => {
  it('gives two each of 1…5 to ten distinct values, in any input order', () => {
    assert.deepEqual([...quintileScores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])], [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert.deepEqual([...quintileScores([100, 10, 50, 60, 20, 90, 30, 80, 40, 70])], [5, 1, 3, 3, 1, 5, 2, 4, 2, 4]);
  });

  it('gives tied values the same score: the band where the tie starts', () => {
    // 1,1,1 have nobody below → 1; 2 has three below → 1 + ⌊15/5⌋ = 4; 5 has four below → 5.
    assert.deepEqual([...quintileScores([1, 2, 1, 5, 1])], [1, 4, 1, 5, 1]);
    assert.deepEqual([...quintileScores([7, 7, 7])], [1, 1, 1]);
    assert.deepEqual([...quintileScores([])], []);
  });

  it('scores 3 values as 1, 2, 4 (⌊5·0/3⌋, ⌊5·1/3⌋, ⌊5·2/3⌋ plus one)', () => {
    assert.deepEqual([...quintileScores([3, 1, 2])], [4, 1, 2]);
  });
});

describe('rfmSegment', () => {
  const cases: [number, number, number, string][] = [
    [5, 5, 5, 'Champions'],
    [4, 4, 4, 'Champions'],
    [5, 3, 5, 'Champions'], // FM 4
    [5, 3, 4, 'Loyal'], // FM 3.5
    [3, 4, 4, 'Loyal'],
    [2, 5, 5, 'At risk'],
    [5, 2, 2, 'Potential loyalist'],
    [4, 3, 2, 'Potential loyalist'], // FM 2.5
    [5, 1, 1, 'New'],
    [5, 1, 2, 'New'], // FM 1.5
    [4, 1, 1, 'Promising'],
    [3, 3, 3, 'Need attention'],
    [3, 2, 2, 'Need attention'],
    [3, 1, 2, 'About to sleep'],
    [2, 3, 3, 'At risk'],
    [1, 3, 4, 'At risk'],
    [1, 5, 4, "Can't lose them"],
    [1, 4, 4, "Can't lose them"],
    [2, 2, 2, 'Hibernating'],
    [2, 1, 1, 'Hibernating'],
    [1, 2, 2, 'Hibernating'],
    [1, 1, 2, 'Lost'],
    [1, 1, 1, 'Lost'],
  ];
  for (const [r, f, m, expected] of cases) it(`R${r} F${f} M${m} → ${expected}`, () => assert.equal(rfmSegment({ r, f, m }), expected));

  it('names all 125 scores, and every name is used by some score', () => {
    const used = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) used.add(rfmSegment({ r, f, m }));
    assert.deepEqual([...used].sort(), [...RFM_SEGMENTS].sort());
  });

  it('writes the code as three digits', () => assert.equal(rfmCode({ r: 5, f: 4, m: 3 }), '543'));
});
