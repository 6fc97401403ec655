import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrackerCommands } from '@app/application';
import { Zone, possibleDuplicates, projectStreamId, roundStreamId, zoneStreamId } from '@app/domain';
import { EventStore, NewEvent, SqliteEventStore } from '@app/event-store';
import {
  ImportEnvironment,
  ImportForbiddenError,
  ImportNotSupportedError,
  ImportRejectedError,
  runImport,
} from './run-import';
import { SheetValues, csvOf, xlsxOf } from '@app/import/testing';

const JINZHONG: Zone = {
  id: 'jinzhong-kfq',
  name: '晋中开发区',
  cityId: 'jinzhong',
  category: 'industrial',
  level: 'national',
};
const LINFEN: Zone = {
  id: 'linfen-kfq',
  name: '临汾开发区',
  cityId: 'linfen',
  category: 'industrial',
  level: 'provincial',
};

const fact = (type: string, data: unknown): NewEvent => ({
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

const rowOf = (i: number, overrides: SheetValues = {}): SheetValues => ({
  projectId: `imp-${i}`,
  name: `项目${i}`,
  enterprise: `企业${i}`,
  zone: i % 2 === 0 ? '晋中开发区' : 'linfen-kfq',
  totalInvestmentWan: 1000 + i,
  industrial: '是',
  roundId: '2023-r2',
  batch: '开工',
  signedOn: '2023/1/10',
  constructionStartedOn: new Date(Date.UTC(2023, 2, 1)),
  ...overrides,
});

describe('running an import on the embedded store', () => {
  let dir: string;
  let store: SqliteEventStore;
  let environment: ImportEnvironment;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plt-import-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    await store.append(zoneStreamId(JINZHONG.id), [fact('ZoneRegistered', JINZHONG)], 'no_stream');
    await store.append(zoneStreamId(LINFEN.id), [fact('ZoneRegistered', LINFEN)], 'no_stream');
    await store.append(
      roundStreamId('2023-r2'),
      [fact('RoundRegistered', { id: '2023-r2', heldOn: '2023-05-29' })],
      'no_stream',
    );
    environment = {
      commands: new TrackerCommands(store, {
        clock: { now: () => new Date('2023-06-30T02:00:00.000Z') },
        utcOffsetMinutes: 480,
      }),
      store,
      caller: { sub: 'admin-1', role: 'admin', zones: [], cities: [] },
    };
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every row in one append, with the file, its SHA-256 and the row as source', async () => {
    // given
    const bytes = await xlsxOf([rowOf(1), rowOf(2)]);
    const head = await store.headPosition();
    // when
    const summary = await runImport({ name: '晋中-2023第二批.xlsx', bytes }, environment, {
      importId: 'import-1',
    });
    // then
    expect(summary).toMatchObject({ importId: 'import-1', rows: 2, projects: 2, events: 6, dryRun: false });
    expect(summary.sha256).toMatch(/^[0-9a-f]{64}$/);
    const written = await store.readAll({ after: head });
    expect(written.map((e) => [e.streamId, e.type])).toEqual([
      ['project-imp-1', 'ProjectSigned'],
      ['project-imp-1', 'ConstructionStarted'],
      ['project-imp-1', 'ProjectListed'],
      ['project-imp-2', 'ProjectSigned'],
      ['project-imp-2', 'ConstructionStarted'],
      ['project-imp-2', 'ProjectListed'],
    ]);
    expect(written[3].metadata).toEqual({
      recordedAt: '2023-06-30T02:00:00.000Z',
      recordedBy: 'admin-1',
      role: 'admin',
      source: { kind: 'import', file: '晋中-2023第二批.xlsx', sha256: summary.sha256, row: 4 },
      correlationId: 'import-1',
      causationId: 'import-1',
    });
    expect(written[0].data).toEqual({
      projectId: 'imp-1',
      zoneId: 'linfen-kfq',
      name: '项目1',
      enterprise: '企业1',
      totalInvestmentWan: 1001,
      industrial: true,
      strategicEmerging: false,
      signedOn: '2023-01-10',
    });
    expect(summary.position).toBe(await store.headPosition());
  });

  it('records nothing when the same file (or its CSV twin) is imported again', async () => {
    // given
    const rows = [rowOf(1), rowOf(2), rowOf(3)];
    await runImport({ name: 'a.xlsx', bytes: await xlsxOf(rows) }, environment);
    const head = await store.headPosition();
    // when
    const again = await runImport({ name: 'a.xlsx', bytes: await xlsxOf(rows) }, environment);
    const asCsv = await runImport({ name: 'a.csv', bytes: await csvOf(rows) }, environment);
    // then
    expect([again.events, asCsv.events]).toEqual([0, 0]);
    expect(await store.headPosition()).toBe(head);
  });

  it('writes nothing when any row is wrong, and names every problem', async () => {
    // given
    const rows = [
      rowOf(1),
      rowOf(2, { constructionStartedOn: '2022-12-01' }),
      rowOf(3),
      rowOf(4, { signedOn: '明天' }),
    ];
    const head = await store.headPosition();
    // when
    const attempt = runImport({ name: 'bad.csv', bytes: await csvOf(rows) }, environment);
    // then
    await expect(attempt).rejects.toBeInstanceOf(ImportRejectedError);
    await expect(attempt).rejects.toMatchObject({
      issues: [
        { row: 4, column: '开工日期', message: '开工日期早于签约日期 / construction start before signing' },
        { row: 6, column: '签约日期', message: expect.stringContaining('not a valid date') },
      ],
    });
    expect(await store.headPosition()).toBe(head);
  });

  it("decides every row by the command path's own rules: the programme's start it is configured with", async () => {
    // given: the command path of a programme that began on 2023-01-15
    const later: ImportEnvironment = {
      ...environment,
      commands: new TrackerCommands(store, {
        clock: { now: () => new Date('2023-06-30T02:00:00.000Z') },
        utcOffsetMinutes: 480,
        programmeStartOn: '2023-01-15',
      }),
    };
    const head = await store.headPosition();
    // when: row 3 is signed before it, row 4 after it
    const attempt = runImport(
      { name: 'a.csv', bytes: await csvOf([rowOf(1), rowOf(2, { signedOn: '2023-01-20' })]) },
      later,
    );
    // then
    await expect(attempt).rejects.toMatchObject({
      issues: [
        {
          row: 3,
          column: '签约日期',
          message:
            '日期 2023-01-10 早于“三个一批”活动开始（2023-01-15） / 2023-01-10 is before the programme began (2023-01-15)',
        },
      ],
    });
    expect(await store.headPosition()).toBe(head);
  });

  it('checks without writing in a dry run', async () => {
    const head = await store.headPosition();
    const summary = await runImport({ name: 'a.csv', bytes: await csvOf([rowOf(1)]) }, environment, {
      dryRun: true,
    });
    expect(summary).toMatchObject({ dryRun: true, events: 3, position: 0 });
    expect(summary.results).toEqual([
      { row: 3, projectId: 'imp-1', events: ['ProjectSigned', 'ConstructionStarted', 'ProjectListed'] },
    ]);
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses rows of zones the caller may not act for, writing none', async () => {
    const officer: ImportEnvironment = {
      ...environment,
      caller: { sub: 'officer-1', role: 'officer', zones: ['jinzhong-kfq'], cities: [] },
    };
    const attempt = runImport({ name: 'a.csv', bytes: await csvOf([rowOf(1), rowOf(2), rowOf(3)]) }, officer);
    await expect(attempt).rejects.toBeInstanceOf(ImportForbiddenError);
    await expect(attempt).rejects.toMatchObject({ issues: [{ row: 3 }, { row: 5 }] });
  });

  it('checks again when a project changes between the check and the append', async () => {
    // given: while the rows are checked, someone signs project imp-2 through the API
    let raced = false;
    const racing: ImportEnvironment = { ...environment };
    const bytes = await csvOf([rowOf(1), rowOf(2, { constructionStartedOn: '', batch: '签约' })]);
    // when
    const summary = await runImport({ name: 'a.csv', bytes }, racing, {
      onProgress: (phase) => {
        if (phase !== 'writing' || raced) return;
        raced = true;
        void store.append(
          projectStreamId('imp-2'),
          [
            fact('ProjectSigned', {
              projectId: 'imp-2',
              zoneId: 'jinzhong-kfq',
              name: '项目2',
              enterprise: '企业2',
              totalInvestmentWan: 1002,
              industrial: true,
              strategicEmerging: false,
              signedOn: '2023-01-10',
            }),
          ],
          'no_stream',
        );
      },
    });
    // then: the second check finds imp-2 signed identically and adds only its listing
    expect(raced).toBe(true);
    expect(summary.results.map((r) => r.events)).toEqual([
      ['ProjectSigned', 'ConstructionStarted', 'ProjectListed'],
      ['ProjectListed'],
    ]);
    expect((await store.readStream(projectStreamId('imp-2'))).map((e) => e.type)).toEqual([
      'ProjectSigned',
      'ProjectListed',
    ]);
  });

  it('warns per row as the project endpoints do, against recorded projects and earlier rows, and records the file', async () => {
    // given: a project recorded before (known to the read model's query), then a file with a
    // row typed in 亿元, a row duplicating the recorded project and one repeating an earlier row
    const recorded = { projectId: 'JZ-OLD-1', zoneId: JINZHONG.id, name: '晋中新材料', enterprise: '旧企业' };
    const asked: string[] = [];
    environment.possibleDuplicatesOf = (candidate) => {
      asked.push(candidate.projectId);
      return possibleDuplicates(candidate, [recorded]);
    };
    const file = {
      name: 'warn.csv',
      bytes: await csvOf([
        rowOf(0, { totalInvestmentWan: 47 }),
        rowOf(2, { name: '晋中 新材料', enterprise: '新企业' }),
        rowOf(4, { name: '项目0', enterprise: '企业0' }),
        rowOf(1),
      ]),
    };
    // when
    const summary = await runImport(file, environment);
    // then: every row recorded; each warning names its row, column, code and both languages
    expect(summary.events).toBe(12);
    expect(summary.warnings).toEqual([
      {
        row: 3,
        column: '总投资（万元）',
        code: 'amount-looks-like-yi',
        message: expect.stringMatching(/^金额 47 万元偏小.* \/ 47 万元 is very small/),
      },
      {
        row: 4,
        column: '项目名称',
        code: 'possible-duplicate',
        projectId: 'JZ-OLD-1',
        message: expect.stringMatching(
          /^可能与已有项目 JZ-OLD-1（晋中新材料）重复.* \/ possibly a duplicate of project JZ-OLD-1/,
        ),
      },
      {
        row: 5,
        column: '项目名称',
        code: 'possible-duplicate',
        projectId: 'imp-0',
        message: expect.stringMatching(/same zone, name and enterprise$/),
      },
    ]);
    expect(asked).toEqual(['imp-0', 'imp-2', 'imp-4', 'imp-1']);
    // and: importing it again signs nothing, so warns about nothing
    expect(await runImport(file, environment)).toMatchObject({ events: 0, warnings: [] });
  });

  it('refuses to write on a store that cannot append atomically', async () => {
    const plain = Object.create(store, { appendAtomically: { value: undefined } }) as EventStore;
    const attempt = runImport(
      { name: 'a.csv', bytes: await csvOf([rowOf(1)]) },
      { ...environment, store: plain },
    );
    await expect(attempt).rejects.toBeInstanceOf(ImportNotSupportedError);
  });
});
