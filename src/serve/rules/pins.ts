import type { Catalog } from '../catalog.js';
import { Tier, type RankedList } from '../recommend/ranked.js';

/**
 * Places pinned items at their positions (0-based, on the first page), whatever their rank; a
 * pinned item is removed from where the model put it, so it never shows twice. Hidden or unknown
 * pinned items are skipped: a pin is the shop's choice, so it bypasses the other filters, but a
 * hidden item is never shown.
 *
 * @example
 * applyPins(list, [{ itemId: 'promo-1', position: 0 }], catalog).items[0] === catalog.indexOf('promo-1'); // true
 */
export function applyPins(list: RankedList, pinned: readonly { itemId: string; position: number }[] | undefined, catalog: Catalog): RankedList {
  if (!pinned || pinned.length === 0) return list;
  const pins = pinned
    .map((p) => ({ c: catalog.indexOf(p.itemId), position: p.position }))
    .filter((p) => p.c >= 0 && catalog.visible(p.c))
    .sort((a, b) => a.position - b.position);
  if (pins.length === 0) return list;
  const pinnedSet = new Set(pins.map((p) => p.c));
  const out: RankedList = { items: [], scores: [], tiers: [], exhausted: list.exhausted };
  for (let k = 0; k < list.items.length; k++) {
    if (pinnedSet.has(list.items[k]!)) continue;
    out.items.push(list.items[k]!);
    out.scores.push(list.scores[k]!);
    out.tiers.push(list.tiers[k]!);
  }
  for (const pin of pins) {
    if (out.items.includes(pin.c)) continue;
    const at = Math.min(pin.position, out.items.length);
    // The pin takes the score of the item it displaces, so scores still read top-down.
    const score = out.scores[at] ?? out.scores[at - 1] ?? 0;
    out.items.splice(at, 0, pin.c);
    out.scores.splice(at, 0, score);
    out.tiers.splice(at, 0, Tier.pinned);
  }
  return out;
}
