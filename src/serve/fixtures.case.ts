/**
 * A small hand-made shop for the serving tests: three departments whose shoppers buy items in
 * fixed pairs (so co-purchase and similarity have a known answer), plus a few special items
 * (out of stock, hidden, on promotion, rebuyable). Garden events are the most recent, so garden
 * items trend.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEvent, makeItem, type Event, type Item } from '../core/types.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { openEngine, type EngineOptions } from './engine.js';
import { trainVersion } from './models/train.js';

/** Start of the fixture's event times. */
export const BASE = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

const DEPARTMENTS = [
  { prefix: 'k', category: 'Kitchen', brand: (i: number) => (i % 2 ? 'Acme' : 'Zed'), day: 0, sub: (i: number) => (i <= 4 ? 'Mugs' : 'Plates') },
  { prefix: 't', category: 'Toys', brand: () => 'Fun', day: 10, sub: () => 'Games' },
  { prefix: 'g', category: 'Garden', brand: () => 'GreenCo', day: 20, sub: () => 'Tools' },
] as const;

/** The fixture catalogue: k1…k8, t1…t8, g1…g8 and the special items. */
export function shopItems(): Item[] {
  const items: Item[] = [];
  for (const d of DEPARTMENTS) {
    for (let i = 1; i <= 8; i++) {
      items.push(
        makeItem(`${d.prefix}${i}`, {
          title: `${d.category} item ${i}`,
          categories: [d.category, d.sub(i)],
          brand: d.brand(i),
          price: i * 2,
          createdAt: BASE + (d.day + i) * DAY,
        }),
      );
    }
  }
  items.push(makeItem('out1', { title: 'Sold-out mug', categories: ['Kitchen', 'Mugs'], stock: 0, price: 3, createdAt: BASE }));
  items.push(makeItem('hidden1', { title: 'Hidden mug', categories: ['Kitchen', 'Mugs'], hidden: true, price: 3, createdAt: BASE }));
  items.push(makeItem('promo1', { title: 'Promo plate', categories: ['Kitchen', 'Plates'], attributes: { promotion: true }, price: 5, createdAt: BASE }));
  items.push(makeItem('rebuy1', { title: 'Coffee beans', categories: ['Kitchen'], attributes: { rebuyable: true }, price: 9, createdAt: BASE }));
  return items;
}

/**
 * Twelve shoppers per department (`ku0`…, `tu0`…, `gu0`…). Shopper u buys pair p = u mod 4
 * (items 2p+1 and 2p+2, in one order) and views item ((u + 3) mod 8) + 1. Kitchen shoppers also
 * buy the rebuyable beans, and view the sold-out, hidden and promo items.
 */
export function shopEvents(): Event[] {
  const events: Event[] = [];
  let n = 0;
  const add = (fields: Omit<Parameters<typeof makeEvent>[0], 'id'>): void => {
    events.push(makeEvent({ id: `e${n++}`, ...fields }));
  };
  for (const d of DEPARTMENTS) {
    for (let u = 0; u < 12; u++) {
      const userId = `${d.prefix}u${u}`;
      const p = u % 4;
      const t = BASE + (d.day + u * 0.5) * DAY;
      add({ userId, itemId: `${d.prefix}${((u + 3) % 8) + 1}`, type: 'view', timestamp: t });
      for (const i of [2 * p + 1, 2 * p + 2]) add({ userId, itemId: `${d.prefix}${i}`, type: 'purchase', orderId: `o-${userId}`, quantity: 1, timestamp: t + 60_000 });
      if (d.prefix === 'k') {
        add({ userId, itemId: 'rebuy1', type: 'purchase', orderId: `o-${userId}`, quantity: 1, timestamp: t + 60_000 });
        for (const itemId of ['out1', 'hidden1', 'promo1']) add({ userId, itemId, type: 'view', timestamp: t + 120_000 });
      }
    }
  }
  return events;
}

/** A temporary SQLite store filled with the fixture shop, and a models directory beside it. */
export async function shopStore(): Promise<{ store: Store; dir: string; modelsDir: string; url: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-serve-'));
  const url = `sqlite:${join(dir, 'shop.db')}`;
  const store = await openStore(url);
  await store.write({ items: shopItems(), events: shopEvents() });
  return {
    store,
    dir,
    url,
    modelsDir: join(dir, 'models'),
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The fixture shop with a trained, active model (trained on this thread, for speed) and an engine over it. */
export async function shopEngine(options: Partial<EngineOptions> & { spec?: string } = {}) {
  const shop = await shopStore();
  const version = await trainVersion(shop.store, { spec: options.spec ?? 'ease:lambda=5', modelsDir: shop.modelsDir });
  const engine = await openEngine({ store: shop.store, modelsDir: shop.modelsDir, trainOnStart: false, pollMs: 0, logger: { warn() {} }, ...options });
  await engine.models.activate(version.id);
  return {
    ...shop,
    engine,
    version,
    cleanup: async () => {
      await engine.close();
      await shop.cleanup();
    },
  };
}
