import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { TrackerConfig, loadConfig } from '@app/config';
import { createApp } from '../../apps/api/src/bootstrap';
import { Clock } from '../../apps/api/src/infrastructure/clock';

export const TEST_SECRET = 'e2e-test-secret-that-is-long-enough-0123456789';

export interface Claims {
  sub?: string;
  role: 'officer' | 'auditor' | 'admin';
  zones?: string[];
  cities?: string[];
}

export interface RunningApi {
  app: INestApplication;
  config: TrackerConfig;
  url: string;
  /** supertest bound to the API over real HTTP on a loopback port. */
  http: ReturnType<typeof request>;
  token(claims: Claims): string;
  /** `Authorization` header value for the claims. */
  bearer(claims: Claims): string;
  close(): Promise<void>;
}

/** Starts the real application (same bootstrap as `npm start`) on a fresh SQLite file. */
export async function startApi(
  options: { dataDir?: string; clock?: Clock; keepData?: boolean } = {},
): Promise<RunningApi> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'plt-e2e-'));
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', AUTH_JWT_SECRET: TEST_SECRET, NODE_ENV: 'test' });
  const app = await createApp(config, { clock: options.clock });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const jwt = new JwtService({ secret: TEST_SECRET });
  const token = (claims: Claims) =>
    jwt.sign(
      { role: claims.role, zones: claims.zones ?? [], cities: claims.cities ?? [] },
      { subject: claims.sub ?? `${claims.role}-1`, algorithm: 'HS256', expiresIn: '1h' },
    );
  return {
    app,
    config,
    url,
    http: request(url),
    token,
    bearer: (claims) => `Bearer ${token(claims)}`,
    close: async () => {
      await app.close();
      if (!options.dataDir && !options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock the test moves by hand, for bitemporal scenarios. */
export class ManualClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: string | Date): void {
    this.current = new Date(instant);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const ADMIN: Claims = { role: 'admin', sub: 'admin-1' };
export const AUDITOR: Claims = { role: 'auditor', sub: 'auditor-1' };

/** Registers a small province: two cities, three zones, two rounds. */
export async function seedReference(api: RunningApi): Promise<void> {
  const admin = api.bearer(ADMIN);
  const zones = [
    { id: 'jinzhong-kfq', name: '晋中开发区', cityId: 'jinzhong', category: 'industrial', level: 'national' },
    { id: 'jiexiu-jkq', name: '介休经开区', cityId: 'jinzhong', category: 'industrial', level: 'provincial' },
    { id: 'linfen-kfq', name: '临汾开发区', cityId: 'linfen', category: 'industrial', level: 'provincial' },
  ];
  for (const zone of zones)
    await api.http.post('/api/v1/zones').set('Authorization', admin).send(zone).expect(201);
  const rounds = [
    { id: '2023-r1', heldOn: '2023-02-22', mainVenueZoneId: 'jinzhong-kfq' },
    { id: '2023-r2', heldOn: '2023-05-29' },
  ];
  for (const round of rounds)
    await api.http.post('/api/v1/rounds').set('Authorization', admin).send(round).expect(201);
}
