import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csrFromTriples, nnz, transpose } from './csr.js';

describe('csrFromTriples', () => {
  it('sorts columns within rows and sums repeated entries', () => {
    const m = csrFromTriples(3, 4, Int32Array.of(2, 0, 0, 2, 0), Int32Array.of(1, 3, 0, 1, 3), Float32Array.of(1, 2, 3, 4, 5));
    assert.deepEqual([...m.indptr], [0, 2, 2, 3]);
    assert.deepEqual([...m.indices], [0, 3, 1]);
    assert.deepEqual([...m.data], [3, 7, 5]);
    assert.equal(nnz(m), 3);
  });

  it('transposes', () => {
    const m = csrFromTriples(2, 3, Int32Array.of(0, 0, 1), Int32Array.of(0, 2, 2), Float32Array.of(1, 2, 3));
    const t = transpose(m);
    assert.equal(t.rows, 3);
    assert.deepEqual([...t.indptr], [0, 1, 1, 3]);
    assert.deepEqual([...t.indices], [0, 0, 1]);
    assert.deepEqual([...t.data], [1, 2, 3]);
  });
});
