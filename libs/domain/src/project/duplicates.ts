import { DomainWarning } from '../shared/domain-error';

/** What duplicate detection needs to know of a project (from an explicit read-model query). */
export interface DuplicateCandidate {
  projectId: string;
  zoneId: string;
  name: string;
  enterprise: string;
}

export interface PossibleDuplicate {
  projectId: string;
  name: string;
  why: 'same-id-but-for-typing' | 'same-name-and-enterprise' | 'near-identical-name';
}

/** Letters typed for look-alike digits in ids and names (O for 0, I/l for 1). */
const LOOK_ALIKES: Record<string, string> = { o: '0', i: '1', l: '1' };

/**
 * A name (or id) reduced to what a second entry of the same project keeps: full-width
 * forms folded to half-width (NFKC), case, spaces and punctuation dropped, O/0 and I/l/1
 * confusions folded.
 */
export function normaliseForComparison(text: string): string {
  let normalised = normalisedTexts.get(text);
  if (normalised === undefined) {
    normalised = text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]/gu, '')
      .replace(/[oil]/g, (c) => LOOK_ALIKES[c]);
    if (normalisedTexts.size >= MAX_REMEMBERED_TEXTS) normalisedTexts.clear();
    normalisedTexts.set(text, normalised);
  }
  return normalised;
}

/**
 * The same ids and names are folded several times per signing (the index of the file's earlier
 * rows, the read model's index, the rule itself): remembering the last tens of thousands makes
 * an import's 10,000 signings fold each text once. A pure function's memo, bounded.
 */
const normalisedTexts = new Map<string, string>();
const MAX_REMEMBERED_TEXTS = 50_000;

/**
 * The keys a duplicate shares with the project it duplicates (its id folded for typing; its
 * zone and folded name): an index by these finds every candidate `possibleDuplicates` can flag.
 */
export function duplicateKeys(project: DuplicateCandidate): string[] {
  return [
    `id\u0000${normaliseForComparison(project.projectId)}`,
    `name\u0000${project.zoneId}\u0000${normaliseForComparison(project.name)}`,
  ];
}

/**
 * The existing projects a new signing may duplicate: the same id but for typing, the same
 * zone with the same name and enterprise, or the same zone with a near-identical name.
 */
export function possibleDuplicates(
  candidate: DuplicateCandidate,
  existing: Iterable<DuplicateCandidate>,
): PossibleDuplicate[] {
  const id = normaliseForComparison(candidate.projectId);
  const name = normaliseForComparison(candidate.name);
  const found: PossibleDuplicate[] = [];
  for (const other of existing) {
    if (other.projectId === candidate.projectId) continue;
    const sameZone = other.zoneId === candidate.zoneId;
    const otherName = normaliseForComparison(other.name);
    let why: PossibleDuplicate['why'] | undefined;
    if (normaliseForComparison(other.projectId) === id) why = 'same-id-but-for-typing';
    else if (sameZone && other.name === candidate.name && other.enterprise === candidate.enterprise)
      why = 'same-name-and-enterprise';
    else if (sameZone && otherName === name) why = 'near-identical-name';
    if (why) found.push({ projectId: other.projectId, name: other.name, why });
  }
  return found.sort((a, b) => (a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0));
}

const WHY_WORDS: Record<PossibleDuplicate['why'], { zh: string; en: string }> = {
  'same-id-but-for-typing': { zh: '编号仅有输入差异', en: 'its id differs only in typing' },
  'same-name-and-enterprise': { zh: '同一开发区、同名同企业', en: 'same zone, name and enterprise' },
  'near-identical-name': { zh: '同一开发区、名称几乎相同', en: 'same zone, near-identical name' },
};

export function duplicateWarning(duplicate: PossibleDuplicate): DomainWarning {
  const why = WHY_WORDS[duplicate.why];
  return {
    code: 'possible-duplicate',
    text: {
      zh: `可能与已有项目 ${duplicate.projectId}（${duplicate.name}）重复：${why.zh}`,
      en: `possibly a duplicate of project ${duplicate.projectId} (${duplicate.name}): ${why.en}`,
    },
  };
}
