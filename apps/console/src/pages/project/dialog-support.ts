import { Project } from '../../services/types';

export interface DialogProps {
  project: Project;
  open: boolean;
  onClose(): void;
}

/** A path under the project's resource. */
export const projectPath = (project: Project, rest: string) =>
  `/projects/${encodeURIComponent(project.projectId)}${rest}`;

/** What a write on the project changes: its page, its history and the lists. */
export const invalidateProject = (project: Project) => [
  ['project', project.projectId],
  ['history', project.projectId],
  ['projects'],
];

/** Conflicts (409) the API reports without a field, and the field of each dialog they are about. */
export const TERMINATED_OR_VOIDED = {
  'project-terminated': 'occurredOn',
  'project-voided': 'reason',
} as const;
