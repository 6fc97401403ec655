import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN,
  AUDITOR,
  ManualClock,
  RunningApi,
  expectProblem,
  seedReference,
  seedSignedProjects,
  startApi,
} from './support/api-harness';

// The setup signs and lists several projects: seconds on a loaded machine.
jest.setTimeout(60_000);
/** Issue 14, item 6: only real instants and decimal integers; errors of a bounded size. */
describe('strict parsing', () => {
  let dataDir: string;
  let api: RunningApi;
  const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
  const read = (path: string) => api.http.get(`/api/v1${path}`).set('Authorization', api.bearer(AUDITOR));
  const write = (path: string, body: object) =>
    api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(ADMIN)).send(body);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-parsing-'));
    api = await startApi({ dataDir, clock });
    await seedReference(api);
    await seedSignedProjects(api);
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['2023-02-30T00:00:00Z', 'a day February does not have (Date.parse rolls it over to 2 March)'],
    ['2023-04-31T00:00:00Z', 'a day April does not have'],
    ['2023-11-01T24:00:00Z', 'hour 24'],
    ['2023-11-01T23:60:00Z', 'minute 60'],
    ['2023-11-01T12:00:60Z', 'second 60'],
    ['2023-11-01T12:00:00+24:00', 'an offset of 24 hours'],
    ['1999-12-31T12:00:00Z', 'a year before 2000'],
    ['2101-01-01T00:00:00Z', 'a year after 2100'],
    ['2100-12-31T23:00:00-23:00', 'an offset that pushes the instant past 2100'],
  ])('refuses knownAt=%s (%s) on reports and on a project', async (knownAt) => {
    expectProblem(await read(`/rates?knownAt=${encodeURIComponent(knownAt)}`), 400, { field: 'knownAt' });
    expectProblem(await read(`/projects/a?knownAt=${encodeURIComponent(knownAt)}`), 400, {
      field: 'knownAt',
    });
  });

  it('accepts real instants with any offset', async () => {
    await read(`/rates?knownAt=${encodeURIComponent('2024-02-29T23:59:59.5+08:00')}`).expect(200);
    await read(`/projects/a?knownAt=${encodeURIComponent('2023-11-01T00:00:00-05:30')}`).expect(200);
  });

  it.each(['0x10', '1e4', '0b1', '0o7', ' 16', '16.0', ''])(
    'refuses minTotalInvestmentWan=%j: decimal integers only',
    async (value) => {
      expectProblem(await read(`/rates?minTotalInvestmentWan=${encodeURIComponent(value)}`), 400, {
        field: 'minTotalInvestmentWan',
      });
    },
  );

  it('reads minTotalInvestmentWan=16 and limit=5 as numbers', async () => {
    await read('/rates?minTotalInvestmentWan=16').expect(200);
    await read('/projects?limit=5&offset=0').expect(200);
  });

  it('answers 7,500 unknown keys with a bounded problem: the first 20 fields and the count', async () => {
    const body: Record<string, unknown> = { roundId: '2023-r1', batch: 'signing' };
    for (let index = 0; index < 7500; index++) body[`k${index}`] = index;
    const response = await write('/projects/a/listings', body);
    expectProblem(response, 400, { code: 'validation-failed' });
    expect(response.text.length).toBeLessThan(8_000);
    expect(response.body.errors).toHaveLength(20);
    expect(response.body.detail).toContain('7500');
  });

  it('cuts a field name of 100 KB to 100 characters in the problem', async () => {
    const response = await write('/projects/a/listings', {
      roundId: '2023-r1',
      batch: 'signing',
      ['k'.repeat(100_000)]: 1,
    });
    expectProblem(response, 400);
    expect(response.text.length).toBeLessThan(2_000);
  });

  it('refuses an amendment that sets the total below the completed investment (409)', async () => {
    await write('/projects/a/investment-progress', {
      month: '2023-10',
      completedInvestmentWan: 200_000,
    }).expect(201);
    const below = await write('/projects/a/amendments', { totalInvestmentWan: 199_999, reason: '核减' });
    expectProblem(below, 409, { code: 'total-below-completed' });
    await write('/projects/a/amendments', { totalInvestmentWan: 200_000, reason: '核减' }).expect(201);
  });
});
