import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { ApplicationError, ApplicationErrorCode, UnknownReferenceError } from '@app/application';
import { Bilingual, DomainError } from '@app/domain';
import { AppendTooLargeError, StoreUnavailableError, isStorageFull } from '@app/event-store';
import {
  FieldText,
  Problem,
  ProblemException,
  RowError,
  STATUS_ZH,
  TITLES,
  inOrder,
  prefersEnglish,
} from './problem';

const STATUS_BY_KIND = { invalid: 400, conflict: 409, 'not-found': 404 } as const;

/** The command path's typed errors by code; a new code must be given a status here. */
const STATUS_BY_CODE: Record<ApplicationErrorCode, number> = {
  'invalid-input': 400,
  forbidden: 403,
  'idempotency-key-reused': 409,
  'write-contention': 409,
  'revision-mismatch': 412,
};

export interface Refusal {
  status: number;
  text: Bilingual;
  code?: string;
  errors?: (FieldText | RowError)[];
  headers?: Record<string, string>;
}

/** How long a caller refused for a full disk should wait before retrying. */
export const STORAGE_FULL_RETRY_AFTER_SECONDS = 60;

/**
 * Turns every error into `application/problem+json`, its detail and field messages in both
 * languages in the order the caller prefers; only real faults become a 500.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const refusal = this.toRefusal(error);
    if (refusal.status >= 500 && refusal.status !== 503)
      this.logger.error(`${request.method} ${request.originalUrl}`, (error as Error)?.stack);
    const response = http.getResponse<Response>();
    if (response.headersSent) {
      // Too late for a problem document (e.g. a timeout after a download began): end the response.
      response.end();
      return;
    }
    writeProblem(request, response, refusal);
  }

  private toRefusal(error: unknown): Refusal {
    if (error instanceof ProblemException) {
      const { status, text, code, errors, headers } = error;
      return { status, text, code, errors, headers };
    }
    if (isStorageFull(error)) {
      // Not a fault of the request: the append was rolled back, nothing of it is stored.
      return {
        status: 503,
        text: {
          zh: '存储空间已满，本次写入未保存，请稍后重试',
          en: 'the storage is full: nothing of this write was stored; retry later',
        },
        code: 'storage-full',
        headers: { 'Retry-After': String(STORAGE_FULL_RETRY_AFTER_SECONDS) },
      };
    }
    if (error instanceof ApplicationError) {
      const errors = error instanceof UnknownReferenceError ? error.errors : undefined;
      return { status: STATUS_BY_CODE[error.code], text: error.text, code: error.code, errors };
    }
    if (error instanceof DomainError) {
      const errors =
        error.kind === 'invalid' && error.field ? [{ field: error.field, text: error.text }] : undefined;
      return { status: STATUS_BY_KIND[error.kind], text: error.text, code: error.code, errors };
    }
    if (error instanceof AppendTooLargeError) {
      // Not a fault: the store's limit on one write (EventStoreDB's maximum append size).
      return {
        status: 413,
        text: {
          zh: `单次写入 ${error.sizeBytes} 字节，超过事件存储的上限 ${error.limitBytes} 字节，请拆分后重试`,
          en: error.message,
        },
        code: 'append-too-large',
      };
    }
    if (error instanceof StoreUnavailableError) {
      // Not a fault of the request: the store (EventStoreDB, PostgreSQL) cannot be reached now.
      return {
        status: 503,
        text: {
          zh: '事件存储暂时无法访问，请稍后使用同一 Idempotency-Key 重试',
          en: 'the event store cannot be reached now; retry shortly with the same Idempotency-Key',
        },
        code: 'store-unavailable',
        headers: { 'Retry-After': '1' },
      };
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      const message =
        typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
      const status = error.getStatus();
      const en = Array.isArray(message)
        ? message.join('; ')
        : typeof message === 'string'
          ? message
          : JSON.stringify(message);
      return { status, text: { zh: STATUS_ZH[status] ?? '请求失败', en } };
    }
    // Errors raised by Express's body parser before Nest sees the request (bad JSON, too large).
    const status = (error as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type;
      const text =
        type === 'entity.parse.failed'
          ? { zh: '请求体不是有效的 JSON', en: 'the request body is not valid JSON' }
          : { zh: STATUS_ZH[status] ?? '请求无效', en: (error as Error).message };
      return { status, text, code: type };
    }
    return {
      status: 500,
      text: { zh: '发生意外错误，已记录在日志中', en: 'an unexpected error occurred; it has been logged' },
    };
  }
}

/** Writes a refusal as problem+json, in the language order the caller prefers. */
export function writeProblem(request: Request, response: Response, refusal: Refusal): void {
  const englishFirst = prefersEnglish(request);
  const problem: Problem = {
    type: refusal.code ? `https://tracker.example/problems/${refusal.code}` : 'about:blank',
    title: TITLES[refusal.status] ?? 'Error',
    status: refusal.status,
    detail: inOrder(refusal.text, englishFirst),
    ...(refusal.code ? { code: refusal.code } : {}),
    ...(refusal.errors
      ? {
          errors: refusal.errors.map((error) =>
            // an import's row errors are written Chinese first, then English (API.md "Import")
            'row' in error ? error : { field: error.field, message: inOrder(error.text, englishFirst) },
          ),
        }
      : {}),
    instance: request.originalUrl,
  };
  if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  for (const [name, value] of Object.entries(refusal.headers ?? {})) response.setHeader(name, value);
  response
    .status(problem.status)
    .setHeader('Content-Language', englishFirst ? 'en, zh' : 'zh, en')
    .setHeader('Vary', 'Accept-Language')
    .type('application/problem+json')
    .send(JSON.stringify(problem));
}
