import { Query } from '@nestjs/cqrs';
import { RecordedEvent } from '@app/event-store';

export interface HistoryEntry {
  position: number;
  revision: number;
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
}

export class GetProjectHistoryQuery extends Query<{ projectId: string; events: HistoryEntry[] }> {
  constructor(readonly projectId: string) {
    super();
  }
}
