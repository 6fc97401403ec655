import { LifecycleReadModel } from './lifecycle-read-model';
import { listProjects, stalledProjects } from './project-lists';
import { RateQuery, RateTable, rateTable } from './rates';
import { unknownReference } from './references';
import { HistoryBuilder } from './testing/history-builder';

function modelOf(builder: HistoryBuilder): LifecycleReadModel {
  const model = new LifecycleReadModel();
  model.apply(builder.events);
  return model;
}

/** The table as the API gets it, checked against a forced scan (the two paths must agree). */
function table(model: LifecycleReadModel, query: RateQuery): RateTable {
  const answer = rateTable(model, query);
  expect(rateTable(model, query, null)).toEqual(answer);
  return answer;
}

const zoneRow = (answer: RateTable, id: string) => answer.rows.find((row) => row.id === id)!;

describe('a project voided as recorded in error (作废)', () => {
  // given: two signed projects of zone z1 in round r1's signing batch; one started; the
  // unstarted one was entered twice and is voided on 2023-07-01
  const builder = new HistoryBuilder()
    .zone({ id: 'z1', cityId: 'c1' })
    .round('r1', '2023-02-22')
    .at('2023-03-01T00:00:00Z')
    .sign('real', 'z1', 300, { signedOn: '2023-02-22' })
    .list('real', 'r1', '2023-02-22', 'signing')
    .reach('real', 'construction-started', '2023-04-01')
    .sign('twice', 'z1', 100, { signedOn: '2023-02-22' })
    .list('twice', 'r1', '2023-02-22', 'signing')
    .at('2023-07-01T00:00:00Z')
    .void('twice');
  const model = modelOf(builder);
  const beforeVoid = '2023-06-30T00:00:00.000Z';

  it('leaves the cohort as known from the void on, whatever the as-of date', () => {
    // when
    const today = table(model, { scope: 'zone', asOf: '2023-12-31' });
    const earlier = table(model, { scope: 'zone', asOf: '2023-05-01' });
    // then
    expect(zoneRow(today, 'z1').start).toMatchObject({
      cohortCount: 1,
      cohortWan: 300,
      count: 1,
      byCount: 1,
    });
    expect(zoneRow(earlier, 'z1').start).toMatchObject({ cohortCount: 1, count: 1 });
  });

  it('was in the cohort as known before the void', () => {
    // when
    const asKnown = table(model, { scope: 'zone', asOf: '2023-12-31', knownAt: beforeVoid });
    // then
    expect(zoneRow(asKnown, 'z1').start).toMatchObject({
      cohortCount: 2,
      cohortWan: 400,
      count: 1,
      byCount: 0.5,
    });
  });

  it('leaves the lists and the stalled lists too, as known from the void on', () => {
    // when / then
    expect(listProjects(model, { asOf: '2023-12-31' }).items.map((p) => p.projectId)).toEqual(['real']);
    expect(
      listProjects(model, { asOf: '2023-12-31', knownAt: beforeVoid })
        .items.map((p) => p.projectId)
        .sort(),
    ).toEqual(['real', 'twice']);
    const stalled = stalledProjects(model, { asOf: '2023-12-31', minDays: { signedNotStarted: 0 } });
    expect(stalled.signedNotStarted.map((p) => p.projectId)).toEqual([]);
  });

  it('keeps its history in the model', () => {
    // when
    const timeline = model.projects.get('twice')!;
    // then
    expect(timeline.facts.map((f) => f.event.type)).toEqual([
      'ProjectSigned',
      'ProjectListed',
      'ProjectVoided',
    ]);
    expect(timeline.current).toBeUndefined();
  });
});

