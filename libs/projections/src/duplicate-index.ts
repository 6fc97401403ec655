import { DuplicateCandidate, duplicateKeys } from '@app/domain';
import { LifecycleReadModel, ProjectTimeline, ReadModelListener } from './lifecycle-read-model';

/**
 * The projects a new signing may duplicate, looked up by the keys a duplicate shares (its id
 * folded for typing; its zone and folded name), so that a signing does not fold every name
 * in the province. Kept current as facts arrive; a voided project leaves it. The rule itself
 * is the domain's `possibleDuplicates`, applied to the candidates found here.
 */
export class DuplicateIndex implements ReadModelListener {
  private readonly keysOf = new Map<string, string[]>();
  private readonly byKey = new Map<string, Set<string>>();
  /** The zone and name each project was indexed under: most facts change neither. */
  private readonly indexedAs = new Map<string, { zoneId: string; name: string }>();

  constructor(private readonly model: LifecycleReadModel) {
    model.subscribe(this);
    for (const timeline of model.projects.values()) this.projectChanged(timeline);
  }

  projectChanged(timeline: ProjectTimeline): void {
    const { projectId, current } = timeline;
    const indexed = this.indexedAs.get(projectId);
    if (current ? indexed?.zoneId === current.zoneId && indexed.name === current.name : !indexed) return;
    if (current) this.indexedAs.set(projectId, { zoneId: current.zoneId, name: current.name });
    else this.indexedAs.delete(projectId);
    const keys = current ? duplicateKeys(current) : [];
    const previous = this.keysOf.get(projectId) ?? [];
    for (const key of previous) this.byKey.get(key)?.delete(projectId);
    for (const key of keys) {
      let ids = this.byKey.get(key);
      if (!ids) this.byKey.set(key, (ids = new Set()));
      ids.add(projectId);
    }
    if (keys.length > 0) this.keysOf.set(projectId, keys);
    else this.keysOf.delete(projectId);
  }

  reset(): void {
    this.keysOf.clear();
    this.byKey.clear();
    this.indexedAs.clear();
  }

  /** The known projects sharing a key with the candidate (itself excluded by the rule, not here). */
  candidatesFor(candidate: DuplicateCandidate): DuplicateCandidate[] {
    const ids = new Set<string>();
    for (const key of duplicateKeys(candidate)) for (const id of this.byKey.get(key) ?? []) ids.add(id);
    const found: DuplicateCandidate[] = [];
    for (const id of ids) {
      const snapshot = this.model.projects.get(id)?.current;
      if (snapshot) found.push(snapshot);
    }
    return found;
  }
}
