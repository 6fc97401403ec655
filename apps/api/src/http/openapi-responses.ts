import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * The response bodies of the read endpoints and of the writes that answer more than a
 * revision, as OpenAPI schemas (the shapes libs/projections and the controllers return).
 * Fractions are 0..1 and null for an empty cohort; money is integer 万元; dates YYYY-MM-DD.
 */
const str = (description?: string): SchemaObject => ({
  type: 'string',
  ...(description ? { description } : {}),
});
const int = (description?: string): SchemaObject => ({
  type: 'integer',
  ...(description ? { description } : {}),
});
const bool: SchemaObject = { type: 'boolean' };
const date: SchemaObject = { type: 'string', format: 'date' };
const instant: SchemaObject = { type: 'string', format: 'date-time' };
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
const fraction: SchemaObject = {
  type: 'number',
  nullable: true,
  description: '0..1, null when nothing to divide by',
};
const array = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
const object = (properties: Record<string, SchemaObject>, description?: string): SchemaObject => ({
  type: 'object',
  required: Object.keys(properties).filter((key) => !properties[key].nullable),
  properties,
  ...(description ? { description } : {}),
});
const map = (values: SchemaObject, description: string): SchemaObject => ({
  type: 'object',
  additionalProperties: values,
  description,
});

const view = { asOf: date, knownAt: nullable(instant) };
const unit = {
  scope: { type: 'string', enum: ['province', 'city', 'zone'] } as SchemaObject,
  id: str(),
  name: str(),
};

const rate = object({
  cohortCount: int(),
  cohortWan: int(),
  count: int('numerator: projects that reached the milestone by D'),
  wan: int(),
  completedWan: int('完成投资 of the projects in the numerator'),
  terminatedCount: int(),
  byCount: fraction,
  byInvestment: fraction,
  byCompletedInvestment: fraction,
  reported: { type: 'string', enum: ['count', 'investment'] },
});
const RATE_KEYS = ['start', 'production', 'statisticsEntry', 'attainment', 'aboveScale'];
const perRate = (schema: SchemaObject) => Object.fromEntries(RATE_KEYS.map((key) => [key, schema]));

export const RATE_TABLE = object({ ...view, rows: array(object({ ...unit, ...perRate(rate) })) });

const leadTime = object({ count: int(), median: nullable(int('days')), p90: nullable(int('days')) });
export const LEAD_TIME_TABLE = object({
  ...view,
  rows: array(
    object({ ...unit, signToStart: leadTime, startToProduction: leadTime, productionToAttainment: leadTime }),
  ),
});

const share = object({
  count: int(),
  wan: int(),
  largeCount: int('亿元以上: total investment ≥ 10,000 万元'),
  largeWan: int(),
  byCount: fraction,
  byInvestment: fraction,
});
export const LARGE_PROJECT_SHARES = object({
  ...view,
  rows: array(object({ ...unit, signing: share, construction: share, production: share })),
});

const identity = {
  projectId: str(),
  name: str(),
  enterprise: str(),
  zoneId: str(),
  cityId: nullable(str()),
  totalInvestmentWan: int(),
  industrial: bool,
  signedOn: date,
};
const obstacle = object({
  obstacleId: str(),
  category: { type: 'string', enum: ['land', 'permits', 'funding', 'energy', 'environment', 'other'] },
  description: str(),
  responsibleUnit: str('责任单位'),
  measures: str('解决措施 (when given)'),
  raisedOn: date,
});
obstacle.required = (obstacle.required ?? []).filter((key) => key !== 'measures');

const planFigure = object({
  due: int(),
  dueWan: int(),
  reached: int(),
  reachedWan: int(),
  onPlan: int(),
  rate: fraction,
  onPlanRate: fraction,
});
const overdue = object({ ...identity, plannedOn: date, daysOverdue: int(), obstacles: array(obstacle) });
export const PLAN_PROGRESS = object({
  ...view,
  rows: array(object({ ...unit, start: planFigure, production: planFigure })),
  overdue: object({ start: array(overdue), production: array(overdue) }),
  expectedByYearEnd: array(object({ ...identity, plannedProductionOn: date })),
});

export const INVESTMENT_COMPLETION = object({
  ...view,
  rows: array(
    object({
      ...unit,
      investment: object({
        plannedWan: int('年度计划投资 of D’s year'),
        completedWan: int('completed this year by the projects with a plan'),
        completedAllWan: int('completed this year by every project'),
        rate: fraction,
        elapsedShare: { type: 'number', description: '序时进度' },
        months: array(object({ month: str('YYYY-MM'), completedWan: int() })),
      }),
    }),
  ),
});

