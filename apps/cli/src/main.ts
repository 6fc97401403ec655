import 'reflect-metadata';
import { Command } from 'commander';
import { ApplicationError } from '@app/application';
import { ConfigError } from '@app/config';
import { DomainError } from '@app/domain';
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
  .addCommand(userCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`configuration error: ${error.message}`);
  else if (error instanceof DomainError || error instanceof ApplicationError)
    console.error(`refused (${error.code}): ${error.message}`);
  else console.error(error);
  process.exit(1);
});
