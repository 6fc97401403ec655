import { dashboardQueryOf, ratesQuery } from './rates-query';

describe('the dashboard query of a link', () => {
  it('reads cities unless the link says zones, with no rounds and today', () => {
    expect(dashboardQueryOf(new URLSearchParams(''))).toEqual({
      scope: 'city',
      roundIds: [],
      asOf: undefined,
      knownAt: undefined,
    });
    expect(dashboardQueryOf(new URLSearchParams('scope=province')).scope).toBe('city');
  });

  it('reads zones, the rounds and the time machine', () => {
    expect(
      dashboardQueryOf(
        new URLSearchParams('scope=zone&rounds=r1,r2&asOf=2024-03-31&knownAt=2024-04-01T00:00:00Z'),
      ),
    ).toEqual({ scope: 'zone', roundIds: ['r1', 'r2'], asOf: '2024-03-31', knownAt: '2024-04-01T00:00:00Z' });
  });

  it('gives the same query key for the same view however the link orders its parameters', () => {
    const a = ratesQuery(new URLSearchParams('scope=zone&asOf=2024-03-31&view=plan'));
    const b = ratesQuery(new URLSearchParams('asOf=2024-03-31&scope=zone'));
    expect(a.queryKey).toEqual(b.queryKey);
    expect(ratesQuery(new URLSearchParams('scope=city')).queryKey).not.toEqual(a.queryKey);
  });
});
