import { existsSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import { MagpieError } from '../core/errors.js';
import { makeEvent, makeItem, type Item } from '../core/types.js';
import { isGzip, lineBatches, openTextInput } from './text-input.js';
import type { Source, SourceRecord } from './types.js';

/**
 * Time given to ratings of a file without timestamps (the ml-1m copy in ../shared has none):
 * 2000-01-01T00:00:00Z plus one second per line, so file order is kept and re-imports give the
 * same ids. Time-based protocols (leave-last-out, temporal) mean nothing on such data.
 */
export const SYNTHETIC_EPOCH = Date.UTC(2000, 0, 1);

const ML100K_GENRES = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy', 'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'];

function readMaybeGzip(path: string): string {
  const raw = readFileSync(path);
  return (isGzip(path) ? gunzipSync(raw) : raw).toString('latin1');
}

/** Titles and genres of ML-100K's `u.item` (pipe-separated, latin-1). */
function readUItem(path: string): Map<string, Item> {
  const items = new Map<string, Item>();
  for (const line of readMaybeGzip(path).split('\n')) {
    if (line.trim() === '') continue;
    const f = line.split('|');
    const id = f[0]!;
    const genres = ML100K_GENRES.filter((_, g) => f[5 + g] === '1');
    items.set(id, makeItem(id, { title: f[1] ?? null, categories: genres, attributes: f[2] ? { released: f[2] } : {} }));
  }
  return items;
}

/** Titles and genres of ML-1M's `movies.dat` (`id::title::Genre|Genre`, latin-1). */
function readMoviesDat(path: string): Map<string, Item> {
  const items = new Map<string, Item>();
  for (const line of readMaybeGzip(path).split('\n')) {
    if (line.trim() === '') continue;
    const [id, title, genres] = line.split('::');
    if (!id) continue;
    items.set(id, makeItem(id, { title: title ?? null, categories: genres ? genres.trim().split('|') : [] }));
  }
  return items;
}

function findRatings(path: string): { ratings: string; folder: string } {
  if (!existsSync(path)) throw new MagpieError('not_found', `no MovieLens data at ${path}`, { hint: 'give a folder with u.data (ML-100K) or ratings.dat, or the ratings file itself' });
  if (statSync(path).isDirectory()) {
    for (const name of ['u.data', 'ratings.dat', 'ratings.dat.gz', 'ratings_no_timestamp.dat.gz', 'ratings_no_timestamp.dat']) {
      if (existsSync(join(path, name))) return { ratings: join(path, name), folder: path };
    }
    throw new MagpieError('not_found', `the folder ${path} has no MovieLens ratings file`, { hint: 'expected u.data (ML-100K) or ratings.dat (ML-1M)' });
  }
  return { ratings: path, folder: dirname(path) };
}

/**
 * Reads MovieLens ratings as `rate` events with the rating as value: ML-100K (`u.data`,
 * tab-separated with unix-second times; titles and genres from `u.item`) or the ML-1M `::` format
 * (`ratings.dat`, gzip accepted; titles and genres from `movies.dat` beside it). Lines without a
 * timestamp get {@link SYNTHETIC_EPOCH} + line number seconds. Event ids are `ml:<user>:<item>`.
 */
export function movielensSource(path: string): Source {
  const { ratings, folder } = findRatings(path);
  const input = openTextInput(ratings, 'latin1');
  const catalog = existsSync(join(folder, 'u.item')) ? readUItem(join(folder, 'u.item')) : existsSync(join(folder, 'movies.dat')) ? readMoviesDat(join(folder, 'movies.dat')) : new Map<string, Item>();
  const notes: string[] = [];
  if (catalog.size === 0) notes.push(`no u.item or movies.dat beside ${basename(ratings)}: items get no titles or genres`);
  return {
    format: 'movielens',
    path: ratings,
    totalBytes: input.totalBytes,
    bytesRead: input.bytesRead,
    notes,
    async *records(): AsyncIterable<SourceRecord[]> {
      let line = 0;
      let untimed = 0;
      const seenItems = new Set<string>();
      for await (const texts of lineBatches(input)) {
        const out: SourceRecord[] = [];
        for (const text of texts) {
          line++;
          const record = parseLine(text);
          if (record) out.push(record);
        }
        yield out;
      }
      function parseLine(text: string): SourceRecord | null {
        if (text.trim() === '') return null;
        const f = text.includes('::') ? text.split('::') : text.split('\t');
        if (f.length < 3) {
          return { line, rejected: 'expected user, item, rating[, timestamp]', detail: JSON.stringify(text.slice(0, 80)) };
        }
        const [user, item, ratingText, timeText] = f as [string, string, string, string | undefined];
        const rating = Number(ratingText);
        if (user.trim() === '' || item.trim() === '' || !Number.isFinite(rating)) {
          return { line, rejected: 'bad user, item or rating', detail: JSON.stringify(text.slice(0, 80)) };
        }
        let timestamp: number;
        if (timeText !== undefined && timeText.trim() !== '') {
          const seconds = Number(timeText);
          if (!Number.isFinite(seconds)) {
            return { line, rejected: 'timestamp is not a number', detail: JSON.stringify(timeText) };
          }
          timestamp = seconds * 1000;
        } else {
          untimed++;
          timestamp = SYNTHETIC_EPOCH + line * 1000;
        }
        const record: SourceRecord = {
          line,
          event: makeEvent({ id: `ml:${user}:${item}`, type: 'rate', userId: user, itemId: item, value: rating, timestamp }),
        };
        if (!seenItems.has(item)) {
          seenItems.add(item);
          record.item = catalog.get(item) ?? makeItem(item);
        }
        if (untimed === 1 && timeText === undefined) {
          notes.push(`${basename(ratings)} has no timestamps: ratings get 2000-01-01T00:00:00Z + line number seconds (file order); time-based protocols mean nothing on it`);
        }
        return record;
      }
    },
  };
}
