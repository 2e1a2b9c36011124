/**
 * Gorse feedback types are free-form strings chosen by each shop ("star", "like", "read", …);
 * Magpie's event types are a fixed list that the dataset weights understand. The original
 * Gorse type is always kept in `context.gorseType`, so a feedback reads back exactly as sent.
 */
import type { EventType } from '../../core/types.js';
import type { Event } from '../../core/types.js';

const GORSE_TO_MAGPIE: Readonly<Record<string, EventType>> = {
  read: 'view',
  view: 'view',
  watch: 'view',
  visit: 'view',
  click: 'click',
  star: 'favorite',
  like: 'favorite',
  love: 'favorite',
  favorite: 'favorite',
  favourite: 'favorite',
  bookmark: 'favorite',
  save: 'favorite',
  wishlist: 'favorite',
  cart: 'add_to_cart',
  add_to_cart: 'add_to_cart',
  'add-to-cart': 'add_to_cart',
  addtocart: 'add_to_cart',
  basket: 'add_to_cart',
  remove_from_cart: 'remove_from_cart',
  purchase: 'purchase',
  buy: 'purchase',
  order: 'purchase',
  checkout: 'purchase',
  transaction: 'purchase',
  return: 'return',
  rate: 'rate',
  rating: 'rate',
  share: 'share',
  review: 'review',
  comment: 'review',
  impression: 'impression',
};

/**
 * The Magpie event type a Gorse feedback type is stored as; unknown types are stored as `view`
 * (the weakest positive signal), their name kept in `context.gorseType`.
 *
 * @example
 * magpieEventType('star'); // 'favorite'
 * magpieEventType('upvote'); // 'view'
 */
export function magpieEventType(gorseType: string): EventType {
  return GORSE_TO_MAGPIE[gorseType.toLowerCase()] ?? 'view';
}

/** The Gorse feedback type an event reads back as: the type it was sent with, else its Magpie type. */
export function gorseFeedbackType(event: Pick<Event, 'type' | 'context'>): string {
  const original = event.context['gorseType'];
  return typeof original === 'string' && original !== '' ? original : event.type;
}

/** Event types that say the shopper did not want the item; they never seed session recommendations. */
export const NEGATIVE_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>(['return', 'remove_from_cart', 'impression']);
