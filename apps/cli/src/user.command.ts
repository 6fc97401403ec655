import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '@app/config';
import { AccountError, AccountsStore } from '../../api/src/accounts/accounts-store';
import { ROLES, Role } from '@app/application';
import { cliLogger } from './cli-log';

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `user add <username> --role …`: a console account in DATA_DIR/accounts.sqlite; password on stdin. */
export function userCommand(): Command {
  const user = new Command('user').description('console accounts');
  user
    .command('add <username>')
    .description('add a console account; the password is read from stdin (first line)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, (value) => {
      if (!(ROLES as readonly string[]).includes(value))
        throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
      return value;
    })
    .option('--zones <ids>', 'comma-separated zone ids an officer may act for', list, [])
    .option('--cities <ids>', 'comma-separated city ids an officer may act for', list, [])
    .option('--name <displayName>', 'display name shown in the console and recorded with events')
    .option('--data-dir <dir>', 'where accounts.sqlite lives (default: DATA_DIR)')
    .action(
      async (
        username: string,
        options: { role: Role; zones: string[]; cities: string[]; name?: string; dataDir?: string },
      ): Promise<void> => {
        const config = loadConfig(
          options.dataDir ? { ...process.env, DATA_DIR: options.dataDir } : process.env,
        );
        const { dataDir } = config;
        const password = (await readStdin()).split(/\r?\n/)[0];
        const store = new AccountsStore(dataDir);
        try {
          const account = await store.add(
            {
              username,
              password,
              role: options.role,
              zones: options.zones,
              cities: options.cities,
              displayName: options.name,
            },
            'cli',
            new Date(),
          );
          // The audit entry's line: ids and the role only (no username or display name).
          cliLogger(config).info(
            {
              context: 'Accounts',
              action: 'account-added',
              caller: 'cli',
              accountId: account.id,
              role: account.role,
            },
            'account audit',
          );
          process.stdout.write(
            `added ${account.role} ${account.username} (${account.displayName}) in ${dataDir}\n`,
          );
        } catch (error) {
          if (!(error instanceof AccountError)) throw error;
          process.stderr.write(`user add: ${error.message}\n`);
          process.exitCode = 2;
        } finally {
          store.close();
        }
      },
    );
  return user;
}
