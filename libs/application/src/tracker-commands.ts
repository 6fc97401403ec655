import {
  Batch,
  LocalDate,
  ProjectCommand,
  ProjectEvent,
  ProjectState,
  Round,
  RoundCorrection,
  RoundEvent,
  RoundState,
  Zone,
  ZoneCorrection,
  ZoneEvent,
  ZoneState,
  decideProject,
  decideRound,
  decideZone,
  evolveProject,
  evolveRound,
  evolveZone,
  initialProjectState,
  notFound,
  projectStreamId,
  roundStreamId,
  zoneStreamId,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import { ForbiddenError, UnknownReferenceError } from './application-errors';
import { Awaitable, andThen } from './awaitable';
import { mayActFor } from './caller';
import { Clock, todayIn } from './clock';
import { CommandContext, CommandResult } from './command-context';
import { CommandBatch } from './command-batch';
import { Decider, Fold, HandleCommandOptions, handleCommand } from './handle-command';
import { ReferenceReads, onceReferenceReads, readZone, streamReferenceReads } from './reference-data';
import { StreamStateCache } from './stream-state-cache';

type WithoutToday<T> = T extends unknown ? Omit<T, 'today'> : never;

/**
 * A lifecycle command as an edge builds it: without `today` (added from the clock) and, for
 * a listing, naming its round by id (loaded from the round's stream).
 */
export type ProjectCommandRequest =
  | Exclude<WithoutToday<ProjectCommand>, { type: 'ListProject' }>
  | { type: 'ListProject'; data: { projectId: string; roundId: string; batch: Batch } };

export interface TrackerCommandsOptions extends HandleCommandOptions {
  /** Where "today" is (TrackerConfig.utcOffsetMinutes). */
  utcOffsetMinutes: number;
  /** The day the programme began (TrackerConfig.programmeStartOn): no effective date before it. */
  programmeStartOn?: LocalDate;
}

/**
 * Every write the tracker accepts, on any store, with no transport: the API, the CLI and an
 * import all run these.
 */
export class TrackerCommands {
  /** A single write's options: the clock, and the states of the streams written or read lately. */
  private readonly writes: HandleCommandOptions;

  constructor(
    private readonly store: EventStore,
    private readonly options: TrackerCommandsOptions,
    states = new StreamStateCache(),
  ) {
    this.writes = { clock: options.clock, states };
  }

  /**
   * `beforeDecide` runs once the caller is known to be allowed, before the decision: a
   * refusal there (e.g. `?strict=true`'s possible duplicate) may name what only such a
   * caller should see.
   */
  executeProject(
    request: ProjectCommandRequest,
    context: CommandContext,
    beforeDecide?: () => void,
  ): Promise<CommandResult> {
    return handleCommand(
      this.store,
      projectStreamId(request.data.projectId),
      this.projectDecider(context, this.inputsNow(), beforeDecide),
      request,
      context,
      this.writes,
    );
  }

  /**
   * A batch of project commands (an import), decided one by one with the same checks, rules
   * and events as `executeProject`, and written together by its `commit`. The batch is
   * decided as of one moment: one instant recorded, one "today", one reading of each zone
   * and round.
   */
  batch(): ProjectCommandBatch {
    const instant = this.options.clock.now();
    const clock: Clock = { now: () => instant };
    const today = todayIn(clock, this.options.utcOffsetMinutes);
    const inputs: DecisionInputs = { reads: onceReferenceReads(this.store), today: () => today };
    return new ProjectCommandBatch(new CommandBatch(this.store, { clock }), inputs.reads, (context) =>
      this.projectDecider(context, inputs),
    );
  }

  /** A single write's inputs: every read from its stream, today from the clock. */
  private inputsNow(): DecisionInputs {
    return {
      reads: streamReferenceReads(this.store, this.writes.states),
      today: () => todayIn(this.options.clock, this.options.utcOffsetMinutes),
    };
  }

  correctZone(
    zoneId: string,
    changes: ZoneCorrection,
    reason: string,
    context: CommandContext,
  ): Promise<CommandResult> {
    const decider: Decider<ZoneCorrection, ZoneState, ZoneEvent> = {
      initialState: () => null,
      evolve: evolveZone,
      reasonOf: () => reason,
      decide: (changes, state) =>
        decideZone({ type: 'CorrectZone', data: { id: zoneId, changes, reason } }, state),
    };
    return handleCommand(this.store, zoneStreamId(zoneId), decider, changes, context, this.writes);
  }

  /**
   * `listings` counts the listings that refer to the round (an explicit read-model query):
   * its date may move only while there are none. A listing recorded in the same instant can
   * slip past the count; the listing then keeps the date it was made with.
   */
  correctRound(
    roundId: string,
    changes: RoundCorrection,
    reason: string,
    listings: () => number,
    context: CommandContext,
  ): Promise<CommandResult> {
    const decider: Decider<RoundCorrection, RoundState, RoundEvent> = {
      initialState: () => null,
      evolve: evolveRound,
      reasonOf: () => reason,
      check: async ({ mainVenueZoneId }) => {
        if (mainVenueZoneId && !(await readZone(this.store, mainVenueZoneId, this.writes.states)))
          throw UnknownReferenceError.of('zone', mainVenueZoneId, 'mainVenueZoneId');
      },
      decide: (changes, state) =>
        decideRound(
          { type: 'CorrectRound', data: { id: roundId, changes, reason, listings: listings() } },
          state,
        ),
    };
    return handleCommand(this.store, roundStreamId(roundId), decider, changes, context, this.writes);
  }

  registerZone(zone: Zone, context: CommandContext): Promise<CommandResult> {
    return handleCommand(this.store, zoneStreamId(zone.id), ZONE_DECIDER, zone, context, this.writes);
  }

  registerRound(round: Round, context: CommandContext): Promise<CommandResult> {
    const decider: Decider<Round, RoundState, RoundEvent> = {
      initialState: () => null,
      evolve: evolveRound,
      check: async ({ mainVenueZoneId }) => {
        if (mainVenueZoneId && !(await readZone(this.store, mainVenueZoneId, this.writes.states))) {
          throw UnknownReferenceError.of('zone', mainVenueZoneId, 'mainVenueZoneId');
        }
      },
      decide: (command, state) => decideRound({ type: 'RegisterRound', data: command }, state),
    };
    return handleCommand(this.store, roundStreamId(round.id), decider, round, context, this.writes);
  }

  private projectDecider(
    context: CommandContext,
    inputs: DecisionInputs,
    beforeDecide?: () => void,
  ): Decider<ProjectCommandRequest, ProjectState, ProjectEvent> {
    return {
      ...PROJECT_FOLD,
      reasonOf: (request) => ('reason' in request.data ? request.data.reason : undefined),
      // 404 and 403 come before the expected revision's 412
      check: (request, state) => {
        const zoneId =
          state.status === 'signed'
            ? state.zoneId
            : request.type === 'SignProject'
              ? request.data.zoneId
              : null;
        if (zoneId === null)
          throw notFound('project-not-found', {
            zh: `项目 ${request.data.projectId} 尚未签约`,
            en: `project ${request.data.projectId} has not been signed`,
          });
        return this.authorize(
          context,
          inputs.reads,
          zoneId,
          request.type === 'SignProject' && state.status !== 'signed',
        );
      },
      decide: (request, state) => {
        beforeDecide?.();
        return andThen(this.complete(request, inputs), (command) => decideProject(command, state));
      },
    };
  }

  /** Officers act only for their own zones or cities. */
  private authorize(
    context: CommandContext,
    reads: ReferenceReads,
    zoneId: string,
    zoneFromCommand: boolean,
  ): Awaitable<void> {
    return andThen(reads.zone(zoneId), (zone) => {
      if (!zone) {
        if (zoneFromCommand) throw UnknownReferenceError.of('zone', zoneId, 'zoneId');
        throw new Error(`project refers to zone ${zoneId}, which is not registered`);
      }
      if (!mayActFor(context.caller, zone)) {
        throw new ForbiddenError({
          zh: `你无权为开发区 ${zoneId} 的项目记录`,
          en: `you may not record facts for projects of zone ${zoneId}`,
        });
      }
    });
  }

  private complete(request: ProjectCommandRequest, inputs: DecisionInputs): Awaitable<ProjectCommand> {
    const today = inputs.today();
    const { programmeStartOn } = this.options;
    // Every command is its type and data, today and the programme's start; built field by
    // field, as a spread of the many request shapes costs a batch more than its decision.
    if (request.type !== 'ListProject')
      return { type: request.type, data: request.data, today, programmeStartOn } as ProjectCommand;
    const { projectId, roundId, batch } = request.data;
    return andThen(inputs.reads.round(roundId), (round): ProjectCommand => {
      if (!round) throw UnknownReferenceError.of('round', roundId, 'roundId');
      return { type: 'ListProject', data: { projectId, round, batch }, today, programmeStartOn };
    });
  }
}

/** What a project decision reads besides its stream: zones and rounds, and today's date. */
interface DecisionInputs {
  reads: ReferenceReads;
  today(): LocalDate;
}

const PROJECT_FOLD: Fold<ProjectState, ProjectEvent> = {
  initialState: initialProjectState,
  evolve: evolveProject,
};

/**
 * Project commands decided in order, each on the state the batch's earlier commands leave,
 * and appended together: all or none. Nothing is written before `commit`.
 */
export class ProjectCommandBatch {
  /** One decider per context: an import's row decides several commands with one context. */
  private readonly deciders = new WeakMap<
    CommandContext,
    Decider<ProjectCommandRequest, ProjectState, ProjectEvent>
  >();

  constructor(
    private readonly batch: CommandBatch,
    private readonly reads: ReferenceReads,
    private readonly deciderFor: (
      context: CommandContext,
    ) => Decider<ProjectCommandRequest, ProjectState, ProjectEvent>,
  ) {}

  /**
   * The command's new facts (none when it repeats what is known), kept for the commit; throws
   * what `executeProject` throws (a broken rule, a forbidden zone, an unknown round). At once
   * (no promise) when the project, its zone and round have been read by the batch.
   */
  decide(request: ProjectCommandRequest, context: CommandContext): Awaitable<ProjectEvent[]> {
    let decider = this.deciders.get(context);
    if (!decider) {
      decider = this.deciderFor(context);
      this.deciders.set(context, decider);
    }
    return this.batch.decide(projectStreamId(request.data.projectId), decider, request, context);
  }

  /** Reads the projects' streams in one go, ahead of deciding on them (see `CommandBatch.prefetch`). */
  prefetchProjects(projectIds: readonly string[]): Promise<void> {
    return this.batch.prefetch(projectIds.map(projectStreamId));
  }

  /** The project as recorded, with the batch's decisions so far applied. */
  project(projectId: string): Awaitable<ProjectState> {
    return this.batch.stateOf(projectStreamId(projectId), PROJECT_FOLD);
  }

  /** A zone or round as the batch's commands read it. */
  zone(zoneId: string): Awaitable<Zone | null> {
    return this.reads.zone(zoneId);
  }

  round(roundId: string): Awaitable<Round | null> {
    return this.reads.round(roundId);
  }

  /** Events decided so far. */
  get eventCount(): number {
    return this.batch.eventCount;
  }

  /** See `CommandBatch.commit`: the global position of the last event written (0: none). */
  commit(): Promise<number> {
    return this.batch.commit();
  }
}

const ZONE_DECIDER: Decider<Zone, ZoneState, ZoneEvent> = {
  initialState: () => null,
  evolve: evolveZone,
  decide: (zone, state) => decideZone({ type: 'RegisterZone', data: zone }, state),
};
