// The report's small pure parts, table-driven: number formats, period coverage, the funnel choice,
// weighted retention, chart helpers and the escaping of HTML and embedded JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RetentionRow } from '../analytics/retention.js';
import { chromiumPath } from './browser.case.js';
import { paddedMax, periodDate } from './charts.js';
import { coverageOf, isPartialPeriod } from './define.js';
import { dateTime, days, duration, int, money, pct } from './format.js';
import { dataTable, escapeHtml } from './html.js';
import { embedJson } from './page.js';
import { chooseFunnel, timeUnit } from './sections/funnel.js';
import { weightedRetention } from './sections/retention.js';
import { NotAvailable } from './unavailable.js';

describe('report parts', () => {
  it('formats numbers with units', () => {
    const cases: [string, string][] = [
      [int(1234567.4), '1,234,567'],
      [int(null), '—'],
      [pct(0.12345), '12.3%'],
      [pct(1), '100.0%'],
      [pct(null), '—'],
      [money(1234.5, 'GBP'), '£1,234.50'],
      [money(-3, 'EUR'), '-€3.00'],
      [money(1234.5, null), '1,234.50'],
      [days(21.96), '22.0 days'],
      [duration(42), '42 s'],
      [duration(750), '12.5 min'],
      [duration(3 * 3600), '3.0 h'],
      [duration(2_606_040), '30.2 days'],
      [dateTime(Date.UTC(2011, 11, 9, 12, 50, 33)), '2011-12-09 12:50 UTC'],
    ];
    for (const [actual, expected] of cases) assert.equal(actual, expected);
  });

  it('marks periods the coverage cuts', () => {
    const data = coverageOf({ from: null, to: null }, Date.UTC(2010, 11, 1, 8, 26), Date.UTC(2011, 11, 9, 12, 50));
    assert.deepEqual(data, { start: Date.UTC(2010, 11, 1), end: Date.UTC(2011, 11, 10) });
    assert.equal(isPartialPeriod('2010-12', 'month', data), false, 'the data starts on the 1st');
    assert.equal(isPartialPeriod('2011-11', 'month', data), false);
    assert.equal(isPartialPeriod('2011-12', 'month', data), true, 'the data ends on the 9th');
    assert.equal(isPartialPeriod('2010-11-29', 'week', data), true, 'the week began on Monday 29 November');
    const range = coverageOf({ from: Date.UTC(2011, 1, 1), to: Date.UTC(2011, 2, 1) }, Date.UTC(2011, 1, 3), Date.UTC(2011, 1, 20));
    assert.equal(isPartialPeriod('2011-02', 'month', range), false, 'a range given covers its whole months');
  });

  it('chooses the funnel the data allows', () => {
    assert.deepEqual(chooseFunnel({ eventsByType: { view: 5, add_to_cart: 2, purchase: 1 } }).steps, ['view', 'add_to_cart', 'purchase']);
    const noCart = chooseFunnel({ eventsByType: { view: 5, purchase: 1 } });
    assert.deepEqual([noCart.mode, noCart.steps, noCart.missing], ['events', ['view', 'purchase'], ['add_to_cart']]);
    const orders = chooseFunnel({ eventsByType: { purchase: 9, return: 1 } });
    assert.deepEqual([orders.mode, orders.steps, orders.windowDays], ['orders', ['purchase', 'purchase', 'purchase'], 90]);
    assert.throws(() => chooseFunnel({ eventsByType: { view: 3 } }), (e) => e instanceof NotAvailable && /view events but no add to cart or purchase/.test(e.reason));
    assert.throws(() => chooseFunnel({ eventsByType: { search: 3 } }), NotAvailable);
  });

  it('weights retention by cohort size, over the cohorts old enough', () => {
    const cohorts: RetentionRow[] = [
      { cohort: '2024-01', size: 100, retention: [1, 0.5, 0.2], rollingRetention: [1, 0.6, 0.2] },
      { cohort: '2024-02', size: 300, retention: [1, 0.1], rollingRetention: [1, 0.1] },
      { cohort: '2024-03', size: 50, retention: [1], rollingRetention: [1] },
    ];
    assert.equal(weightedRetention(cohorts, 1), (50 + 30) / 400);
    assert.equal(weightedRetention(cohorts, 2), 0.2);
    assert.equal(weightedRetention(cohorts, 3), null);
    assert.equal(weightedRetention(cohorts, 1, (c) => c.rollingRetention), (60 + 30) / 400);
  });

  it('chart helpers: axis headroom, month dates, time units', () => {
    assert.equal(paddedMax(5915), 7000);
    assert.equal(paddedMax(0.9, 0.2), 2);
    assert.equal(paddedMax(0), 1);
    assert.equal(periodDate('2011-03'), '2011-03-01');
    assert.equal(periodDate('2011-03-07'), '2011-03-07');
    assert.equal(timeUnit(2_606_040).name, 'days');
    assert.equal(timeUnit(5 * 3600).name, 'hours');
    assert.equal(timeUnit(600).name, 'minutes');
  });

  it('without Chromium, the browser check fails saying how to install it', () => {
    assert.throws(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium', PATH: '/nonexistent' }, ['/nonexistent/too']), /apt-get install chromium/);
    assert.equal(chromiumPath({ CHROMIUM_PATH: process.execPath }, []), process.execPath, 'CHROMIUM_PATH is taken when it exists');
  });

  it('escapes text in HTML and keeps embedded JSON from closing its script element', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const table = dataTable('t', 'Caption <1>', [{ header: 'name', cell: (r: string) => r }, { header: 'n', cell: () => '1' }], ['<b>bold</b>']);
    assert.match(table, /<caption>Caption &lt;1&gt;<\/caption>/);
    assert.match(table, /<th scope="row">&lt;b&gt;bold&lt;\/b&gt;<\/th><td class="num">1<\/td>/);
    const json = embedJson({ name: '</script><script>alert(1)</script>', line: 'a\u2028b' });
    assert.ok(!json.includes('</script'));
    assert.deepEqual(JSON.parse(json), { name: '</script><script>alert(1)</script>', line: 'a\u2028b' });
  });
});
