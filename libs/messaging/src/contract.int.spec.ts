import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import { CURRENT_SCHEMA_VERSION, ProjectEvent, foldProject } from '@app/domain';
import { CONTRACT_DIR, generateContract } from './testing/contract-generator';
import {
  DEAD_LETTER_TYPE,
  PROJECT_STATE_TYPE,
  toCloudEventMessage,
  toProjectStateMessage,
} from './cloud-events';
import { contractValidator } from './testing/contract-validator';
import { ASYNCAPI_DOCUMENT, EVENT_SCHEMAS } from './contract';

const metadata = {
  recordedAt: '2023-11-01T00:00:00.000Z',
  recordedBy: 'officer-7',
  role: 'officer',
  source: { kind: 'api', requestId: 'r1' },
  correlationId: 'c',
  causationId: 'c',
  idempotencyKey: 'k',
  requestHash: 'h',
};

describe('the Kafka contract', () => {
  it('is what the TypeScript types generate (run `npm run contract` after changing them)', () => {
    const { files } = generateContract();
    const committed = new Map(
      [
        'asyncapi.json',
        ...readdirSync(join(CONTRACT_DIR, 'schemas')).map((name) => join('schemas', name)),
      ].map((name) => [name, readFileSync(join(CONTRACT_DIR, name), 'utf8')]),
    );
    expect([...committed.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [name, content] of files)
      expect({ name, content: committed.get(name) }).toEqual({ name, content });
  });

  it('is an AsyncAPI 3 document with a channel per topic and a schema per ce_type, every event type included', () => {
    expect(ASYNCAPI_DOCUMENT).toMatchObject({ asyncapi: '3.0.0' });
    const channels = ASYNCAPI_DOCUMENT.channels as Record<string, { address: string }>;
    expect(
      Object.values(channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual([
      'project-lifecycle.dead-letter.v1',
      'project-lifecycle.events.v1',
      'project-lifecycle.notifications.v1',
      'project-lifecycle.projects.v1',
      'project-lifecycle.reference.v1',
    ]);
    for (const type of [
      'ProjectSigned',
      'ConstructionStarted',
      'ListingWithdrawn',
      'ZoneCorrected',
      'RoundRegistered',
      'NotificationIssued',
    ]) {
      expect(EVENT_SCHEMAS.has(`project-lifecycle.${type}.v${CURRENT_SCHEMA_VERSION}`)).toBe(true);
    }
    expect(EVENT_SCHEMAS.has(DEAD_LETTER_TYPE)).toBe(true);
    expect(EVENT_SCHEMAS.has(PROJECT_STATE_TYPE)).toBe(true);
    const ajv = new Ajv({ strict: false });
    for (const schema of EVENT_SCHEMAS.values()) expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('accepts what the relay sends and refuses a body that strays from it', () => {
    // given
    const validate = contractValidator();
    const signed = {
      id: randomUUID(),
      type: 'ProjectSigned',
      schemaVersion: 1,
      streamId: 'project-p1',
      revision: 0,
      position: 3,
      data: {
        projectId: 'p1',
        zoneId: 'z1',
        name: '项目',
        enterprise: '某公司',
        totalInvestmentWan: 10_000,
        industrial: true,
        strategicEmerging: false,
        signedOn: '2023-03-01',
      },
      metadata,
    };
    const message = toCloudEventMessage(
      signed,
      { topic: 'project-lifecycle.events.v1', key: 'p1' },
      { zoneId: 'z1', cityId: 'c1' },
    );
    const body = JSON.parse(message.value!) as {
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    };
    // then
    expect(validate({ headers: message.headers, body })).toEqual([]);
    expect(body.metadata).not.toHaveProperty('recordedBy');
    expect(
      validate({ headers: message.headers, body: { ...body, data: { ...body.data, requestHash: 'h' } } }),
    ).toEqual(['/data must NOT have additional properties']);
    expect(
      validate({
        headers: message.headers,
        body: { ...body, data: { ...body.data, totalInvestmentWan: '1' } },
      }),
    ).toEqual(['/data/totalInvestmentWan must be number']);
    // and the officer goes out only where configured
    const withOfficer = toCloudEventMessage(
      signed,
      { topic: 'e', key: 'p1' },
      { zoneId: 'z1', cityId: 'c1' },
      { recordedBy: true },
    );
    const withOfficerBody = JSON.parse(withOfficer.value!) as { metadata: Record<string, unknown> };
    expect(withOfficerBody.metadata).toMatchObject({ recordedBy: 'officer-7', role: 'officer' });
    expect(validate({ headers: withOfficer.headers, body: withOfficerBody })).toEqual([]);
    // and the project's state after it, as the projects topic carries it
    const state = toProjectStateMessage(
      signed,
      foldProject([signed as unknown as ProjectEvent]),
      { zoneId: 'z1', cityId: 'c1' },
      'project-lifecycle.projects.v1',
    );
    const stateBody = JSON.parse(state.value!) as { data: Record<string, unknown> };
    expect(validate({ headers: state.headers, body: stateBody })).toEqual([]);
    expect(
      validate({
        headers: state.headers,
        body: { ...stateBody, data: { ...stateBody.data, status: 'signed' } },
      }),
    ).toEqual(['/data must NOT have additional properties']);
  });
});
