/**
 * Explanations for people: why an item is in a list, in a sentence naming the items or category
 * behind it ("Because you viewed Red Mug", "Often bought with Blue Plate", "Trending in Lighting").
 */
import type { EventType } from '../core/types.js';
import type { Catalog } from './catalog.js';
import type { Explanation } from './types.js';

const VERBS: Partial<Record<EventType, string>> = {
  view: 'viewed',
  click: 'viewed',
  purchase: 'bought',
  rate: 'rated',
  review: 'reviewed',
  favorite: 'liked',
  share: 'shared',
};

/** "Because you viewed <title>" for the history item behind a recommendation. */
export function becauseOf(catalog: Catalog, item: number, type: EventType): Explanation {
  const title = catalog.title(item);
  const text = type === 'add_to_cart' ? `Because you added ${title} to your cart` : `Because you ${VERBS[type] ?? 'viewed'} ${title}`;
  return { kind: 'history', text, itemIds: [catalog.ids[item]!] };
}

/** For a personal list whose reason cannot be pinned on one item. */
export function basedOnActivity(): Explanation {
  return { kind: 'history', text: 'Based on your activity', itemIds: [] };
}

/** "Similar to <title>". */
export function similarTo(catalog: Catalog, item: number): Explanation {
  return { kind: 'similar', text: `Similar to ${catalog.title(item)}`, itemIds: [catalog.ids[item]!] };
}

/** "Often bought with <title>". */
export function boughtWith(catalog: Catalog, item: number): Explanation {
  return { kind: 'bought-together', text: `Often bought with ${catalog.title(item)}`, itemIds: [catalog.ids[item]!] };
}

/** "Goes with <title> in your cart". */
export function goesWithCart(catalog: Catalog, item: number): Explanation {
  return { kind: 'cart', text: `Goes with ${catalog.title(item)} in your cart`, itemIds: [catalog.ids[item]!] };
}

/** "Trending in <category>", or "Trending now" without one. */
export function trendingIn(catalog: Catalog, category: number): Explanation {
  const name = category >= 0 ? catalog.categoryNames[category] : undefined;
  return { kind: 'trending', text: name ? `Trending in ${name}` : 'Trending now', itemIds: [] };
}

/** "New in <category>", or "New arrival" without one. */
export function newIn(catalog: Catalog, category: number): Explanation {
  const name = category >= 0 ? catalog.categoryNames[category] : undefined;
  return { kind: 'latest', text: name ? `New in ${name}` : 'New arrival', itemIds: [] };
}

/** A pinned item. */
export function featured(): Explanation {
  return { kind: 'pinned', text: 'Featured', itemIds: [] };
}
