import { Inject, Injectable } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { EventStoreImportReads, ImportFile, ImportSummary, runImport } from '@app/import';
import { Caller, mayActFor } from '../auth/caller';
import { Clock, todayIn } from '../infrastructure/clock';
import { TRACKER_CONFIG } from '../infrastructure/tokens';
import { ProjectionsService } from '../projections/projections.service';

/** Runs a spreadsheet import for a caller; answers once the read side shows its events. */
@Injectable()
export class ImportService {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly projections: ProjectionsService,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {}

  async run(file: ImportFile, caller: Caller, dryRun: boolean): Promise<ImportSummary> {
    const summary = await runImport(
      file,
      {
        store: this.store,
        // Zone names are looked up in the read model; zones by id, projects and rounds are
        // read from their streams, as every command does.
        reads: new EventStoreImportReads(this.store, async () => this.projections.zones()),
        caller,
        today: todayIn(this.clock, this.config.utcOffsetMinutes),
        now: () => this.clock.now(),
        mayActFor: (zone) => mayActFor(caller, zone),
      },
      { dryRun },
    );
    await this.projections.waitFor(summary.position);
    return summary;
  }
}
