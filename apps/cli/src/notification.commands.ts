import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { isYearMonth } from '@app/domain';
import {
  NotificationContent,
  canonicalJson,
  notificationCsv,
  notificationXlsx,
  readIssuedNotifications,
  readNotificationHistory,
  recordFor,
  verifyNotification,
} from '@app/projections';
import { CliError, withExistingStore } from './cli-store';

const month = (value: string) => {
  if (!isYearMonth(value)) throw new InvalidArgumentError('must be a month YYYY-MM');
  return value;
};

/**
 * For auditors: recompute issued notifications from the log and compare hashes; exit 1 on
 * any mismatch, and when there was nothing to verify.
 */
export function verifyCommand(): Command {
  return new Command('verify')
    .description('verify issued monthly notifications against the event log')
    .option('--month <YYYY-MM>', 'one month', month)
    .option('--all', 'every issued notification')
    .action(async (options: { month?: string; all?: boolean }) => {
      if (!options.month && !options.all) throw new CliError('give --month YYYY-MM or --all');
      const results = await withExistingStore(async (store) => {
        // --all verifies every record, superseded and withdrawn ones too; --month the one in force.
        const records: { month: string; issue?: number }[] = options.all
          ? (await readIssuedNotifications(store)).map(({ month, issue }) => ({ month, issue }))
          : [{ month: options.month as string }];
        return Promise.all(
          records.map(({ month: m, issue }) =>
            verifyNotification(store, m, issue).then((result) => ({ month: m, result })),
          ),
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
      if (results.length === 0) process.stderr.write('nothing to verify: no notification has been issued\n');
      if (failed > 0 || results.length === 0) process.exitCode = 1;
    });
}

export function exportCommand(): Command {
  return new Command('export')
    .description('export an issued monthly notification as JSON (exactly as issued), XLSX or CSV')
    .requiredOption('--month <YYYY-MM>', 'the month', month)
    .option('--format <format>', 'json, xlsx or csv', 'xlsx')
    .requiredOption('--out <file>', 'where to write it')
    .action(async (options: { month: string; format: string; out: string }) => {
      if (!['json', 'xlsx', 'csv'].includes(options.format))
        throw new CliError('format must be json, xlsx or csv');
      const issued = await withExistingStore(async (store) =>
        recordFor(await readNotificationHistory(store), options.month),
      );
      if (!issued) throw new CliError(`no notification has been issued for ${options.month}`, 1);
      const content = issued.content as NotificationContent;
      if (options.format === 'xlsx') writeFileSync(options.out, await notificationXlsx(content));
      else if (options.format === 'csv') writeFileSync(options.out, notificationCsv(content));
      else writeFileSync(options.out, canonicalJson(content));
      process.stdout.write(`wrote ${options.out} (issue ${issued.issue})\n`);
    });
}
