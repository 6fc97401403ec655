import type { ProjectCommand } from './project.commands';
import type { ProjectDetails } from './project.events';

/** The details an amendment may change (AmendProject refuses any other key). */
export const AMENDABLE = [
  'name',
  'enterprise',
  'totalInvestmentWan',
  'industrial',
  'strategicEmerging',
  'industryChain',
  'plannedStartOn',
  'plannedProductionOn',
] as const satisfies readonly (keyof ProjectDetails)[];

/**
 * Whether the project refuses a command whatever it carries: a voided project every one (a
 * repeated void changes nothing), a terminated one a second termination. Facts dated before a
 * termination can still be recorded, so the other commands stay open. The console hides the
 * buttons of what this refuses.
 */
export function refusesOutright(
  project: { voided?: unknown; termination?: unknown },
  command: ProjectCommand['type'],
): boolean {
  if (project.voided) return true;
  return command === 'TerminateProject' && Boolean(project.termination);
}