describe('a listing withdrawn as recorded in error', () => {
  // given: one project listed in the construction batch of r2 by mistake, withdrawn later
  const builder = new HistoryBuilder()
    .zone({ id: 'z1', cityId: 'c1' })
    .round('r1', '2023-02-22')
    .round('r2', '2023-05-29')
    .at('2023-06-01T00:00:00Z')
    .sign('p', 'z1', 500, { signedOn: '2023-02-22' })
    .list('p', 'r1', '2023-02-22', 'signing')
    .reach('p', 'construction-started', '2023-05-01')
    .list('p', 'r2', '2023-05-29', 'construction')
    .at('2023-08-01T00:00:00Z')
    .withdraw('p', 'r2', '2023-05-29', 'construction');
  const model = modelOf(builder);

  it('leaves that batch as known from the withdrawal on, and keeps the other listings', () => {
    // when
    const now = zoneRow(table(model, { scope: 'zone', asOf: '2023-12-31' }), 'z1');
    const before = zoneRow(
      table(model, { scope: 'zone', asOf: '2023-12-31', knownAt: '2023-07-01T00:00:00.000Z' }),
      'z1',
    );
    // then
    expect(now.production.cohortCount).toBe(0);
    expect(now.start).toMatchObject({ cohortCount: 1, count: 1 });
    expect(before.production.cohortCount).toBe(1);
  });
});

