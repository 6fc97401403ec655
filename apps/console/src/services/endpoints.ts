import { Me } from '../access';
import { apiQuery } from '../url-state';
import { api } from './api';
import type {
  Account,
  HistoryEvent,
  NotificationEntry,
  Project,
  ProjectList,
  RateTable,
  Round,
  StalledLists,
  Verification,
  Zone,
} from './types';

/** One thin function per endpoint the console reads; writes go through `write` in the dialogs. */
export const getSession = () => api<Me>('/session');
export const signIn = (username: string, password: string) =>
  api<Me>('/session', { method: 'POST', body: { username, password } });
export const signOut = () => api<void>('/session', { method: 'DELETE' });

export const getZones = () => api<Zone[]>('/zones');
export const getRounds = () => api<Round[]>('/rounds');

export const listProjects = (query: Record<string, string | number | boolean | undefined>) =>
  api<ProjectList>(`/projects${apiQuery(query)}`);
export const getProject = (id: string, asOf?: string, knownAt?: string) =>
  api<Project>(`/projects/${encodeURIComponent(id)}${apiQuery({ asOf, knownAt })}`);
export const getHistory = (id: string) =>
  api<{ projectId: string; events: HistoryEvent[] }>(`/projects/${encodeURIComponent(id)}/history`);

export const getRates = (query: { scope: string; roundId?: string[]; asOf?: string; knownAt?: string }) =>
  api<RateTable>(`/rates${apiQuery(query)}`);

export const getStalled = (query: { scope: string; roundId?: string[]; asOf?: string; knownAt?: string }) =>
  api<StalledLists>(`/stalled-projects${apiQuery(query)}`);

export const getNotifications = () => api<NotificationEntry[]>('/notifications');
export const getVerification = (month: string) => api<Verification>(`/notifications/${month}/verification`);

export const getAccounts = () => api<Account[]>('/accounts');
export const setAccountDisabled = (username: string, disabled: boolean) =>
  api<Account>(`/accounts/${encodeURIComponent(username)}/disabled`, { method: 'POST', body: { disabled } });
