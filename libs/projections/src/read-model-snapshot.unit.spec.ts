import { createHash } from 'node:crypto';
import { RecordedEvent } from '@app/event-store';
import { leadTimes } from './lead-times';
import { LifecycleReadModel } from './lifecycle-read-model';
import { projectLights } from './project-lights';
import { listProjects, stalledProjects } from './project-lists';
import { rateTable } from './rates';
import { PROJECTION_SCHEMA_VERSION, readSnapshot, snapshotLines } from './read-model-snapshot';
import { HistoryBuilder } from './testing/history-builder';

const STORE = 'store-1';
const WRITTEN_AT = new Date('2024-06-01T00:00:00Z');

/**
 * The digest of the snapshot of `history()` at each projection schema version. A change to
 * what a snapshot stores changes the digest: bump PROJECTION_SCHEMA_VERSION and add its digest
 * here. Never edit a past entry (that would let old snapshots be read as the new shape).
 */
const SNAPSHOT_DIGESTS: Record<number, string> = {
  1: 'e0156ce67dca27d5fddb678834d29381f41d5b162883b4632a3ce8bf5caf2721',
};

/**
 * Zones and rounds corrected, projects through every kind of fact the lists and rates read,
 * one voided, and one fact recorded out of clock order (a late clock on one writer).
 */
function history(): RecordedEvent[] {
  return new HistoryBuilder()
    .zone({ id: 'z1', cityId: 'c1' })
    .zone({ id: 'z2', cityId: 'c2', category: 'agricultural' })
    .round('r1', '2023-02-22')
    .round('r2', '2023-05-29')
    .sign('a', 'z1', 12_000, { signedOn: '2023-01-10' })
    .list('a', 'r1', '2023-02-22', 'signing')
    .sign('b', 'z2', 800, { signedOn: '2023-02-01', industrial: false })
    .list('b', 'r1', '2023-02-22', 'signing')
    .reach('a', 'construction-started', '2023-03-01')
    .correctZone('z2', { name: '太谷经济技术开发区', cityId: 'c1' })
    .project({
      type: 'ObstacleRecorded',
      data: {
        projectId: 'b',
        obstacleId: 'o1',
        category: 'land',
        description: '用地',
        responsibleUnit: '自然资源局',
        raisedOn: '2023-03-02',
      },
    })
    .sign('c', 'z1', 300, { signedOn: '2023-03-01' })
    .list('c', 'r2', '2023-05-29', 'signing')
    .correctRound('r2', { heldOn: '2023-05-30' })
    .reach('a', 'production-started', '2023-06-01')
    .list('a', 'r2', '2023-05-30', 'construction')
    .amend('b', { totalInvestmentWan: 900 })
    .at('2023-01-01T00:00:00Z')
    .reach('c', 'construction-started', '2023-04-01')
    .at('2023-09-01T00:00:00Z')
    .correct('a', 'construction-started', '2023-03-05', '2023-03-01')
    .sign('d', 'z2', 50)
    .void('d')
    .withdraw('c', 'r2', '2023-05-30', 'signing')
    .reach('a', 'statistics-entered', '2023-07-01')
    .terminate('b', '2023-08-01').events;
}

function modelOf(events: readonly RecordedEvent[]): LifecycleReadModel {
  const model = new LifecycleReadModel();
  model.apply(events);
  return model;
}

function snapshotBytes(model: LifecycleReadModel, storeId = STORE): Buffer {
  return Buffer.from([...snapshotLines(model.cut(), storeId, WRITTEN_AT)].join(''));
}

/** What the API answers from a model, at several D and K (everything known, and before the late facts). */
function answers(model: LifecycleReadModel) {
  const views = [];
  for (const asOf of ['2023-03-31', '2023-06-30', '2023-12-31'])
    for (const knownAt of [
      undefined,
      '2023-01-01T00:10:00Z',
      '2023-01-01T00:20:00Z',
      '2023-10-01T00:00:00Z',
    ]) {
      views.push({
        asOf,
        knownAt,
        rates: ['province', 'city', 'zone'].map((scope) =>
          rateTable(model, { scope: scope as 'zone', asOf, knownAt }),
        ),
        leadTimes: leadTimes(model, { scope: 'zone', asOf, knownAt }),
        projects: listProjects(model, { asOf, knownAt }),
        stalled: stalledProjects(model, { asOf, knownAt }),
        lights: projectLights(model, { asOf, knownAt }),
        zones: model.zonesKnownAt(knownAt === undefined ? undefined : Date.parse(knownAt)),
      });
    }
  return views;
}

