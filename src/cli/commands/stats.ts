import type { Command } from 'commander';
import type { StoreStats } from '../../store/index.js';
import { openStore } from '../../store/index.js';
import { int, isoTime, table } from '../format.js';

/** Prints store counts: users, items, orders, events per type and the time range. */
export function printStats(stats: StoreStats, log: (line: string) => void = console.log): void {
  log(
    table(
      ['what', 'count'],
      [
        ['customers (users)', int(stats.users)],
        ['anonymous sessions', int(stats.anonymousSessions)],
        ['products (items)', int(stats.items)],
        ['orders', int(stats.orders)],
        ['events', int(stats.events)],
        ...Object.entries(stats.eventsByType).map(([type, n]) => [`  ${type}`, int(n ?? 0)]),
      ],
    ),
  );
  log(`Events from ${isoTime(stats.firstEventAt)} to ${isoTime(stats.lastEventAt)}`);
}

/** `magpie stats`. */
export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('counts of users, items, orders and events per type, and the time range')
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { db?: string; json?: boolean }) => {
      const store = await openStore(options.db);
      try {
        const stats = await store.stats();
        if (options.json) console.log(JSON.stringify(stats, null, 2));
        else printStats(stats);
      } finally {
        await store.close();
      }
    });
}

/** `magpie delete-user <id>`. */
export function registerDeleteUser(program: Command): void {
  program
    .command('delete-user')
    .description("remove every trace of a user (profile, events, their sessions' events, orders) for privacy requests")
    .argument('<id>', 'user id')
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .action(async (id: string, options: { db?: string }) => {
      const store = await openStore(options.db);
      try {
        const deleted = await store.deleteUser(id);
        if (deleted.users + deleted.events + deleted.orders === 0) console.log(`No data about user ${id} was stored; nothing to delete.`);
        else console.log(`Deleted user ${id}: ${deleted.users} profile, ${int(deleted.events)} events, ${int(deleted.orders)} orders.`);
      } finally {
        await store.close();
      }
    });
}
