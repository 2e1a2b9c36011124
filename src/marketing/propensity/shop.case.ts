// A seeded synthetic shop for tests that need enough customers to train on (CLI tests).
import { makeEvent, type Event } from '../../core/types.js';
import { Random } from '../../math/random.js';

const DAY = 86_400_000;
/** The synthetic shop's first day; its events span 240 days. */
export const SHOP_START = Date.UTC(2023, 0, 2);

/**
 * A seeded shop of 400 customers who each buy at their own rate (from once a quarter to twice a
 * week) from day `joined` on; some drift away halfway. Enough signal for a propensity model.
 */
export function syntheticShopEvents(seed = 1): { events: Event[]; users: string[] } {
  const rng = new Random(seed);
  const events: Event[] = [];
  const users: string[] = [];
  for (let c = 0; c < 400; c++) {
    const user = `u${String(c).padStart(3, '0')}`;
    users.push(user);
    const perDay = Math.exp(Math.log(1 / 90) + rng.nextFloat() * Math.log(90 / 3.5));
    const joined = Math.floor(rng.nextFloat() * 150);
    const leaves = rng.nextFloat() < 0.3 ? 120 + Math.floor(rng.nextFloat() * 100) : 240;
    for (let d = joined; d < Math.min(240, leaves); d++) {
      if (rng.nextFloat() >= perDay) continue;
      const ts = SHOP_START + d * DAY + Math.floor(rng.nextFloat() * 20) * 3_600_000;
      events.push(makeEvent({ id: `e${events.length}`, type: 'purchase', userId: user, itemId: `i${Math.floor(rng.nextFloat() * 20)}`, orderId: `o${events.length}`, quantity: 1, price: 5 + Math.floor(rng.nextFloat() * 50), timestamp: ts }));
    }
  }
  return { events, users };
}

