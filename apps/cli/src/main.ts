import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '@app/config';
import { tokenCommand } from './token.command';

/** Operator and auditor commands (`npm run cli -- <command> --help`). */
const program = new Command('tracker')
  .description('Project lifecycle tracker: operator and auditor commands')
  .addCommand(tokenCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
