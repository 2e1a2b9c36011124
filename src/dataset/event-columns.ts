/**
 * Growable per-event columns used while reading events, before pairing and filtering: the
 * builder's scratch space, kept apart so `build.ts` reads as the pipeline it is.
 */

/** Interns strings to dense indices in first-seen order. */
export class Interner {
  readonly ids: string[] = [];
  readonly index = new Map<string, number>();
  private lastId: string | null = null;
  private lastIndex = -1;

  /** The index of `id`, assigning the next free one on first sight. */
  intern(id: string): number {
    // Event streams often repeat the previous id (a user's session, an order's lines).
    if (id === this.lastId) return this.lastIndex;
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.index.set(id, i);
      this.ids.push(id);
    }
    this.lastId = id;
    this.lastIndex = i;
    return i;
  }
}

/** The accepted events as columns (indices into the interners), in log order. */
export interface RawEvents {
  readonly length: number;
  readonly user: Int32Array;
  readonly item: Int32Array;
  /** Weight after decay; mutable so decay can apply in place. */
  readonly weight: Float64Array;
  /** The rating of `rate` events, NaN otherwise. */
  readonly rating: Float32Array;
  readonly time: Float64Array;
  /** Index into EVENT_TYPES. */
  readonly type: Uint8Array;
  /** Basket key of purchases (order, or user and session), -1 otherwise. */
  readonly basket: Int32Array;
  readonly users: Interner;
  readonly items: Interner;
  readonly baskets: Interner;
}

/** Per-event columns, grown by doubling so a million events cost a handful of allocations. */
export class EventColumns {
  length = 0;
  user = new Int32Array(1024);
  item = new Int32Array(1024);
  weight = new Float64Array(1024);
  rating = new Float32Array(1024);
  time = new Float64Array(1024);
  type = new Uint8Array(1024);
  basket = new Int32Array(1024);
  readonly users = new Interner();
  readonly items = new Interner();
  readonly baskets = new Interner();

  /** Appends one event's values. */
  push(user: number, item: number, weight: number, rating: number, time: number, type: number, basket: number): void {
    if (this.length === this.user.length) this.grow();
    const k = this.length++;
    this.user[k] = user;
    this.item[k] = item;
    this.weight[k] = weight;
    this.rating[k] = rating;
    this.time[k] = time;
    this.type[k] = type;
    this.basket[k] = basket;
  }

  /** The columns trimmed to the events pushed. */
  finish(): RawEvents {
    const n = this.length;
    return {
      length: n,
      user: this.user.subarray(0, n),
      item: this.item.subarray(0, n),
      weight: this.weight.subarray(0, n),
      rating: this.rating.subarray(0, n),
      time: this.time.subarray(0, n),
      type: this.type.subarray(0, n),
      basket: this.basket.subarray(0, n),
      users: this.users,
      items: this.items,
      baskets: this.baskets,
    };
  }

  private grow(): void {
    const size = this.user.length * 2;
    this.user = resized(this.user, size);
    this.item = resized(this.item, size);
    this.weight = resized(this.weight, size);
    this.rating = resized(this.rating, size);
    this.time = resized(this.time, size);
    this.type = resized(this.type, size);
    this.basket = resized(this.basket, size);
  }
}

function resized<T extends Int32Array | Float64Array | Float32Array | Uint8Array>(values: T, size: number): T {
  const out = new (values.constructor as new (n: number) => T)(size);
  out.set(values);
  return out;
}
