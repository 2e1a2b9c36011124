// A second, naive implementation of the weekly user states for the tests: it walks the events in
// TypeScript, week by week, without the SQL reduction, the period ordinals or tallyActor.
import type { Event } from '../../core/types.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const BROWSE = new Set(['view', 'click', 'search', 'favorite', 'share', 'rate', 'review', 'remove_from_cart']);

/** Midnight of the Monday starting the ISO week of `ts`. */
const monday = (ts: number): number => {
  const midnight = ts - (((ts % DAY) + DAY) % DAY);
  return midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * DAY;
};

/** What the naive walk counts: `counts.get('away>churned')` and so on. */
export interface NaiveStates {
  counts: Map<string, number>;
  visits: Map<string, number>;
  entries: Map<string, number>;
  users: number;
  sessions: number;
}

/** Weekly states of every actor in `events` (all of them in range), churned after `churnAfter` quiet weeks. */
export function naiveWeeklyStates(events: readonly Event[], churnAfter: number): NaiveStates {
  const byActor = new Map<string, Event[]>();
  let end = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.type !== 'purchase' && e.type !== 'add_to_cart' && !BROWSE.has(e.type)) continue;
    const actor = e.userId !== null ? `u:${e.userId}` : e.sessionId !== null ? `s:${e.sessionId}` : null;
    if (actor === null) continue;
    const list = byActor.get(actor);
    if (list) list.push(e);
    else byActor.set(actor, [e]);
    end = Math.max(end, monday(e.timestamp));
  }
  const out: NaiveStates = { counts: new Map(), visits: new Map(), entries: new Map(), users: 0, sessions: 0 };
  const bump = (map: Map<string, number>, key: string): void => void map.set(key, (map.get(key) ?? 0) + 1);
  for (const [actor, list] of byActor) {
    if (actor.startsWith('u:')) out.users++;
    else out.sessions++;
    const start = Math.min(...list.map((e) => monday(e.timestamp)));
    let lastActive = start;
    let previous: string | null = null;
    for (let week = start; week <= end; week += WEEK) {
      const inWeek = list.filter((e) => monday(e.timestamp) === week);
      let state: string;
      if (inWeek.some((e) => e.type === 'purchase')) state = 'purchasing';
      else if (inWeek.some((e) => e.type === 'add_to_cart')) state = 'carting';
      else if (inWeek.length > 0) state = 'browsing';
      else state = Math.round((week - lastActive) / WEEK) >= churnAfter ? 'churned' : 'away';
      if (inWeek.length > 0) lastActive = week;
      bump(out.visits, state);
      if (previous === null) bump(out.entries, state);
      else bump(out.counts, `${previous}>${state}`);
      previous = state;
    }
  }
  return out;
}
