// Each analysis on the bundled Online Retail sample (Sep–Nov 2011) against a second, naive
// implementation that walks every event in TypeScript, written without the analytics helpers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event } from '../core/types.js';
import type { Store } from '../store/index.js';
import { activeUsers } from './active-users.js';
import { funnel } from './funnel.js';
import { orders } from './orders.js';
import { repeatPurchase } from './repeat-purchase.js';
import { retention } from './retention.js';
import { openSampleStore, allEvents } from '../ingest/sample-store.case.js';

const DAY = 86_400_000;
const month = (ts: number): string => new Date(ts).toISOString().slice(0, 7);
const day = (ts: number): string => new Date(ts).toISOString().slice(0, 10);
/** The Monday of the week: step back (weekday + 6) mod 7 days. */
const week = (ts: number): string => day(ts - ((new Date(ts).getUTCDay() + 6) % 7) * DAY);

function groupBy<T>(values: readonly T[], key: (v: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const v of values) {
    const k = key(v);
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

const close = (actual: number | null | undefined, expected: number, tolerance: number, what: string): void => {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance, `${what}: ${String(actual)} vs ${expected}`);
};

function medianOf(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

describe('analytics on the Online Retail sample, against naive TypeScript', () => {
  let store: Store;
  const events: Event[] = [];
  before(async () => {
    store = await openSampleStore();
    await allEvents(store, events);
  });
  after(async () => {
    await store.close();
  });

  it('monthly active users, new users, anonymous sessions and DAU/MAU', async () => {
    const rows = await activeUsers(store, { by: 'month' });
    const firstSeen = new Map<string, number>();
    for (const e of events) if (e.userId !== null && !firstSeen.has(e.userId)) firstSeen.set(e.userId, e.timestamp);
    const byMonth = groupBy(events, (e) => month(e.timestamp));
    assert.deepEqual(rows.map((r) => r.period), [...byMonth.keys()].sort());
    for (const row of rows) {
      const list = byMonth.get(row.period)!;
      const users = new Set(list.flatMap((e) => (e.userId === null ? [] : [e.userId])));
      const sessions = new Set(list.flatMap((e) => (e.userId === null && e.sessionId !== null ? [e.sessionId] : [])));
      const fresh = [...users].filter((u) => month(firstSeen.get(u)!) === row.period).length;
      const days = [...groupBy(list, (e) => day(e.timestamp)).values()].map((l) => new Set(l.flatMap((e) => (e.userId === null ? [] : [e.userId]))).size);
      assert.equal(row.activeUsers, users.size, row.period);
      assert.equal(row.activeSessions, sessions.size);
      assert.equal(row.events, list.length);
      assert.equal(row.newUsers, fresh);
      close(row.stickiness, days.reduce((a, b) => a + b, 0) / days.length / users.size, 1e-12, `stickiness ${row.period}`);
    }
    assert.ok(rows.length === 3 && rows[0]!.activeUsers > 1000);
  });

  it('weekly orders, units, revenue and returns', async () => {
    const rows = await orders(store, { by: 'week' });
    const byWeek = groupBy(events, (e) => week(e.timestamp));
    assert.deepEqual(rows.map((r) => r.period), [...byWeek.keys()].sort());
    for (const row of rows) {
      const list = byWeek.get(row.period)!;
      const purchases = list.filter((e) => e.type === 'purchase');
      const returns = list.filter((e) => e.type === 'return');
      const value = (l: Event[]): number => l.reduce((s, e) => s + (e.quantity ?? 1) * (e.price ?? 0), 0);
      assert.equal(row.orders, new Set(purchases.map((e) => e.orderId)).size, row.period);
      assert.equal(row.customers, new Set(purchases.flatMap((e) => (e.userId === null ? [] : [e.userId]))).size);
      assert.equal(row.units, purchases.reduce((s, e) => s + (e.quantity ?? 1), 0));
      close(row.revenue, value(purchases), 0.006, `revenue ${row.period}`);
      close(row.returns, value(returns), 0.006, `returns ${row.period}`);
      close(row.averageOrderValue, value(purchases) / row.orders, 0.006, `AOV ${row.period}`);
    }
  });

  it('retention of the first monthly cohort, classic and rolling', async () => {
    const rows = await retention(store, { by: 'month' });
    const activeMonths = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.userId === null) continue;
      let set = activeMonths.get(e.userId);
      if (!set) activeMonths.set(e.userId, (set = new Set()));
      set.add(month(e.timestamp));
    }
    const months = ['2011-09', '2011-10', '2011-11'];
    const cohort = [...activeMonths.values()].filter((s) => [...s].sort()[0] === months[0]);
    const first = rows[0]!;
    assert.equal(first.cohort, months[0]);
    assert.equal(first.size, cohort.length);
    assert.equal(rows.reduce((s, r) => s + r.size, 0), activeMonths.size);
    months.forEach((m, n) => {
      close(first.retention[n], cohort.filter((s) => s.has(m)).length / cohort.length, 1e-12, `classic +${n}`);
      close(first.rollingRetention[n], cohort.filter((s) => months.slice(n).some((later) => s.has(later))).length / cohort.length, 1e-12, `rolling +${n}`);
    });
  });

  it('funnel purchase → return within 30 days', async () => {
    const rows = await funnel(store, { steps: ['purchase', 'return'] });
    const byActor = groupBy(
      events.filter((e) => e.type === 'purchase' || e.type === 'return'),
      (e) => (e.userId === null ? `s:${e.sessionId}` : `u:${e.userId}`),
    );
    let starters = 0;
    const gaps: number[] = [];
    for (const list of byActor.values()) {
      const start = list.filter((e) => e.type === 'purchase').map((e) => e.timestamp).sort((a, b) => a - b)[0];
      if (start === undefined) continue;
      starters++;
      const back = list.filter((e) => e.type === 'return' && e.timestamp > start && e.timestamp - start <= 30 * DAY).map((e) => e.timestamp).sort((a, b) => a - b)[0];
      if (back !== undefined) gaps.push((back - start) / 1000);
    }
    assert.deepEqual(rows.map((r) => r.users), [starters, gaps.length]);
    assert.equal(rows[1]?.medianSecondsFromPrevious, medianOf(gaps));
    assert.ok(gaps.length > 100);
  });

  it('repeat purchase over the whole range', async () => {
    const rows = await repeatPurchase(store, { by: 'month' });
    const orderTimes = new Map<string, Map<string, number>>();
    for (const e of events) {
      if (e.type !== 'purchase' || e.userId === null || e.orderId === null) continue;
      let byOrder = orderTimes.get(e.userId);
      if (!byOrder) orderTimes.set(e.userId, (byOrder = new Map()));
      byOrder.set(e.orderId, Math.min(byOrder.get(e.orderId) ?? Infinity, e.timestamp));
    }
    const gaps: number[] = [];
    for (const byOrder of orderTimes.values()) {
      const times = [...byOrder.values()].sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) gaps.push((times[i]! - times[i - 1]!) / DAY);
    }
    const all = rows[rows.length - 1]!;
    assert.equal(all.period, 'all');
    assert.equal(all.customers, orderTimes.size);
    assert.equal(all.repeatCustomers, [...orderTimes.values()].filter((o) => o.size >= 2).length);
    close(all.medianDaysBetweenOrders, medianOf(gaps), 1e-9, 'median gap');
    close(all.meanDaysBetweenOrders, gaps.reduce((a, b) => a + b, 0) / gaps.length, 1e-9, 'mean gap');
  });
});
