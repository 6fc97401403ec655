/**
 * `npm run contract` (scripts/contract.ts): generates the Kafka contract from the TypeScript types the relay publishes
 * (libs/messaging/src/wire.ts and the domain's event types): a JSON Schema (draft-07) per
 * `ce_type` in libs/messaging/contract/schemas and the AsyncAPI 3 document
 * libs/messaging/contract/asyncapi.json. `contract.int.spec.ts` fails when they are stale.
 */
import { join } from 'node:path';
import ts from 'typescript';
import {
  CLOUD_EVENTS_SOURCE,
  DEAD_LETTER_TYPE,
  DEFAULT_TOPICS,
  PROJECT_STATE_TYPE,
  dataSchemaOf,
} from '../cloud-events';

const ROOT = join(__dirname, '..', '..', '..', '..');
const WIRE = join(ROOT, 'libs', 'messaging', 'src', 'wire.ts');
export const CONTRACT_DIR = join(ROOT, 'libs', 'messaging', 'contract');

type Schema = Record<string, unknown>;

class SchemaWriter {
  private readonly checker: ts.TypeChecker;
  private readonly file: ts.SourceFile;

  constructor() {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    )!;
    const program = ts.createProgram([WIRE], config.options);
    this.checker = program.getTypeChecker();
    this.file = program.getSourceFile(WIRE)!;
  }

  exported(name: string): ts.Type {
    const symbol = this.checker
      .getExportsOfModule(this.checker.getSymbolAtLocation(this.file)!)
      .find((s) => s.name === name);
    if (!symbol) throw new Error(`wire.ts exports no ${name}`);
    return this.checker.getDeclaredTypeOfSymbol(symbol);
  }

  /** The members of a union of `{ type, data }` events, one per event type name. */
  events(union: ts.Type): { name: string; data: ts.Type }[] {
    const members = union.isUnion() ? union.types : [union];
    return members.flatMap((member) => {
      const typeOf = (name: string) =>
        this.checker.getTypeOfSymbol(this.checker.getPropertyOfType(member, name)!);
      const names = typeOf('type');
      const literals = names.isUnion() ? names.types : [names];
      return literals.map((literal) => ({
        name: (literal as ts.StringLiteralType).value,
        data: typeOf('data'),
      }));
    });
  }

  property(type: ts.Type, name: string): ts.Type {
    return this.checker.getTypeOfSymbol(this.checker.getPropertyOfType(type, name)!);
  }

  schema(type: ts.Type): Schema {
    const { flags } = type;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (flags & ts.TypeFlags.StringLiteral) return { const: (type as ts.StringLiteralType).value };
    if (flags & ts.TypeFlags.NumberLiteral) return { const: (type as ts.NumberLiteralType).value };
    if (flags & ts.TypeFlags.BooleanLiteral) return { const: this.checker.typeToString(type) === 'true' };
    if (flags & ts.TypeFlags.String) return { type: 'string' };
    if (flags & ts.TypeFlags.Number) return { type: 'number' };
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (flags & ts.TypeFlags.Null) return { type: 'null' };
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined));
      if (members.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
      if (members.every((t) => t.flags & ts.TypeFlags.StringLiteral)) {
        return { type: 'string', enum: members.map((t) => (t as ts.StringLiteralType).value).sort() };
      }
      if (members.length === 1) return this.schema(members[0]);
      const nullable = members.filter((t) => !(t.flags & ts.TypeFlags.Null));
      if (nullable.length === 1) return { anyOf: [this.schema(nullable[0]), { type: 'null' }] };
      return { anyOf: members.map((t) => this.schema(t)) };
    }
    if (this.checker.isArrayType(type)) {
      return {
        type: 'array',
        items: this.schema(this.checker.getTypeArguments(type as ts.TypeReference)[0]),
      };
    }
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const property of this.checker.getPropertiesOfType(type)) {
      const schema = this.schema(this.checker.getTypeOfSymbol(property));
      const description = ts.displayPartsToString(property.getDocumentationComment(this.checker)).trim();
      properties[property.name] = description ? { description, ...schema } : schema;
      if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
    }
    const index = this.checker.getIndexInfosOfType(type)[0];
    return {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: index ? this.schema(index.type) : false,
    };
  }
}

