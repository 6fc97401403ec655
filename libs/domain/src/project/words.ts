import { Bilingual } from '../shared/domain-error';
import { DatedFact } from './milestones';
import { Batch } from './project.events';

/** The words officers use for each fact, for messages (never the internal ids). */
export const FACT_WORDS: Record<DatedFact, Bilingual> = {
  signed: { zh: '签约', en: 'signing' },
  'construction-started': { zh: '开工', en: 'construction start' },
  'statistics-entered': { zh: '入统', en: 'statistics entry' },
  'production-started': { zh: '投产', en: 'production start' },
  attained: { zh: '达效', en: 'attainment' },
  'enterprise-above-scale': { zh: '企业达规入库', en: 'entry above scale' },
};

export const BATCH_WORDS: Record<Batch, Bilingual> = {
  signing: { zh: '签约一批', en: 'signing batch' },
  construction: { zh: '开工一批', en: 'construction batch' },
  production: { zh: '投产一批', en: 'production batch' },
};
