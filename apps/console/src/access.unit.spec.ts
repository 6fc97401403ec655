import { Me, can } from './access';

const officer: Me = {
  id: 'o',
  username: 'wang.li',
  displayName: '王丽',
  role: 'officer',
  zones: ['jinzhong-kfq'],
  cities: ['linfen'],
};
const auditor: Me = { ...officer, role: 'auditor', zones: [], cities: [] };
const admin: Me = { ...officer, role: 'admin', zones: [], cities: [] };

describe('can(user, action, subject)', () => {
  it("lets an officer write her zone's and her city's projects, and no other", () => {
    expect(can(officer, 'project.write', { zoneId: 'jinzhong-kfq', cityId: 'jinzhong' })).toBe(true);
    expect(can(officer, 'project.write', { zoneId: 'linfen-kfq', cityId: 'linfen' })).toBe(true);
    expect(can(officer, 'project.write', { zoneId: 'jiexiu-jkq', cityId: 'jinzhong' })).toBe(false);
    expect(can(officer, 'project.write', { zoneId: 'jiexiu-jkq', cityId: null })).toBe(false);
    expect(can(officer, 'project.write')).toBe(false);
  });

  it('lets an officer sign only where she acts, and offers signing when no zone is chosen yet', () => {
    expect(can(officer, 'project.sign')).toBe(true);
    expect(can(officer, 'project.sign', { zoneId: 'jinzhong-kfq' })).toBe(true);
    expect(can(officer, 'project.sign', { zoneId: 'jiexiu-jkq', cityId: 'jinzhong' })).toBe(false);
    expect(can({ ...officer, zones: [], cities: [] }, 'project.sign')).toBe(false);
  });

  it('never lets an auditor write, and keeps reference data and accounts to admins', () => {
    for (const action of ['project.write', 'project.sign', 'reference.write', 'accounts.manage'] as const) {
      expect(can(auditor, action, { zoneId: 'jinzhong-kfq' })).toBe(false);
      expect(can(admin, action, { zoneId: 'jinzhong-kfq' })).toBe(true);
    }
    expect(can(officer, 'reference.write')).toBe(false);
    expect(can(officer, 'accounts.manage')).toBe(false);
    expect(can(officer, 'notification.issue')).toBe(false);
  });

  it('offers nothing before the caller is known', () => {
    expect(can(undefined, 'project.write', { zoneId: 'jinzhong-kfq' })).toBe(false);
  });
});
