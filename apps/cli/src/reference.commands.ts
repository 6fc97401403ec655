import { createHash, randomUUID } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { CommandContext, CommandResult, SystemClock, TrackerCommands } from '@app/application';
import { loadConfig } from '@app/config';
import {
  IDENTIFIER_RULE,
  ZONE_CATEGORIES,
  ZONE_LEVELS,
  ZoneCategory,
  ZoneLevel,
  isIdentifier,
  isLocalDate,
} from '@app/domain';
import { canonicalJson } from '@app/projections';
import { openLoggedStore } from './cli-log';

interface StoreOptions {
  dataDir?: string;
  as: string;
  idempotencyKey?: string;
}

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (value: string): T => {
    if (!(values as readonly string[]).includes(value))
      throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value as T;
  };

const identifier = (value: string) => {
  if (!isIdentifier(value)) throw new InvalidArgumentError(IDENTIFIER_RULE);
  return value;
};

const localDate = (value: string) => {
  if (!isLocalDate(value)) throw new InvalidArgumentError('must be a date YYYY-MM-DD');
  return value;
};

/**
 * Runs one command through libs/application on the store of DATA_DIR (or --data-dir), as the
 * operator (an admin): the same checks, events and metadata as the API, without HTTP.
 */
async function run(
  options: StoreOptions,
  request: unknown,
  work: (commands: TrackerCommands, context: CommandContext) => Promise<CommandResult>,
): Promise<CommandResult> {
  const config = loadConfig(options.dataDir ? { ...process.env, DATA_DIR: options.dataDir } : process.env);
  const store = await openLoggedStore(config);
  const requestId = randomUUID();
  const context: CommandContext = {
    caller: { sub: options.as, role: 'admin', zones: [], cities: [] },
    requestId,
    correlationId: requestId,
    idempotencyKey: options.idempotencyKey,
    requestHash: createHash('sha256').update(canonicalJson(request)).digest('hex'),
    source: { kind: 'cli' },
  };
  try {
    return await work(
      new TrackerCommands(store, { clock: new SystemClock(), utcOffsetMinutes: config.utcOffsetMinutes }),
      context,
    );
  } finally {
    await store.close();
  }
}

function withStoreOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', "the embedded store's directory (default: DATA_DIR)")
    .option('--as <subject>', 'who records it (metadata recordedBy)', 'cli-operator')
    .option('--idempotency-key <key>', 'repeating the command with this key records nothing new');
}

function report(what: string, result: CommandResult): void {
  process.stdout.write(
    result.recorded
      ? `${what} recorded (stream ${result.streamId}, revision ${result.revision})\n`
      : `${what} was already recorded with these details (revision ${result.revision})\n`,
  );
}

/** `zone add`: registers a development zone. */
export function zoneCommand(): Command {
  const add = withStoreOptions(
    new Command('add')
      .description('register a development zone (开发区)')
      .requiredOption('--id <id>', 'zone id, e.g. jiexiu-jkq', identifier)
      .requiredOption('--name <name>', 'zone name, e.g. 介休经开区')
      .requiredOption('--city <cityId>', 'the city (地市) it belongs to', identifier)
      .requiredOption('--category <category>', ZONE_CATEGORIES.join(', '), oneOf(ZONE_CATEGORIES))
      .requiredOption('--level <level>', ZONE_LEVELS.join(', '), oneOf(ZONE_LEVELS)),
  ).action(
    async (
      options: StoreOptions & {
        id: string;
        name: string;
        city: string;
        category: ZoneCategory;
        level: ZoneLevel;
      },
    ) => {
      const zone = {
        id: options.id,
        name: options.name,
        cityId: options.city,
        category: options.category,
        level: options.level,
      };
      report(
        `zone ${zone.id}`,
        await run(options, { command: 'zone add', zone }, (commands, context) =>
          commands.registerZone(zone, context),
        ),
      );
    },
  );
  return new Command('zone').description('development zones').addCommand(add);
}

/** `round add`: registers a round of the programme. */
export function roundCommand(): Command {
  const add = withStoreOptions(
    new Command('add')
      .description('register a round of the "三个一批" programme')
      .requiredOption('--id <id>', 'round id, e.g. 2023-r1', identifier)
      .requiredOption('--held-on <date>', 'the day it was held', localDate)
      .option('--main-venue <zoneId>', 'the zone hosting the main venue', identifier),
  ).action(async (options: StoreOptions & { id: string; heldOn: string; mainVenue?: string }) => {
    const round = {
      id: options.id,
      heldOn: options.heldOn,
      ...(options.mainVenue ? { mainVenueZoneId: options.mainVenue } : {}),
    };
    report(
      `round ${round.id}`,
      await run(options, { command: 'round add', round }, (commands, context) =>
        commands.registerRound(round, context),
      ),
    );
  });
  return new Command('round').description('rounds of the programme').addCommand(add);
}
