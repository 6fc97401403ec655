import { AppendReport, isStorageFull } from '@app/event-store';

/**
 * Whether the store took the latest write: an append refused for a full disk marks it not
 * writable until an append succeeds again (told by the store observer).
 */
export class StoreWriteHealth {
  private failure?: { code: string; at: string };

  appendSettled(report: AppendReport): void {
    if (report.error !== undefined) {
      if (isStorageFull(report.error)) {
        const code = String((report.error as { code?: unknown }).code);
        this.failure = { code, at: new Date().toISOString() };
      }
    } else if (report.outcome?.written) {
      this.failure = undefined;
    }
  }

  /** The last append's failure for lack of space, while no append has succeeded since. */
  get lastFailure(): { code: string; at: string } | undefined {
    return this.failure;
  }
}
