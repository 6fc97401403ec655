import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { ApplicationError, ApplicationErrorCode, UnknownReferenceError } from '@app/application';
import { DomainError } from '@app/domain';
import { AppendTooLargeError } from '@app/event-store';
import { FieldError, Problem, ProblemException, RowError, TITLES } from './problem';

const STATUS_BY_KIND = { invalid: 400, conflict: 409, 'not-found': 404 } as const;

/** The command path's typed errors by code; a new code must be given a status here. */
const STATUS_BY_CODE: Record<ApplicationErrorCode, number> = {
  'invalid-input': 400,
  forbidden: 403,
  'idempotency-key-reused': 409,
  'write-contention': 409,
  'revision-mismatch': 412,
};

/** Turns every error into `application/problem+json`; only real faults become a 500. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(error);
    problem.instance = request.originalUrl;
    if (problem.status >= 500)
      this.logger.error(`${request.method} ${request.originalUrl}`, (error as Error)?.stack);
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof ProblemException)
      return problem(error.status, error.message, error.code, error.errors);
    if (error instanceof ApplicationError) {
      const errors = error instanceof UnknownReferenceError ? error.errors : undefined;
      return problem(STATUS_BY_CODE[error.code], error.message, error.code, errors);
    }
    if (error instanceof AppendTooLargeError) {
      // Not a fault: the store's limit on one write (EventStoreDB's maximum append size).
      return problem(413, error.message, 'append-too-large');
    }
    if (error instanceof DomainError) {
      const errors =
        error.kind === 'invalid' && error.field
          ? [{ field: error.field, message: error.message }]
          : undefined;
      return problem(STATUS_BY_KIND[error.kind], error.message, error.code, errors);
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      const message =
        typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
      const detail = Array.isArray(message)
        ? message.join('; ')
        : typeof message === 'string'
          ? message
          : JSON.stringify(message);
      return problem(error.getStatus(), detail);
    }
    // Errors raised by Express's body parser before Nest sees the request (bad JSON, too large).
    const status = (error as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type;
      const detail =
        type === 'entity.parse.failed' ? 'the request body is not valid JSON' : (error as Error).message;
      return problem(status, detail, type);
    }
    return problem(500, 'an unexpected error occurred; it has been logged');
  }
}

function problem(status: number, detail: string, code?: string, errors?: (FieldError | RowError)[]): Problem {
  return {
    type: code ? `https://tracker.example/problems/${code}` : 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(code ? { code } : {}),
    ...(errors ? { errors } : {}),
  };
}
