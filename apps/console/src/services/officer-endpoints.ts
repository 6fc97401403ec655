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

export type Light = 'red' | 'amber' | 'green';

export interface ProjectLight {
  projectId: string;
  light: Light;
  rule?: string;
  justified?: boolean;
}

export interface ProjectLights {
  asOf: string;
  knownAt: string;
  projects: ProjectLight[];
}

/** `GET /project-lights`: the red/amber/green light of each project in scope. */
export const getProjectLights = (query: {
  zoneId?: string;
  cityId?: string;
  roundId?: string;
  asOf?: string;
  knownAt?: string;
}) => api<ProjectLights>(`/project-lights${apiQuery(query)}`);
