import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Response } from 'express';
import { Observable, mergeMap } from 'rxjs';
import { ProjectionsService } from '../projections/projections.service';

const RECORDED_POSITION = 'recordedPosition';

/** Marks the response of a write with the global position it recorded (or found). */
export function markRecorded(response: Response, position: number): void {
  response.locals[RECORDED_POSITION] = position;
}

/**
 * Read-your-writes at the edge: a write's response leaves once the projections show its
 * events (or after ProjectionsService's short timeout), so a client's next query sees them.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly projections: ProjectionsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        const position = response.locals?.[RECORDED_POSITION] as number | undefined;
        if (position) await this.projections.waitFor(position);
        return body;
      }),
    );
  }
}
