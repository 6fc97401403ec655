import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@app/application';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { ImportSummary, runImport } from '@app/import';
import { TRACKER_CONFIG } from '@app/platform';
import { ProjectionsService } from '../projections/projections.service';
import { RunImportCommand } from './run-import.command';

@CommandHandler(RunImportCommand)
export class RunImportHandler implements ICommandHandler<RunImportCommand, ImportSummary> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly projections: ProjectionsService,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {}

  execute({ file, caller, dryRun }: RunImportCommand): Promise<ImportSummary> {
    return runImport(
      file,
      {
        store: this.store,
        caller,
        clock: this.clock,
        utcOffsetMinutes: this.config.utcOffsetMinutes,
        // The read model's list maps a zone name to its id; the zone itself is read from its stream.
        zones: async () => this.projections.zones(),
      },
      { dryRun },
    );
  }
}