const light = object({
  kind: { type: 'string', enum: ['start', 'progress', 'statisticsEntry'] },
  colour: { type: 'string', enum: ['green', 'amber', 'red'] },
  rule: str('the rule that lit it, e.g. start.overdue-3-months'),
  ruleZh: str(),
  justified: bool,
  justifiedBy: array(str('obstacle id')),
});
export const PROJECT_LIGHTS = object({
  ...view,
  projects: array(object({ ...identity, lights: array(light), obstacles: array(obstacle) })),
});

const stalled = object({ ...identity, since: date, daysStalled: int(), obstacles: array(obstacle) });
export const STALLED_LISTS = object({
  ...view,
  signedNotStarted: array(stalled),
  startedNotProducing: array(stalled),
  producingNotAttained: array(stalled),
  page: object({
    limit: int(),
    offset: int(),
    totals: object({ signedNotStarted: int(), startedNotProducing: int(), producingNotAttained: int() }),
    nextOffset: nullable(int()),
  }),
});

const milestones = map(date, 'milestone id → effective date');
const listing = object({
  roundId: str(),
  heldOn: date,
  batch: { type: 'string', enum: ['signing', 'construction', 'production'] },
});
export const PROJECT_LIST = object({
  ...view,
  total: int(),
  offset: int(),
  limit: int(),
  items: array(
    object({
      ...identity,
      stage: str(),
      milestones,
      listings: array(listing),
      terminatedOn: nullable(date),
    }),
  ),
});

export const PROJECT_VIEW: SchemaObject = {
  ...object({
    projectId: str(),
    name: str(),
    enterprise: str(),
    zoneId: str(),
    totalInvestmentWan: int(),
    industrial: bool,
    signedOn: date,
    stage: str(),
    milestones,
    listings: array(listing),
    revision: int('the stream revision, also the ETag'),
  }),
  description:
    'the project as of D as known at K (planned dates, plans, obstacles and termination when recorded)',
};

export const PROJECT_HISTORY = object({
  projectId: str(),
  events: array(
    object({
      position: int(),
      revision: int(),
      id: str(),
      type: str(),
      schemaVersion: int(),
      data: { type: 'object', description: 'the event as recorded' },
      metadata: {
        type: 'object',
        description: 'recordedAt, recordedBy, role, source, reason, correlation and causation ids',
      },
    }),
  ),
});

const zone = object({
  id: str(),
  name: str(),
  cityId: str(),
  category: { type: 'string', enum: ['industrial', 'agricultural', 'cultural-tourism'] },
  level: { type: 'string', enum: ['national', 'provincial'] },
});
export const ZONES = array(zone);
export const ROUNDS = array(object({ id: str(), heldOn: date, name: str(), mainVenueZoneId: str() }));
(ROUNDS.items as SchemaObject).required = ['id', 'heldOn'];

export const NOTIFICATION_RECORD = object({
  month: str('YYYY-MM'),
  issue: int('第N期'),
  contentHash: str('SHA-256 of the canonical JSON of the content'),
  knownAt: instant,
  supersedes: object({ issue: int(), reason: str() }),
});
NOTIFICATION_RECORD.required = ['month', 'issue', 'contentHash', 'knownAt'];

const seriesEntry = object({
  month: str('YYYY-MM'),
  issue: int(),
  status: { type: 'string', enum: ['in-force', 'superseded', 'withdrawn'] },
  supersedes: object({ issue: int(), reason: str() }),
  supersededBy: int(),
  withdrawal: object({ reason: str() }),
  asOf: date,
  knownAt: instant,
  contentHash: str(),
});
seriesEntry.required = ['month', 'issue', 'status', 'asOf', 'knownAt', 'contentHash'];
export const NOTIFICATION_SERIES = array(seriesEntry);
export const NOTIFICATION_SERIES_ENTRY = seriesEntry;

