/**
 * The in-memory catalogue the rules read on every request: each item id gets a dense index, and
 * the fields filters and boosts test (hidden, stock, price, category, creation time) sit in typed
 * arrays so a pass over thousands of items costs microseconds. Loaded once at open, kept current
 * by the engine's upserts and deletes. Catalogues too large for memory are a known limit.
 */
import type { Item } from '../core/types.js';
import type { Store } from '../store/store.js';

/** 32-bit FNV-1a of a string; used to remember served items compactly inside cursors. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Dense item indices with the catalogue fields the serving rules need. */
export class Catalog {
  /** External id of each index (items from the catalogue and items only seen in events). */
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  /** The catalogue row of each index, when there is one. */
  readonly rows: (Item | undefined)[] = [];
  /** Names of categories by id; ids are dense. */
  readonly categoryNames: string[] = [];
  private readonly categoryIndex = new Map<string, number>();
  /** Category ids of each item, most general first. */
  readonly categories: (readonly number[])[] = [];
  /** 1 where a catalogue row exists. */
  hasRow = new Uint8Array(64);
  /** 1 where the item is hidden or was deleted: never listed. */
  hidden = new Uint8Array(64);
  /** 1 where stock is unknown or positive. */
  inStock = new Uint8Array(64);
  /** 1 where `attributes.rebuyable === true`: bought items may be shown again. */
  rebuyable = new Uint8Array(64);
  /** Price, NaN when unknown. */
  price = new Float64Array(64);
  /** Creation time (epoch ms), NaN when unknown. */
  createdAt = new Float64Array(64);
  /** First-level category id, -1 when none. */
  firstCategory = new Int32Array(64);
  /** {@link hash32} of each id. */
  idHash = new Uint32Array(64);
  /** Number of catalogue rows (visible or not). */
  rowCount = 0;
  /** Bumped on every change, so caches built from the catalogue know when to refresh. */
  version = 0;

  /** Reads every catalogue row from the store, page by page. */
  static async load(store: Store, pageSize = 5000): Promise<Catalog> {
    const catalog = new Catalog();
    let after: string | undefined;
    for (;;) {
      const page = await store.listItems({ ...(after === undefined ? {} : { after }), limit: pageSize });
      catalog.upsert(page);
      if (page.length < pageSize) return catalog;
      after = page[page.length - 1]!.id;
    }
  }

  /** Number of indices handed out. */
  get size(): number {
    return this.ids.length;
  }

  /** The index of `id`, or -1. */
  indexOf(id: string): number {
    return this.index.get(id) ?? -1;
  }

  /** The index of `id`, assigning one (without a row) on first sight. */
  intern(id: string): number {
    let c = this.index.get(id);
    if (c !== undefined) return c;
    c = this.ids.length;
    if (c === this.hidden.length) this.grow(c * 2);
    this.ids.push(id);
    this.index.set(id, c);
    this.rows.push(undefined);
    this.categories.push([]);
    this.inStock[c] = 1;
    this.price[c] = Number.NaN;
    this.createdAt[c] = Number.NaN;
    this.firstCategory[c] = -1;
    this.idHash[c] = hash32(id);
    this.version++;
    return c;
  }

  /** Adds or replaces catalogue rows. */
  upsert(items: readonly Item[]): void {
    for (const item of items) {
      const c = this.intern(item.id);
      if (!this.hasRow[c]) this.rowCount++;
      this.hasRow[c] = 1;
      this.rows[c] = item;
      this.hidden[c] = item.hidden ? 1 : 0;
      this.inStock[c] = item.stock === null || item.stock > 0 ? 1 : 0;
      this.rebuyable[c] = item.attributes['rebuyable'] === true ? 1 : 0;
      this.price[c] = item.price ?? Number.NaN;
      this.createdAt[c] = item.createdAt ?? Number.NaN;
      const cats = item.categories.map((name) => this.category(name));
      this.categories[c] = cats;
      this.firstCategory[c] = cats[0] ?? -1;
    }
    this.version++;
  }

  /** Hides an item for good (its row was deleted from the store). */
  remove(id: string): void {
    const c = this.intern(id);
    this.hidden[c] = 1;
    this.version++;
  }

  /**
   * Whether an item may appear in a list at all: never when hidden; and once the shop has sent
   * a catalogue, only items that are in it (an id known only from events may be a deleted or
   * never-described product). A shop that sends events only gets every item its events name.
   */
  visible(c: number): boolean {
    return this.hidden[c] === 0 && (this.rowCount === 0 || this.hasRow[c] === 1);
  }

  /** The id of a category name, or -1 when no item has it. */
  categoryId(name: string): number {
    return this.categoryIndex.get(name) ?? -1;
  }

  /** Whether item `c` is in category `category` at any level. */
  inCategory(c: number, category: number): boolean {
    const cats = this.categories[c]!;
    for (let k = 0; k < cats.length; k++) if (cats[k] === category) return true;
    return false;
  }

  /** A title for people: the catalogue title, else the id. */
  title(c: number): string {
    return this.rows[c]?.title ?? this.ids[c]!;
  }

  private category(name: string): number {
    let id = this.categoryIndex.get(name);
    if (id === undefined) {
      id = this.categoryNames.length;
      this.categoryNames.push(name);
      this.categoryIndex.set(name, id);
    }
    return id;
  }

  private grow(size: number): void {
    const grow = <T extends Uint8Array | Float64Array | Int32Array | Uint32Array>(a: T): T => {
      const out = new (a.constructor as new (n: number) => T)(size);
      out.set(a);
      return out;
    };
    this.hasRow = grow(this.hasRow);
    this.hidden = grow(this.hidden);
    this.inStock = grow(this.inStock);
    this.rebuyable = grow(this.rebuyable);
    this.price = grow(this.price);
    this.createdAt = grow(this.createdAt);
    this.firstCategory = grow(this.firstCategory);
    this.idHash = grow(this.idHash);
  }
}