describe('read-model snapshots', () => {
  it('a model restored from a snapshot, with the tail applied, is the model a full rebuild makes and answers the same', () => {
    // given: a snapshot taken part-way through the history
    const events = history();
    const answered = answers(modelOf(events));
    for (const cutAt of [0, 7, 13, events.length]) {
      const bytes = snapshotBytes(modelOf(events.slice(0, cutAt)));

      // when: restored, and the rest of the log (and a redelivery of all of it) applied
      const { model, header } = readSnapshot(bytes, { storeId: STORE, headPosition: events.length });
      model.apply(events);

      // then: the same state (every field, private ones included) and the same answers
      expect(header.checkpoint).toEqual({ after: cutAt });
      expect(model).toEqual(modelOf(events));
      expect(answers(model)).toEqual(answered);
    }
  });

  it('the encoding of a fixed history is the one recorded for this projection schema version', () => {
    // given
    const bytes = snapshotBytes(modelOf(history()));
    // when
    const digest = createHash('sha256').update(bytes).digest('hex');
    // then: if this fails, what a snapshot stores changed: bump PROJECTION_SCHEMA_VERSION
    expect({ version: PROJECTION_SCHEMA_VERSION, digest }).toEqual({
      version: PROJECTION_SCHEMA_VERSION,
      digest: SNAPSHOT_DIGESTS[PROJECTION_SCHEMA_VERSION],
    });
  });

  it('ignores a snapshot of another schema version, another store, or beyond the store head', () => {
    // given
    const model = modelOf(history());
    const bytes = snapshotBytes(model);
    const lines = bytes.toString('utf8').split('\n');
    const header = JSON.parse(lines[0]) as { schemaVersion: number };
    const older = [
      JSON.stringify({ ...header, schemaVersion: PROJECTION_SCHEMA_VERSION - 1 }),
      ...lines.slice(1, -2),
    ];
    const resealed = Buffer.from(
      [
        ...older,
        JSON.stringify({ end: true, projects: model.projects.size, sha256: sha256(older) }),
        '',
      ].join('\n'),
    );

    // when, then
    expect(() => readSnapshot(resealed, { storeId: STORE, headPosition: 1_000 })).toThrow(
      `projection schema version ${PROJECTION_SCHEMA_VERSION - 1}, this code is at ${PROJECTION_SCHEMA_VERSION}`,
    );
    expect(() => readSnapshot(bytes, { storeId: 'store-2', headPosition: 1_000 })).toThrow(
      'of another store',
    );
    expect(() => readSnapshot(bytes, { storeId: STORE, headPosition: model.position - 1 })).toThrow(
      "beyond the store's head",
    );
    expect(readSnapshot(bytes, { storeId: STORE, headPosition: model.position }).model).toEqual(model);
  });

  it('never trusts a torn or corrupt snapshot', () => {
    // given
    const bytes = snapshotBytes(modelOf(history()));
    const expected = { storeId: STORE, headPosition: 1_000 };
    const flipped = Buffer.from(bytes);
    const inFacts = bytes.indexOf('"a",[[');
    flipped[inFacts + 10] = flipped[inFacts + 10] === 0x31 ? 0x32 : 0x31;

    // when, then: cut anywhere, one digit changed, or emptied
    for (const length of [0, 1, 100, bytes.indexOf('\n') + 1, bytes.length - 10, bytes.length - 1])
      expect(() => readSnapshot(bytes.subarray(0, length), expected)).toThrow(/^torn|^corrupt/);
    expect(() => readSnapshot(flipped, expected)).toThrow('corrupt: checksum mismatch');
    expect(() => readSnapshot(Buffer.from('{"end":true}\n'), expected)).toThrow(/^torn|^corrupt/);
  });
});

function sha256(lines: string[]): string {
  return createHash('sha256')
    .update(lines.map((line) => `${line}\n`).join(''))
    .digest('hex');
}
