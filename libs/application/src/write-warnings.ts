import {
  DomainWarning,
  DuplicateCandidate,
  PossibleDuplicate,
  Wan,
  amountWarnings,
  duplicateKeys,
  duplicateWarning,
  possibleDuplicates,
} from '@app/domain';

/** Accepted, but worth a second look: a likely unit slip, a possible duplicate (which it names). */
export interface WriteWarning extends DomainWarning {
  /** For `possible-duplicate`: the project it may duplicate. */
  projectId?: string;
}

/**
 * The explicit read-model query duplicate detection reads (ARCHITECTURE.md: nothing reads a
 * projection to make a write decision except through one); a warning tolerates its lag.
 */
export type DuplicateQuery = (candidate: DuplicateCandidate) => PossibleDuplicate[];

/** A handful is enough to look at: a spreadsheet of identical names would otherwise answer N² warnings. */
export const MAX_DUPLICATE_WARNINGS = 5;

/**
 * What a signing is warned about, never refused for (small, huge and look-alike projects
 * exist): the projects it may duplicate, then an amount that looks mistyped. The project
 * endpoints and the import both ask here.
 */
export function signingWarnings(
  signing: DuplicateCandidate & { totalInvestmentWan: Wan },
  duplicatesOf: DuplicateQuery,
): WriteWarning[] {
  const duplicates = duplicatesOf(signing)
    .slice(0, MAX_DUPLICATE_WARNINGS)
    .map((duplicate) => ({
      ...duplicateWarning(duplicate),
      // What the duplicate shares: the id but for typing, or else the name.
      field: duplicate.why === 'same-id-but-for-typing' ? 'projectId' : 'name',
      projectId: duplicate.projectId,
    }));
  return [...duplicates, ...amountWarnings('totalInvestmentWan', signing.totalInvestmentWan)];
}

/** What an amendment is warned about: a changed amount that looks mistyped. */
export function amendmentWarnings(changes: { totalInvestmentWan?: Wan }): WriteWarning[] {
  return changes.totalInvestmentWan === undefined
    ? []
    : amountWarnings('totalInvestmentWan', changes.totalInvestmentWan);
}

/**
 * Signings no read model holds yet (an import's earlier rows, decided but not written),
 * indexed by the keys a duplicate shares; `including` adds them to a recorded-projects query.
 */
export class PendingSignings {
  private readonly byKey = new Map<string, DuplicateCandidate[]>();

  add(signing: DuplicateCandidate): void {
    const candidate = {
      projectId: signing.projectId,
      zoneId: signing.zoneId,
      name: signing.name,
      enterprise: signing.enterprise,
    };
    for (const key of duplicateKeys(candidate)) {
      const known = this.byKey.get(key);
      if (known) known.push(candidate);
      else this.byKey.set(key, [candidate]);
    }
  }

  /** `recorded`'s duplicates and the pending ones, each project once, in id order. */
  including(recorded: DuplicateQuery): DuplicateQuery {
    return (candidate) => {
      const pending = new Set<DuplicateCandidate>();
      for (const key of duplicateKeys(candidate))
        for (const other of this.byKey.get(key) ?? []) pending.add(other);
      const found = recorded(candidate);
      if (pending.size === 0) return found;
      const seen = new Set(found.map((duplicate) => duplicate.projectId));
      const added = possibleDuplicates(candidate, pending).filter(
        (duplicate) => !seen.has(duplicate.projectId),
      );
      return [...found, ...added].sort((a, b) =>
        a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0,
      );
    };
  }
}
