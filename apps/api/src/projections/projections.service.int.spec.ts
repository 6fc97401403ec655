import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/config';
import { zoneStreamId } from '@app/domain';
import { NewEvent } from '@app/event-store';
import { InMemoryEventStore } from '@app/event-store/testing';
import { SNAPSHOT_FILE } from '@app/projections';
import { ProjectionsService } from './projections.service';

const zoneRegistered = (id: string): NewEvent => ({
  id: randomUUID(),
  type: 'ZoneRegistered',
  schemaVersion: 1,
  data: { id, name: `开发区 ${id}`, cityId: 'city-1', category: 'industrial', level: 'provincial' },
  metadata: {
    recordedAt: '2024-01-01T00:00:00.000Z',
    recordedBy: 'test',
    source: { kind: 'api' },
    correlationId: 'c',
    causationId: 'c',
  },
});

describe('ProjectionsService snapshots', () => {
  let dataDir: string;
  let store: InMemoryEventStore;
  let service: ProjectionsService;
  let zones = 0;
  const register = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const id = `zone-${zones++}`;
      await store.append(zoneStreamId(id), [zoneRegistered(id)], 'no_stream');
    }
    return store.headPosition();
  };
  const snapshotWritten = () => existsSync(join(dataDir, SNAPSHOT_FILE));

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-projections-'));
    store = new InMemoryEventStore();
    service = new ProjectionsService(
      store,
      loadConfig({ DATA_DIR: dataDir, PROJECTION_SNAPSHOT_EVERY: '4' }),
    );
    await service.onApplicationBootstrap();
  });

  afterEach(async () => {
    await service.onApplicationShutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('puts the snapshot off while a write waits for its events, and writes it once nobody waits', async () => {
    // given: a write (an import) waiting for a position its later events will reach
    const waiting = service.waitFor((await store.headPosition()) + 6);

    // when: the snapshot becomes due while it waits
    await service.waitFor(await register(4));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // then: not written while the write waits
    expect(snapshotWritten()).toBe(false);

    // when: the write's events arrive and nobody waits any more
    const head = await register(2);
    await waiting;
    while (service.snapshot.lastWritten === undefined)
      await new Promise((resolve) => setTimeout(resolve, 20));

    // then
    expect(service.snapshot.lastWritten.position).toBe(head);
    expect(snapshotWritten()).toBe(true);
  });

  it('writes the snapshot past twice its interval even while writes keep waiting', async () => {
    // given: a write that waits beyond everything appended here
    void service.waitFor((await store.headPosition()) + 100);

    // when
    const head = await register(8);
    await service.waitFor(head);
    while (service.snapshot.lastWritten === undefined)
      await new Promise((resolve) => setTimeout(resolve, 20));

    // then
    expect(service.snapshot.lastWritten.position).toBe(head);
  });
});
