/** The signed-in caller, as `GET /api/v1/session` answers. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: 'officer' | 'auditor' | 'admin';
  zones: string[];
  cities: string[];
}

export type Action =
  /** record facts about an existing project (milestones, corrections, listings…) */
  | 'project.write'
  /** sign a new project (in a zone, when one is given) */
  | 'project.sign'
  /** register zones and rounds */
  | 'reference.write'
  | 'accounts.manage'
  | 'notification.issue';

export interface Subject {
  zoneId?: string;
  cityId?: string | null;
}

/**
 * What the console offers the caller: pure and synchronous, so routes and every table row can
 * ask it. The API enforces the same rules; this only hides what would be refused.
 */
export function can(user: Me | undefined, action: Action, subject: Subject = {}): boolean {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role !== 'officer') return false;
  switch (action) {
    case 'project.write':
      return actsFor(user, subject);
    case 'project.sign':
      return subject.zoneId === undefined
        ? user.zones.length + user.cities.length > 0
        : actsFor(user, subject);
    default:
      return false;
  }
}

function actsFor(user: Me, { zoneId, cityId }: Subject): boolean {
  return (
    (zoneId !== undefined && user.zones.includes(zoneId)) ||
    (cityId !== undefined && cityId !== null && user.cities.includes(cityId))
  );
}
