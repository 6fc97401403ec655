import { randomUUID } from 'node:crypto';
import { Caller, Clock, ProjectCommandBatch, TrackerCommands } from '@app/application';
import { ProjectEvent, Round, Zone, projectStreamId, roundStreamId, zoneStreamId } from '@app/domain';
import { InMemoryEventStore } from '@app/event-store/testing';
import { ImportRow } from './parse-rows';
import { ImportPlan, generatedProjectId, planImport } from './plan-import';

const ZONES: Zone[] = [
  { id: 'jinzhong-kfq', name: '晋中开发区', cityId: 'jinzhong', category: 'industrial', level: 'national' },
  { id: 'linfen-kfq', name: '临汾开发区', cityId: 'linfen', category: 'industrial', level: 'provincial' },
];
const ROUNDS: Round[] = [
  { id: '2023-r1', heldOn: '2023-02-22' },
  { id: '2023-r2', heldOn: '2023-05-29' },
  { id: '2023-r3', heldOn: '2023-09-01' },
];

const ADMIN: Caller = { sub: 'admin-1', role: 'admin', zones: [], cities: [] };

const recorded = (type: string, data: unknown) => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: {
    recordedAt: '2023-01-01T00:00:00.000Z',
    recordedBy: 'admin',
    source: { kind: 'api' },
    correlationId: 'c',
    causationId: 'c',
  },
});

/**
 * Plans the rows on a store holding the zones, rounds and the given project histories, through
 * the command path of `TrackerCommands` (today: 2023-06-30 unless given).
 */
async function planOn(
  rows: ImportRow[],
  options: { histories?: Record<string, ProjectEvent[]>; today?: string; caller?: Caller } = {},
): Promise<ImportPlan & { batch: ProjectCommandBatch }> {
  const store = new InMemoryEventStore();
  for (const zone of ZONES)
    await store.append(zoneStreamId(zone.id), [recorded('ZoneRegistered', zone)], 'no_stream');
  for (const round of ROUNDS)
    await store.append(roundStreamId(round.id), [recorded('RoundRegistered', round)], 'no_stream');
  for (const [projectId, history] of Object.entries(options.histories ?? {})) {
    await store.append(
      projectStreamId(projectId),
      history.map((event) => recorded(event.type, event.data)),
      'no_stream',
    );
  }
  const clock: Clock = { now: () => new Date(`${options.today ?? '2023-06-30'}T04:00:00.000Z`) };
  const batch = new TrackerCommands(store, { clock, utcOffsetMinutes: 480 }).batch();
  const plan = await planImport(
    rows,
    batch,
    { caller: options.caller ?? ADMIN, importId: 'import-1', file: 'a.xlsx', sha256: 'f'.repeat(64) },
    { zones: async () => ZONES },
  );
  return { ...plan, batch };
}

const row = (overrides: Partial<ImportRow> = {}): ImportRow => ({
  row: 3,
  projectId: 'p-1',
  name: '项目甲',
  enterprise: '企业甲',
  zone: 'jinzhong-kfq',
  totalInvestmentWan: 470300,
  industrial: true,
  roundId: '2023-r2',
  batch: 'construction',
  signedOn: '2023-01-10',
  milestones: { 'construction-started': '2023-03-01', 'statistics-entered': '2023-04-01' },
  ...overrides,
});

const SIGNED: ProjectEvent = {
  type: 'ProjectSigned',
  data: {
    projectId: 'p-1',
    zoneId: 'jinzhong-kfq',
    name: '项目甲',
    enterprise: '企业甲',
    totalInvestmentWan: 470300,
    industrial: true,
    strategicEmerging: false,
    signedOn: '2023-01-10',
  },
};
const RECORDED: ProjectEvent[] = [
  SIGNED,
  { type: 'ConstructionStarted', data: { projectId: 'p-1', occurredOn: '2023-03-01' } },
  { type: 'StatisticsEntered', data: { projectId: 'p-1', occurredOn: '2023-04-01' } },
  {
    type: 'ProjectListed',
    data: { projectId: 'p-1', roundId: '2023-r2', heldOn: '2023-05-29', batch: 'construction' },
  },
];

