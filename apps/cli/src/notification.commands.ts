import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '@app/config';
import { isYearMonth } from '@app/domain';
import { EventStore, openEventStore } from '@app/event-store';
import {
  NotificationContent,
  canonicalJson,
  notificationCsv,
  notificationXlsx,
  readIssuedNotifications,
  verifyNotification,
} from '@app/projections';

const month = (value: string) => {
  if (!isYearMonth(value)) throw new InvalidArgumentError('must be a month YYYY-MM');
  return value;
};

async function withStore<T>(work: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await openEventStore(loadConfig());
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** For auditors: recompute issued notifications from the log and compare hashes; exit 1 on any mismatch. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('verify issued monthly notifications against the event log')
    .option('--month <YYYY-MM>', 'one month', month)
    .option('--all', 'every issued notification')
    .action(async (options: { month?: string; all?: boolean }) => {
      if (!options.month && !options.all) throw new InvalidArgumentError('give --month YYYY-MM or --all');
      const results = await withStore(async (store) => {
        const months = options.all
          ? (await readIssuedNotifications(store)).map((n) => n.month)
          : [options.month as string];
        return Promise.all(
          months.map((m) => verifyNotification(store, m).then((result) => ({ month: m, result }))),
        );
      });
      let failed = 0;
      for (const { month: m, result } of results) {
        if (!result) {
          failed++;
          process.stdout.write(`${m}  NOT ISSUED\n`);
          continue;
        }
        if (!result.matches) failed++;
        process.stdout.write(
          `${m}  issue ${result.issue}  ${result.matches ? 'MATCHES' : 'DOES NOT MATCH'}  issued ${result.issuedHash}  ` +
            `recomputed ${result.recomputedHash}  stored ${result.storedContentHash}\n`,
        );
      }
      process.stdout.write(`${results.length - failed} verified, ${failed} failed\n`);
      if (failed > 0) process.exitCode = 1;
    });
}

export function exportCommand(): Command {
  return new Command('export')
    .description('export an issued monthly notification as JSON (exactly as issued), XLSX or CSV')
    .requiredOption('--month <YYYY-MM>', 'the month', month)
    .option('--format <format>', 'json, xlsx or csv', 'xlsx')
    .requiredOption('--out <file>', 'where to write it')
    .action(async (options: { month: string; format: string; out: string }) => {
      const issued = await withStore(async (store) =>
        (await readIssuedNotifications(store)).find((n) => n.month === options.month),
      );
      if (!issued) throw new InvalidArgumentError(`no notification has been issued for ${options.month}`);
      const content = issued.content as NotificationContent;
      if (options.format === 'xlsx') writeFileSync(options.out, await notificationXlsx(content));
      else if (options.format === 'csv') writeFileSync(options.out, notificationCsv(content));
      else if (options.format === 'json') writeFileSync(options.out, canonicalJson(content));
      else throw new InvalidArgumentError('format must be json, xlsx or csv');
      process.stdout.write(`wrote ${options.out} (issue ${issued.issue})\n`);
    });
}
