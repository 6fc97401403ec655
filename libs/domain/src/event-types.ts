import { NotificationEvent } from './notification/notification';
import { ProjectEvent } from './project/project.events';
import { RoundEvent } from './reference/round';
import { ZoneEvent } from './reference/zone';
import { CURRENT_SCHEMA_VERSION } from './shared/upcasting';

export type DomainEventType =
  ProjectEvent['type'] | ZoneEvent['type'] | RoundEvent['type'] | NotificationEvent['type'];

/** A Record, so that the compiler insists on every event type the domain defines, and no other. */
const SCHEMA_VERSIONS: Record<DomainEventType, number> = {
  ProjectSigned: CURRENT_SCHEMA_VERSION,
  ProjectListed: CURRENT_SCHEMA_VERSION,
  ConstructionStarted: CURRENT_SCHEMA_VERSION,
  StatisticsEntered: CURRENT_SCHEMA_VERSION,
  ProductionStarted: CURRENT_SCHEMA_VERSION,
  DesignOutputAttained: CURRENT_SCHEMA_VERSION,
  EnterpriseEnteredAboveScale: CURRENT_SCHEMA_VERSION,
  MilestoneDateCorrected: CURRENT_SCHEMA_VERSION,
  MilestoneRetracted: CURRENT_SCHEMA_VERSION,
  InvestmentProgressReported: CURRENT_SCHEMA_VERSION,
  PlannedDatesSet: CURRENT_SCHEMA_VERSION,
  ObstacleRecorded: CURRENT_SCHEMA_VERSION,
  ObstacleUpdated: CURRENT_SCHEMA_VERSION,
  ObstacleResolved: CURRENT_SCHEMA_VERSION,
  AnnualInvestmentPlanned: CURRENT_SCHEMA_VERSION,
  ProjectAmended: CURRENT_SCHEMA_VERSION,
  ProjectTerminated: CURRENT_SCHEMA_VERSION,
  ProjectVoided: CURRENT_SCHEMA_VERSION,
  ListingWithdrawn: CURRENT_SCHEMA_VERSION,
  ZoneRegistered: CURRENT_SCHEMA_VERSION,
  ZoneCorrected: CURRENT_SCHEMA_VERSION,
  RoundRegistered: CURRENT_SCHEMA_VERSION,
  RoundCorrected: CURRENT_SCHEMA_VERSION,
  NotificationIssued: CURRENT_SCHEMA_VERSION,
  NotificationWithdrawn: CURRENT_SCHEMA_VERSION,
};

/**
 * The newest schema version of an event type this code can read (older ones are upcast), or
 * undefined for a type it does not know: a store holding either cannot be read faithfully.
 */
export function readableSchemaVersion(type: string): number | undefined {
  return Object.hasOwn(SCHEMA_VERSIONS, type) ? SCHEMA_VERSIONS[type as DomainEventType] : undefined;
}