describe('planning an import (every row checked by the lifecycle rules first)', () => {
  it('turns a row into signing, its milestones in order and the listing in its round batch', async () => {
    // when
    const plan = await planOn([row()]);
    // then
    expect(plan.issues).toEqual([]);
    expect(plan.rows).toEqual([{ row: 3, projectId: 'p-1', events: RECORDED }]);
    expect(plan.batch.eventCount).toBe(RECORDED.length);
  });

  it('plans nothing for a row already recorded identically, blank optional cells included', async () => {
    // when
    const withChain = RECORDED.map((event) =>
      event.type === 'ProjectSigned' ? { ...event, data: { ...event.data, industryChain: '新材料' } } : event,
    );
    const plan = await planOn([row({ strategicEmerging: undefined })], { histories: { 'p-1': withChain } });
    // then
    expect(plan.issues).toEqual([]);
    expect(plan.rows).toEqual([{ row: 3, projectId: 'p-1', events: [] }]);
    expect(plan.batch.eventCount).toBe(0);
  });

  it('adds only what is new to a recorded project, after its recorded revision', async () => {
    // when: production started since, and the project is listed again in a later round
    const plan = await planOn(
      [row({ roundId: '2023-r1', batch: 'signing', milestones: { 'construction-started': '2023-03-01' } })],
      { histories: { 'p-1': RECORDED }, today: '2023-09-30' },
    );
    // then
    expect(plan.issues).toEqual([]);
    expect(plan.rows).toEqual([
      {
        row: 3,
        projectId: 'p-1',
        events: [
          {
            type: 'ProjectListed',
            data: { projectId: 'p-1', roundId: '2023-r1', heldOn: '2023-02-22', batch: 'signing' },
          },
        ],
      },
    ]);
    expect(plan.batch.eventCount).toBe(1);
  });

  it('reports a row that conflicts with what is recorded instead of overwriting it', async () => {
    // when
    const plan = await planOn(
      [row({ totalInvestmentWan: 500000, milestones: { 'construction-started': '2023-03-02' } })],
      { histories: { 'p-1': RECORDED } },
    );
    // then
    expect(plan.batch.eventCount).toBe(0);
    expect(plan.issues).toEqual([
      {
        row: 3,
        column: '总投资（万元）',
        message:
          '与已登记的“470300”不一致，修改请走变更 / differs from the recorded value "470300": change it with an amendment',
      },
      {
        row: 3,
        column: '开工日期',
        message:
          '开工已登记为 2023-03-01，更正请用更正接口 / construction start is already recorded on 2023-03-01: use a correction to change it',
      },
    ]);
  });

  it('names the column and says in Chinese then English which rule a row breaks', async () => {
    // when
    const plan = await planOn([
      row({ row: 3, projectId: 'a', milestones: { 'construction-started': '2023-01-01' } }),
      row({ row: 4, projectId: 'b', milestones: { 'production-started': '2023-04-01' }, batch: 'signing' }),
      row({ row: 5, projectId: 'c', roundId: '2023-r3' }),
      row({ row: 6, projectId: 'd', signedOn: '2023-07-01', milestones: {}, batch: 'signing' }),
      row({ row: 7, projectId: 'e', batch: 'production' }),
      row({ row: 8, projectId: 'f', zone: '运城开发区', roundId: 'nope' }),
      row({ row: 9, projectId: 'g', roundId: 'nope' }),
      row({ row: 10, projectId: 'h', signedOn: '2023-06-01', milestones: {}, batch: 'signing' }),
      row({ row: 11, projectId: 'i', plannedStartOn: '2023-05-01', plannedProductionOn: '2023-04-01' }),
    ]);
    // then
    expect(plan.batch.eventCount).toBeGreaterThan(0);
    expect(plan.issues).toEqual([
      { row: 3, column: '开工日期', message: '开工日期早于签约日期 / construction start before signing' },
      {
        row: 4,
        column: '投产日期',
        message: '填写了投产日期，但没有开工日期 / production start given without construction start',
      },
      {
        row: 5,
        column: '活动轮次',
        message: '活动轮次于 2023-09-01 举行，晚于今天 / the round is held on 2023-09-01, after today',
      },
      { row: 6, column: '签约日期', message: '日期晚于今天 / the date is in the future' },
      {
        row: 7,
        column: '批次',
        message:
          "投产一批需要在活动日期 2023-05-29 前投产 / a production batch listing needs production start on or before the round's date 2023-05-29",
      },
      {
        row: 8,
        column: '开发区',
        message: '未登记的开发区“运城开发区” / the zone "运城开发区" is not registered',
      },
      { row: 9, column: '活动轮次', message: '未登记的活动轮次“nope” / unknown round "nope"' },
      {
        row: 10,
        column: '签约日期',
        message: '签约日期晚于活动日期 2023-05-29 / signed after the round was held (2023-05-29)',
      },
      {
        row: 11,
        column: '计划投产日期',
        message: '计划投产日期早于计划开工日期 / planned production before planned start',
      },
    ]);
  });

  it('does not repeat an error for the milestones that depend on a failed one', async () => {
    const plan = await planOn([
      row({
        milestones: {
          'construction-started': '2022-12-01',
          'production-started': '2023-04-01',
          attained: '2023-05-01',
        },
      }),
    ]);
    expect(plan.issues.map((issue) => issue.column)).toEqual(['开工日期']);
  });

  it('checks each row as if the rows before it had been applied', async () => {
    // when: row 4 repeats row 3, row 5 records production for the same project, row 6 contradicts row 3
    const plan = await planOn([
      row({ row: 3, batch: 'signing', roundId: '2023-r1', milestones: {} }),
      row({ row: 4, batch: 'signing', roundId: '2023-r1', milestones: {} }),
      row({
        row: 5,
        batch: 'signing',
        roundId: '2023-r1',
        milestones: { 'construction-started': '2023-03-01', 'production-started': '2023-05-01' },
      }),
      row({
        row: 6,
        batch: 'signing',
        roundId: '2023-r1',
        milestones: { 'construction-started': '2023-03-05' },
      }),
    ]);
    // then
    expect(plan.rows.map((r) => [r.row, r.events.map((e) => e.type)])).toEqual([
      [3, ['ProjectSigned', 'ProjectListed']],
      [4, []],
      [5, ['ConstructionStarted', 'ProductionStarted']],
      [6, []],
    ]);
    expect(plan.issues).toEqual([
      {
        row: 6,
        column: '开工日期',
        message:
          '开工已登记为 2023-03-01，更正请用更正接口 / construction start is already recorded on 2023-03-01: use a correction to change it',
      },
    ]);
  });

  it('finds a zone by its name, spaces and full-width forms ignored', async () => {
    const plan = await planOn([row({ zone: ' 晋中 开发区 ' })]);
    expect(plan.issues).toEqual([]);
    expect(plan.rows[0].events[0]).toMatchObject({ data: { zoneId: 'jinzhong-kfq' } });
  });

  it('gives a row without a project id the same generated id every time', async () => {
    // when
    const first = await planOn([row({ projectId: undefined })]);
    const again = await planOn([row({ projectId: undefined, milestones: {} })]);
    // then
    const id = generatedProjectId('jinzhong-kfq', {
      name: '项目甲',
      enterprise: '企业甲',
      signedOn: '2023-01-10',
    });
    expect(id).toMatch(/^p-[0-9a-f]{20}$/);
    expect(first.rows[0].projectId).toBe(id);
    expect(again.rows[0].projectId).toBe(id);
    expect(
      generatedProjectId('jinzhong-kfq', { name: '项目乙', enterprise: '企业甲', signedOn: '2023-01-10' }),
    ).not.toBe(id);
  });

  it('refuses an invalid project id', async () => {
    const plan = await planOn([row({ projectId: 'a/b' })]);
    expect(plan.issues).toEqual([
      { row: 3, column: '项目编号', message: expect.stringContaining('the project id must be') },
    ]);
  });

  it("names the rows of zones an officer may not act for, by the project's recorded zone", async () => {
    // given: an officer of 晋中; p-1 is recorded in 晋中, p-2 in 临汾
    const officer: Caller = { sub: 'officer-1', role: 'officer', zones: [], cities: ['jinzhong'] };
    const inLinfen = RECORDED.map((event) =>
      event.type === 'ProjectSigned'
        ? { ...event, data: { ...event.data, projectId: 'p-2', zoneId: 'linfen-kfq' } }
        : event,
    );
    // when
    const plan = await planOn(
      [
        row({ row: 3 }),
        row({ row: 4, projectId: 'p-9', zone: '临汾开发区' }),
        row({ row: 5, projectId: 'p-2' }),
      ],
      { histories: { 'p-2': inLinfen }, caller: officer },
    );
    // then
    expect(plan.forbidden).toEqual([
      {
        row: 4,
        column: '开发区',
        message: '无权导入开发区“linfen-kfq”的项目 / you may not import projects of zone linfen-kfq',
      },
      {
        row: 5,
        column: '开发区',
        message: '无权导入开发区“linfen-kfq”的项目 / you may not import projects of zone linfen-kfq',
      },
    ]);
    expect(plan.rows.map((r) => r.row)).toEqual([3]);
  });
});
