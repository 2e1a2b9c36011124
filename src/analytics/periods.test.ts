import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { fillPeriods, labelRange, nextLabel, parseTime, periodIndex, periodLabel } from './periods.js';
import { median, mean, ratio } from './summary.js';

describe('periods', () => {
  it('labels days, ISO weeks (by their Monday) and months in UTC', () => {
    // Sunday 2021-01-03 23:59:59.999 still belongs to the week of Monday 2020-12-28; a millisecond later it is 2021-01-04.
    const sunday = Date.UTC(2021, 0, 3, 23, 59, 59, 999);
    assert.equal(periodLabel(sunday, 'week'), '2020-12-28');
    assert.equal(periodLabel(sunday + 1, 'week'), '2021-01-04');
    assert.equal(periodLabel(sunday, 'day'), '2021-01-03');
    assert.equal(periodLabel(sunday, 'month'), '2021-01');
    assert.equal(periodLabel(Date.UTC(2024, 1, 29, 12), 'month'), '2024-02');
  });

  it('numbers consecutive periods one apart, across years and leap days', () => {
    assert.equal(periodIndex('2011-01', 'month') - periodIndex('2010-12', 'month'), 1);
    assert.equal(periodIndex('2021-01-04', 'week') - periodIndex('2020-12-28', 'week'), 1);
    assert.equal(periodIndex('2024-03-01', 'day') - periodIndex('2024-02-28', 'day'), 2);
    assert.equal(nextLabel('2011-12', 'month'), '2012-01');
    assert.equal(nextLabel('2024-02-26', 'week'), '2024-03-04');
    assert.deepEqual(labelRange('2011-11', '2012-02', 'month'), ['2011-11', '2011-12', '2012-01', '2012-02']);
    assert.deepEqual(labelRange('2012-02', '2011-11', 'month'), []);
  });

  it('fills the periods missing between the first and the last row', () => {
    const rows = [{ period: '2011-01', n: 3 }, { period: '2011-04', n: 1 }];
    assert.deepEqual(fillPeriods(rows, 'month', (period) => ({ period, n: 0 })).map((r) => [r.period, r.n]), [['2011-01', 3], ['2011-02', 0], ['2011-03', 0], ['2011-04', 1]]);
    assert.deepEqual(fillPeriods([], 'month', (period) => ({ period })), []);
  });

  it('parses the dates the CLI accepts, in UTC, and names the bad field', () => {
    assert.equal(parseTime('2011-03', 'from'), Date.UTC(2011, 2, 1));
    assert.equal(parseTime('2011', 'from'), Date.UTC(2011, 0, 1));
    assert.equal(parseTime('2011-03-07', 'from'), Date.UTC(2011, 2, 7));
    assert.equal(parseTime('2011-03-07 10:30', 'from'), Date.UTC(2011, 2, 7, 10, 30));
    assert.equal(parseTime('2011-03-07T10:30:00+01:00', 'from'), Date.UTC(2011, 2, 7, 9, 30));
    assert.equal(parseTime(1_300_000_000_000, 'from'), 1_300_000_000_000);
    assert.throws(() => parseTime('March', 'to'), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'to');
  });
});

describe('summary', () => {
  it('medians, means and ratios are null where undefined', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), null);
    assert.equal(mean([1, 2, 6]), 3);
    assert.equal(mean([]), null);
    assert.equal(ratio(1, 4), 0.25);
    assert.equal(ratio(1, 0), null);
  });
});
