import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { ApplicationError } from '@app/application';
import { ConfigError } from '@app/config';
import { DomainError } from '@app/domain';
import { CorruptStoreError, MissingStoreError } from '@app/event-store';
import { checkCommand } from './check.command';
import { CliError } from './cli-store';
import { importCommand } from './import.command';
import { exportCommand, verifyCommand } from './notification.commands';
import { roundCommand, zoneCommand } from './reference.commands';
import { replayCommand } from './replay.command';
import { tokenCommand } from './token.command';
import { userCommand } from './user.command';

/** Operator and auditor commands (`npm run cli -- <command> --help`). */
const program = new Command('tracker')
  .description('Project lifecycle tracker: operator and auditor commands')
  .addCommand(tokenCommand())
  .addCommand(verifyCommand())
  .addCommand(exportCommand())
  .addCommand(replayCommand())
  .addCommand(zoneCommand())
  .addCommand(roundCommand())
  .addCommand(importCommand())
  .addCommand(userCommand())
  .addCommand(checkCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  // Mistakes in the call or the environment get a message; only real faults a stack trace.
  if (error instanceof CliError || error instanceof InvalidArgumentError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(error instanceof CliError ? error.exitCode : 2);
  }
  if (error instanceof CorruptStoreError || error instanceof MissingStoreError) {
    process.stderr.write(`${error.message}\nrun \`npm run cli -- check\` for every finding\n`);
    process.exit(1);
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof DomainError || error instanceof ApplicationError) {
    process.stderr.write(`refused (${error.code}): ${error.message}\n`);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
