import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  LocalDate,
  ProjectCommand,
  ProjectEvent,
  decideProject,
  foldProject,
  notFound,
  projectStreamId,
} from '@app/domain';
import { TrackerConfig } from '@app/config';
import { mayActFor } from '../auth/caller';
import { badRequest, forbidden } from '../http/problem';
import { Clock, todayIn } from '../infrastructure/clock';
import { TRACKER_CONFIG } from '../infrastructure/tokens';
import { EventSourcedWriter } from './event-sourced-writer';
import { ExecuteProjectCommand, ProjectCommandRequest } from './project-command';
import { ReferenceData } from './reference-data';
import { WriteContext, WriteResult } from './write-context';

@CommandHandler(ExecuteProjectCommand)
export class ProjectCommandHandler implements ICommandHandler<ExecuteProjectCommand, WriteResult> {
  constructor(
    private readonly writer: EventSourcedWriter,
    private readonly reference: ReferenceData,
    private readonly clock: Clock,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {}

  execute({ request, context }: ExecuteProjectCommand): Promise<WriteResult> {
    const projectId = request.data.projectId;
    return this.writer.write<ProjectEvent>(
      {
        streamId: projectStreamId(projectId),
        reason: 'reason' in request.data ? request.data.reason : undefined,
        // 404 and 403 come before If-Match's 412
        check: async (history) => {
          const state = foldProject(history);
          const zoneId =
            state.status === 'signed'
              ? state.zoneId
              : request.type === 'SignProject'
                ? request.data.zoneId
                : null;
          if (zoneId === null)
            throw notFound('project-not-found', `project ${projectId} has not been signed`);
          await this.authorize(context, zoneId, request.type === 'SignProject' && state.status !== 'signed');
        },
        decide: async (history) => {
          const command = await this.complete(request, todayIn(this.clock, this.config.utcOffsetMinutes));
          return decideProject(command, foldProject(history));
        },
      },
      context,
    );
  }

  /** Officers act only for their own zones or cities (API.md "Auth"). */
  private async authorize(context: WriteContext, zoneId: string, zoneFromBody: boolean): Promise<void> {
    const zone = await this.reference.zone(zoneId);
    if (!zone) {
      if (zoneFromBody)
        throw badRequest(`unknown zone ${zoneId}`, [{ field: 'zoneId', message: 'unknown zone' }]);
      throw new Error(`project refers to zone ${zoneId}, which is not registered`);
    }
    if (!mayActFor(context.caller, zone)) {
      throw forbidden(`you may not record facts for projects of zone ${zoneId}`);
    }
  }

  private async complete(request: ProjectCommandRequest, today: LocalDate): Promise<ProjectCommand> {
    if (request.type !== 'ListProject') return { ...request, today };
    const { projectId, roundId, batch } = request.data;
    const round = await this.reference.round(roundId);
    if (!round)
      throw badRequest(`unknown round ${roundId}`, [{ field: 'roundId', message: 'unknown round' }]);
    return { type: 'ListProject', data: { projectId, round, batch }, today };
  }
}
