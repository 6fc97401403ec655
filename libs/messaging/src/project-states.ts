import { ProjectEvent, ProjectState, evolveProject, initialProjectState } from '@app/domain';
import { EventStore, RecordedEvent } from '@app/event-store';

/**
 * Each project's current state as the relay goes through `$all`, by the domain's own fold
 * (evolveProject). A project first met after revision 0 (the relay resumed from a checkpoint) is
 * folded from its stream up to that event; after that each event is applied as it comes.
 */
export class ProjectStates {
  private readonly states = new Map<string, { revision: number; state: ProjectState }>();

  constructor(
    private readonly store: EventStore,
    private readonly upcast: (event: RecordedEvent) => RecordedEvent,
  ) {}

  /** The project's state after `event` (upcast, of a project stream, in `$all` order). */
  async after(event: RecordedEvent): Promise<ProjectState> {
    const known = this.states.get(event.streamId);
    let state: ProjectState;
    if (known && known.revision === event.revision - 1) {
      state = evolveProject(known.state, event as unknown as ProjectEvent);
    } else if (event.revision === 0) {
      state = evolveProject(initialProjectState(), event as unknown as ProjectEvent);
    } else {
      state = initialProjectState();
      for (const stored of await this.store.readStream(event.streamId)) {
        if (stored.revision > event.revision) break;
        state = evolveProject(state, this.upcast(stored) as unknown as ProjectEvent);
      }
    }
    this.states.set(event.streamId, { revision: event.revision, state });
    return state;
  }
}
