// A small shop for the two-tower tests: three product topics whose titles share words, shoppers
// who each stay within one topic, so what an item is (its words and category) predicts who buys it.
import { makeItem, type Item } from '../../core/types.js';
import type { Dataset } from '../../dataset/types.js';
import { Random } from '../../math/random.js';
import { datasetFromTriples, type Triple } from '../fixtures.case.js';

/** Each topic: its category and the words its titles are made of. */
export const TOPICS = [
  { category: 'Kitchen', words: ['ceramic', 'coffee', 'mug', 'teapot', 'saucer', 'espresso'] },
  { category: 'Clothing', words: ['wool', 'scarf', 'knitted', 'winter', 'mittens', 'beanie'] },
  { category: 'Lighting', words: ['lamp', 'shade', 'bulb', 'desk', 'lantern', 'candle'] },
] as const;

const COLOURS = ['red', 'blue', 'green', 'white', 'black', 'pink'];

/** `perTopic` items per topic (item i is in topic i mod 3) and `users` shoppers (user u in topic u mod 3). */
export function topicShop(options: { users: number; perTopic: number; perUser: number; seed: number }): Dataset {
  const random = new Random(options.seed);
  const items = TOPICS.length * options.perTopic;
  const catalog = new Map<number, Item>();
  for (let i = 0; i < items; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const words = [topic.words[random.nextInt(6)]!, topic.words[random.nextInt(6)]!, COLOURS[random.nextInt(6)]!];
    catalog.set(i, makeItem(`i${i}`, { title: words.join(' '), categories: [topic.category], price: 2 + random.nextInt(20) }));
  }
  const triples: Triple[] = [];
  for (let u = 0; u < options.users; u++) {
    const topic = u % TOPICS.length;
    const seen = new Set<number>();
    while (seen.size < options.perUser) seen.add(topic + TOPICS.length * random.nextInt(options.perTopic));
    [...seen].forEach((item, t) => triples.push([u, item, 1, t]));
  }
  return datasetFromTriples(options.users, items, triples, catalog);
}