export interface Contract {
  /** File name (under CONTRACT_DIR) → content. */
  files: Map<string, string>;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The schemas and the AsyncAPI document, as generated from the types now. */
export function generateContract(): Contract {
  const writer = new SchemaWriter();
  const metadata = writer.schema(writer.exported('WireMetadata'));
  const context = writer.schema(writer.property(writer.exported('ProjectMessage'), 'context'));
  const topics: {
    key: keyof typeof DEFAULT_TOPICS;
    union?: string;
    /** One body type: its ce_type and the wire.ts type. */
    single?: { ceType: string; type: string };
    withContext?: boolean;
    keyed: string;
  }[] = [
    { key: 'events', union: 'ProjectsTopicEvent', withContext: true, keyed: 'the project id' },
    { key: 'notifications', union: 'NotificationsTopicEvent', keyed: 'the month (YYYY-MM)' },
    { key: 'reference', union: 'ReferenceTopicEvent', keyed: 'the stream id (zone-… or round-…)' },
    {
      key: 'projects',
      single: { ceType: PROJECT_STATE_TYPE, type: 'ProjectStateMessage' },
      keyed:
        'the project id; compacted (cleanup.policy=compact): the latest message of a key is the project’s ' +
        'current state; a voided project is a tombstone (null value, same headers)',
    },
    {
      key: 'deadLetter',
      single: { ceType: DEAD_LETTER_TYPE, type: 'DeadLetterMessage' },
      keyed: 'the id of the event (or `<event id>.state`) that could not be published',
    },
  ];
  const files = new Map<string, string>();
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const topic of topics) {
    const bodies: { ceType: string; body: Schema }[] = topic.union
      ? writer.events(writer.exported(topic.union)).map(({ name, data }) => ({
          ceType: `project-lifecycle.${name}.v1`,
          body: {
            type: 'object',
            properties: {
              data: writer.schema(data),
              metadata: { $ref: '#/definitions/metadata' },
              ...(topic.withContext ? { context: { $ref: '#/definitions/context' } } : {}),
            },
            required: ['data', 'metadata', ...(topic.withContext ? ['context'] : [])],
            additionalProperties: false,
          },
        }))
      : [{ ceType: topic.single!.ceType, body: writer.schema(writer.exported(topic.single!.type)) }];
    const channelMessages: Record<string, unknown> = {};
    for (const { ceType, body } of bodies.sort((a, b) => a.ceType.localeCompare(b.ceType))) {
      const schema = {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: dataSchemaOf(ceType),
        title: ceType,
        ...body,
        ...(topic.union ? { definitions: { metadata, ...(topic.withContext ? { context } : {}) } } : {}),
      };
      files.set(join('schemas', `${ceType}.json`), json(schema));
      const id = ceType.replace(/^project-lifecycle\./, '').replace(/\./g, '_');
      messages[id] = {
        name: ceType,
        title: ceType,
        contentType: 'application/json',
        headers: { $ref: '#/components/schemas/headers' },
        payload: { schemaFormat: 'application/schema+json;version=draft-07', schema: schema },
      };
      channelMessages[id] = { $ref: `#/components/messages/${id}` };
    }
    const address = DEFAULT_TOPICS[topic.key];
    channels[topic.key] = {
      address,
      description: `Kafka topic; key: ${topic.keyed}.`,
      messages: channelMessages,
    };
    operations[`publish-${topic.key}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${topic.key}` },
      summary: `The relay publishes to ${address} in Kafka transactions (read with read_committed).`,
    };
  }
  const header = (description: string) => ({ type: 'string', description });
  const asyncapi = {
    asyncapi: '3.0.0',
    info: {
      title: 'Project lifecycle tracker: Kafka topics',
      version: '1.0.0',
      description:
        'CloudEvents 1.0 in Kafka binary mode. Versioning: docs/kafka-contract.md. Topic names are the defaults ' +
        '(KAFKA_*_TOPIC change them).',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages,
      schemas: {
        headers: {
          type: 'object',
          required: [
            'ce_specversion',
            'ce_id',
            'ce_source',
            'ce_type',
            'ce_time',
            'ce_subject',
            'ce_dataschema',
            'ce_position',
            'ce_streamrevision',
            'content-type',
          ],
          properties: {
            ce_specversion: { const: '1.0' },
            ce_id: header(
              'the event id (UUID); a project’s state after an event: `<event id>.state`; a dead letter: `<its message’s ce_id>.dead-letter`',
            ),
            ce_source: { const: CLOUD_EVENTS_SOURCE },
            ce_type: header(
              'project-lifecycle.<EventType>.v<schema version>, or ProjectState.v1, DeadLetter.v1',
            ),
            ce_time: header('when the tracker recorded the event (ISO-8601 UTC)'),
            ce_subject: header('the message key'),
            ce_dataschema: header('the $id of the JSON Schema of the body'),
            ce_position: header(
              "extension: the event's position in the store's $all (decimal); a state: its latest event's",
            ),
            ce_streamrevision: header(
              "extension: the event's 0-based revision in its stream (decimal); a state: its latest event's",
            ),
            ce_zoneid: header('extension, project events and states: the project’s zone'),
            ce_cityid: header('extension, project events and states: the zone’s city as of the event'),
            ce_deadletterreason: header('extension, dead letters: why (too-large)'),
            'content-type': { const: 'application/json' },
            position: header('the same as ce_position, for consumers written before it'),
          },
        },
      },
    },
  };
  files.set('asyncapi.json', json(asyncapi));
  return { files };
}
