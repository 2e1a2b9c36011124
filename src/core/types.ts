/** Every kind of behaviour a shop can send. Order matters nowhere; weights live in `dataset/`. */
export const EVENT_TYPES = [
  'view',
  'click',
  'add_to_cart',
  'remove_from_cart',
  'purchase',
  'return',
  'rate',
  'favorite',
  'share',
  'review',
  'search',
  'impression',
] as const;

/** One of {@link EVENT_TYPES}. */
export type EventType = (typeof EVENT_TYPES)[number];

/** A JSON object of free-form attributes (strings, numbers, booleans, arrays, nested objects). */
export type Attributes = Record<string, unknown>;

/** A shopper known to the shop. Anonymous visitors have no User, only a session id on their events. */
export interface User {
  id: string;
  attributes: Attributes;
  /** Milliseconds since the epoch. */
  createdAt: number | null;
}

/** A product of the catalog. */
export interface Item {
  id: string;
  title: string | null;
  description: string | null;
  /** Most general first, e.g. ["Home", "Lighting"]. */
  categories: string[];
  brand: string | null;
  price: number | null;
  currency: string | null;
  stock: number | null;
  attributes: Attributes;
  /** Milliseconds since the epoch. */
  createdAt: number | null;
  hidden: boolean;
}

/**
 * One thing a shopper did. `id` is supplied by the client (or derived from stable fields by an
 * importer), so sending the same event twice stores it once.
 * At least one of `userId` and `sessionId` is set; `itemId` is null only for searches and for
 * impressions of a whole list (a recommendation response shown, identified by its `recId`).
 */
export interface Event {
  id: string;
  userId: string | null;
  sessionId: string | null;
  itemId: string | null;
  type: EventType;
  /** Rating value, dwell time, or any numeric payload of the event. */
  value: number | null;
  quantity: number | null;
  /** Unit price paid or shown. */
  price: number | null;
  /** Search query text. */
  query: string | null;
  orderId: string | null;
  /** The recommendation response this event answers, for attribution. */
  recId: string | null;
  /** Milliseconds since the epoch. */
  timestamp: number;
  context: Attributes;
}

/** Status of an order, for the assistant and analytics. */
export type OrderStatus = 'placed' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'returned';

/** One line of an order. */
export interface OrderLine {
  itemId: string;
  quantity: number;
  price: number | null;
}

/** A customer's order. */
export interface Order {
  id: string;
  userId: string | null;
  status: OrderStatus;
  lines: OrderLine[];
  currency: string | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}

/** Creates an Item with empty defaults for every optional field. */
export function makeItem(id: string, fields: Partial<Omit<Item, 'id'>> = {}): Item {
  return {
    id,
    title: null,
    description: null,
    categories: [],
    brand: null,
    price: null,
    currency: null,
    stock: null,
    attributes: {},
    createdAt: null,
    hidden: false,
    ...fields,
  };
}

/** Creates an Event with empty defaults for every optional field. */
export function makeEvent(fields: Pick<Event, 'id' | 'type' | 'timestamp'> & Partial<Event>): Event {
  return {
    userId: null,
    sessionId: null,
    itemId: null,
    value: null,
    quantity: null,
    price: null,
    query: null,
    orderId: null,
    recId: null,
    context: {},
    ...fields,
  };
}

/** Creates a User with empty defaults. */
export function makeUser(id: string, fields: Partial<Omit<User, 'id'>> = {}): User {
  return { id, attributes: {}, createdAt: null, ...fields };
}
