import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { TrackerCommands } from '@app/application';
import { EventStore } from '@app/event-store';
import { ImportSummary, runImport } from '@app/import';
import { ProjectionsService } from '../projections/projections.service';
import { RunImportCommand } from './run-import.command';

@CommandHandler(RunImportCommand)
export class RunImportHandler implements ICommandHandler<RunImportCommand, ImportSummary> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    // The projects endpoints' own command path: an import row is decided as their writes are.
    private readonly commands: TrackerCommands,
    private readonly projections: ProjectionsService,
  ) {}

  execute({ file, caller, dryRun }: RunImportCommand): Promise<ImportSummary> {
    return runImport(
      file,
      {
        commands: this.commands,
        store: this.store,
        caller,
        // The read model's list maps a zone name to its id; the zone itself is read from its stream.
        zones: async () => this.projections.zones(),
        // The project endpoints' duplicate check: the same explicit read-model query.
        possibleDuplicatesOf: (candidate) => this.projections.possibleDuplicatesOf(candidate),
      },
      { dryRun },
    );
  }
}
