import { apiQuery, linkWithTime, pageToRange, timeMachineOf } from './url-state';

describe('time machine in the URL', () => {
  it('reads asOf and knownAt, absent when not set', () => {
    expect(timeMachineOf(new URLSearchParams('asOf=2023-10-31&knownAt=2023-11-05T00:00:00Z'))).toEqual({
      asOf: '2023-10-31',
      knownAt: '2023-11-05T00:00:00Z',
    });
    expect(timeMachineOf(new URLSearchParams('stage=signed'))).toEqual({
      asOf: undefined,
      knownAt: undefined,
    });
  });

  it('carries asOf and knownAt to the next view, but not the other filters', () => {
    const search = new URLSearchParams('asOf=2023-10-31&knownAt=2023-11-05T00:00:00.000Z&stage=signed');
    expect(linkWithTime('/projects/a', search)).toBe(
      '/projects/a?asOf=2023-10-31&knownAt=2023-11-05T00%3A00%3A00.000Z',
    );
    expect(linkWithTime('/dashboard?scope=zone&asOf=2024-01-01', search)).toBe(
      '/dashboard?scope=zone&asOf=2024-01-01&knownAt=2023-11-05T00%3A00%3A00.000Z',
    );
    expect(linkWithTime('/projects', new URLSearchParams())).toBe('/projects');
  });
});

describe('apiQuery', () => {
  it('leaves unset values out and repeats arrays', () => {
    expect(apiQuery({ scope: 'zone', roundId: ['r1', 'r2'], asOf: undefined, knownAt: '', limit: 20 })).toBe(
      '?scope=zone&roundId=r1&roundId=r2&limit=20',
    );
    expect(apiQuery({})).toBe('');
  });
});

describe('pageToRange', () => {
  it("turns antd's page and page size into offset and limit", () => {
    expect(pageToRange(1, 20)).toEqual({ offset: 0, limit: 20 });
    expect(pageToRange(3, 50)).toEqual({ offset: 100, limit: 50 });
    expect(pageToRange(0, 10)).toEqual({ offset: 0, limit: 10 });
  });
});
