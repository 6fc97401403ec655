import { apiQuery } from '../url-state';
import { api } from './api';
import type { components } from './openapi';

export type ImportSummary = components['schemas']['ImportSummaryDto'];

/** The template the import reads (row 1 Chinese headers, row 2 English keys). */
export const IMPORT_TEMPLATE_URL = '/api/v1/imports/template.xlsx';

/** `POST /imports` (multipart, field `file`); a dry run checks every row and writes nothing. */
export function uploadImport(file: File, dryRun: boolean): Promise<ImportSummary> {
  const body = new FormData();
  body.append('file', file, file.name);
  return api<ImportSummary>(`/imports${apiQuery({ dryRun: dryRun || undefined })}`, {
    method: 'POST',
    body,
  });
}

export type LightColour = 'red' | 'amber' | 'green';

export interface ProjectLights {
  asOf: string;
  knownAt: string;
  projects: {
    projectId: string;
    lights: { kind: string; colour: LightColour; ruleZh: string; rule: string }[];
  }[];
}

/** `GET /project-lights`: each lit project's red/amber/green lights, each naming its rule. */
export const getProjectLights = (query: {
  zoneId?: string;
  cityId?: string;
  asOf?: string;
  knownAt?: string;
}) => api<ProjectLights>(`/project-lights${apiQuery(query)}`);

/** A project's worst light (the list's filter selects by it). */
export function worstLight(colours: readonly LightColour[]): LightColour | undefined {
  if (colours.includes('red')) return 'red';
  if (colours.includes('amber')) return 'amber';
  return colours.length > 0 ? 'green' : undefined;
}
