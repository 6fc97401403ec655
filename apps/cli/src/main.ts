import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError } from '@app/config';
import { exportCommand, verifyCommand } from './notification.commands';
import { replayCommand } from './replay.command';
import { tokenCommand } from './token.command';

/** Operator and auditor commands (`npm run cli -- <command> --help`). */
const program = new Command('tracker')
  .description('Project lifecycle tracker: operator and auditor commands')
  .addCommand(tokenCommand())
  .addCommand(verifyCommand())
  .addCommand(exportCommand())
  .addCommand(replayCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
