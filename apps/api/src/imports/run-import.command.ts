import { Command } from '@nestjs/cqrs';
import { Caller } from '@app/application';
import { ImportFile, ImportSummary } from '@app/import';

/** Import one spreadsheet for a caller, dispatched through the CommandBus. */
export class RunImportCommand extends Command<ImportSummary> {
  constructor(
    readonly file: ImportFile,
    readonly caller: Caller,
    readonly dryRun: boolean,
  ) {
    super();
  }
}