describe('zones and rounds corrected', () => {
  it('rolls a zone up into its corrected city, with its corrected name', () => {
    // given
    const model = modelOf(
      new HistoryBuilder()
        .zone({ id: 'z1', name: '晋中开发区', cityId: 'yangquan' })
        .round('r1', '2023-02-22')
        .sign('p', 'z1', 100, { signedOn: '2023-02-22' })
        .list('p', 'r1', '2023-02-22', 'signing')
        .correctZone('z1', { cityId: 'jinzhong', name: '晋中国家级开发区' }),
    );
    // when
    const cities = table(model, { scope: 'city', asOf: '2023-12-31' });
    // then
    expect(cities.rows.map((row) => row.id)).toEqual(['jinzhong']);
    expect(zoneRow(cities, 'jinzhong').start.cohortCount).toBe(1);
    expect(model.zones.get('z1')).toMatchObject({ name: '晋中国家级开发区', cityId: 'jinzhong' });
  });

  describe('bitemporally: as known before the correction, the zone was as registered', () => {
    // given: z1 registered in 阳泉 as an agricultural zone; corrected on 2023-06-01 to 晋中, industrial
    const model = modelOf(
      new HistoryBuilder()
        .at('2023-01-01T00:00:00Z')
        .zone({ id: 'z1', name: '晋中开发区', cityId: 'yangquan', category: 'agricultural' })
        .zone({ id: 'z2', name: '阳泉开发区', cityId: 'yangquan' })
        .round('r1', '2023-02-22')
        .at('2023-03-01T00:00:00Z')
        .sign('p', 'z1', 100, { signedOn: '2023-02-22' })
        .list('p', 'r1', '2023-02-22', 'signing')
        .sign('q', 'z2', 300, { signedOn: '2023-02-22' })
        .list('q', 'r1', '2023-02-22', 'signing')
        .reach('q', 'construction-started', '2023-04-01')
        .at('2023-06-01T00:00:00Z')
        .correctZone('z1', { cityId: 'jinzhong', name: '晋中国家级开发区', category: 'industrial' }),
    );
    const before = '2023-05-31T00:00:00.000Z';
    const after = '2023-06-02T00:00:00.000Z';

    it('rates by city: 阳泉 had both projects before, 晋中 has p after', () => {
      // when
      const known = (knownAt: string) =>
        Object.fromEntries(
          table(model, { scope: 'city', asOf: '2023-12-31', knownAt }).rows.map((row) => [
            row.id,
            [row.start.cohortCount, row.start.count],
          ]),
        );
      // then
      expect(known(before)).toEqual({ yangquan: [2, 1] });
      expect(known(after)).toEqual({ jinzhong: [1, 0], yangquan: [1, 1] });
      expect(table(model, { scope: 'city', asOf: '2023-12-31' }).rows.map((row) => row.id)).toEqual([
        'jinzhong',
        'yangquan',
      ]);
    });

    it('zone rows carry the name as known then; filters by city and category use it too', () => {
      // when
      const zones = (knownAt: string) => table(model, { scope: 'zone', asOf: '2023-12-31', knownAt });
      const byCity = (knownAt: string) =>
        table(model, { scope: 'province', asOf: '2023-12-31', knownAt, cityId: 'jinzhong' }).rows[0].start;
      const industrial = (knownAt: string) =>
        table(model, { scope: 'province', asOf: '2023-12-31', knownAt, zoneCategory: 'industrial' }).rows[0]
          .start;
      // then
      expect(zoneRow(zones(before), 'z1').name).toBe('晋中开发区');
      expect(zoneRow(zones(after), 'z1').name).toBe('晋中国家级开发区');
      expect(byCity(before).cohortCount).toBe(0);
      expect(byCity(after).cohortCount).toBe(1);
      expect(industrial(before).cohortCount).toBe(1);
      expect(industrial(after).cohortCount).toBe(2);
    });

    it('lists name the city as known then; the zones as known then are as registered', () => {
      // when
      const city = (knownAt: string) =>
        stalledProjects(model, { asOf: '2023-12-31', knownAt }).signedNotStarted[0].cityId;
      // then
      expect(city(before)).toBe('yangquan');
      expect(city(after)).toBe('jinzhong');
      expect(model.zonesAt(Date.parse(before)).get('z1')).toMatchObject({
        name: '晋中开发区',
        cityId: 'yangquan',
        category: 'agricultural',
      });
      expect(model.zonesAt(Date.parse(after)).get('z1')).toMatchObject({ cityId: 'jinzhong' });
      expect(model.zonesAt(Date.parse('2022-12-31T00:00:00Z')).size).toBe(0);
      // a query naming the city z1 left is answered (as known before, z1 was there), not refused
      expect(unknownReference(model, { cityId: 'yangquan' })).toBeUndefined();
    });
  });

  it("keeps a round's corrected date, and the registered one as known before the correction", () => {
    // given
    const model = modelOf(
      new HistoryBuilder()
        .at('2023-01-01T00:00:00Z')
        .round('r1', '2023-02-22')
        .at('2023-02-01T00:00:00Z')
        .correctRound('r1', { heldOn: '2023-02-23' }),
    );
    // then
    expect(model.rounds.get('r1')).toEqual({ id: 'r1', heldOn: '2023-02-23' });
    expect(model.roundsAt(Date.parse('2023-01-15T00:00:00Z')).get('r1')).toEqual({
      id: 'r1',
      heldOn: '2023-02-22',
    });
    expect(model.roundsAt(Date.parse('2023-02-01T00:00:00Z')).get('r1')?.heldOn).toBe('2023-02-23');
  });
});

describe('unknown references in a query', () => {
  const model = modelOf(
    new HistoryBuilder().zone({ id: 'jinzhong-kfq', cityId: 'jinzhong' }).round('2023-r1', '2023-02-22'),
  );

  it('names the first unknown zone, city or round', () => {
    expect(unknownReference(model, { zoneId: 'jinzong-kfq' })).toEqual({ kind: 'zone', id: 'jinzong-kfq' });
    expect(unknownReference(model, { cityId: 'jinzong' })).toEqual({ kind: 'city', id: 'jinzong' });
    expect(unknownReference(model, { roundIds: ['2023-r1', '2023-r9'] })).toEqual({
      kind: 'round',
      id: '2023-r9',
    });
  });

  it('knows registered ones, and cities through their zones', () => {
    expect(
      unknownReference(model, { zoneId: 'jinzhong-kfq', cityId: 'jinzhong', roundIds: ['2023-r1'] }),
    ).toBeUndefined();
    expect(unknownReference(model, {})).toBeUndefined();
  });
});