export const NOTIFICATION_CONTENT: SchemaObject = {
  ...object({
    title: str(),
    issue: int(),
    month: str('YYYY-MM'),
    asOf: date,
    knownAt: instant,
    knownThroughPosition: int(),
    settings: {
      type: 'object',
      description: 'NOTIFICATION_SETTINGS as used: cohort, basis per rate, targets, lights',
    },
    cohort: object({
      kind: { type: 'string', enum: ['programme', 'year'] },
      since: nullable(date),
      nameZh: str(),
    }),
    previousIssue: nullable({ type: 'object', description: '{ issue, month, asOf, knownThroughPosition }' }),
    rates: object({
      province: array({ type: 'object' }),
      cities: array({ type: 'object' }),
      zones: array({ type: 'object' }),
    }),
    milestones: array({ type: 'object', description: 'per zone, the milestones reached in the month' }),
    stalled: object({
      signedNotStarted: array(stalled),
      startedNotProducing: array(stalled),
      producingNotAttained: array(stalled),
    }),
    plan: { type: 'object', description: 'rows per province, city and zone; overdue; expectedByYearEnd' },
    investment: { type: 'object', description: '投资完成率 rows per province, city and zone' },
    lights: { type: 'object', description: 'counts per zone; every project with an amber or red light' },
    warnings: { type: 'object', description: 'per zone and target: green, amber, red or none' },
    changesAboutEarlierMonths: object({
      facts: array({ type: 'object' }),
      correctedRates: array({ type: 'object' }),
    }),
  }),
  description:
    'Served byte-for-byte as issued (canonical JSON); ?format=xlsx or csv for the documents. ' +
    'libs/projections/README.md describes each section.',
};

export const NOTIFICATION_VERIFICATION = object({
  month: str('YYYY-MM'),
  issue: int(),
  matches: bool,
  issuedHash: str(),
  recomputedHash: str(),
  storedContentHash: str(),
});

export const REBUILD_REPORT = object({
  events: int(),
  position: int(),
  milliseconds: { type: 'number' },
  eventsPerSecond: { type: 'number' },
});

const HEALTH_STATUS = {
  type: 'string',
  enum: ['ok', 'degraded', 'down', 'up'],
  description: 'up or down only, without a token',
} as SchemaObject;
const HEALTH_PROBLEMS = array({
  type: 'string',
  enum: [
    'store-unreachable',
    'store-not-writable',
    'subscription-failed',
    'subscription-catching-up',
    'subscription-interrupted',
    'projections-lagging',
    'disk-low',
    'relay-unhealthy',
  ],
});
export const HEALTH = object({
  status: HEALTH_STATUS,
  problems: HEALTH_PROBLEMS,
  store: { type: 'string', enum: ['embedded', 'postgres', 'eventstoredb'] },
  headPosition: nullable(int()),
  storage: { type: 'object', description: 'writable, and the last append refused for lack of space if any' },
  projections: object({
    position: int(),
    caughtUp: bool,
    lag: int(),
    subscription: {
      type: 'object',
      description: 'state (live, catching-up, interrupted, failed), restarts, error',
    },
    snapshot: {
      ...object({
        enabled: bool,
        schemaVersion: int('the projection schema version snapshots are written and read at'),
        every: int('a snapshot after this many events (and on shutdown); 0: off'),
        source: { type: 'string', enum: ['snapshot', 'log'] },
        position: nullable(int('the loaded snapshot position')),
        tailEvents: int('events folded after the snapshot (or from the log) at start-up'),
      }),
      description:
        'where the read model came from at start-up: a snapshot in DATA_DIR (its position and the tail folded ' +
        'after it) or the whole log; ignored says why a snapshot was not used; lastWritten and lastFailure ' +
        'describe the latest snapshot written since',
    },
  }),
  relay: nullable({ type: 'object', description: "the relay's progress and lag (embedded store only)" }),
  disk: nullable({
    type: 'object',
    description: 'free and total bytes where DATA_DIR lives (embedded store only)',
  }),
  heavyReads: {
    type: 'object',
    description:
      'mode (worker or inline), workers started, failures (a worker that crashed or stopped answering, replaced) and the last one',
  },
});
export const HEALTH_READY = object({ ready: bool, status: HEALTH_STATUS, problems: HEALTH_PROBLEMS });

const caller = {
  username: str(),
  displayName: str(),
  role: { type: 'string', enum: ['officer', 'auditor', 'admin'] } as SchemaObject,
  zones: array(str()),
  cities: array(str()),
};
export const SIGNED_IN = object(caller);
export const CALLER = object({ id: str(), ...caller });
export const ACCOUNT = object({ id: str(), ...caller, createdAt: instant, disabled: bool });
export const ACCOUNTS = array(ACCOUNT);
export const ACCOUNT_AUDIT = array(
  object({
    id: int(),
    at: instant,
    actor: str(),
    action: str(),
    username: str(),
    details: { type: 'object' },
  }),
);

export const SPREADSHEET: SchemaObject = { type: 'string', format: 'binary' };
export const PROMETHEUS_TEXT: SchemaObject = {
  type: 'string',
  description: 'Prometheus text exposition format',
};
