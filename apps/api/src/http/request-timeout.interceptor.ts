import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, TimeoutError, catchError, throwError, timeout } from 'rxjs';
import { TrackerConfig } from '@app/config';
import { TRACKER_CONFIG } from '@app/platform';
import { retryLater } from './problem';

/**
 * A request the handler has not answered within REQUEST_TIMEOUT_MS gets a 503 with
 * `Retry-After` instead of holding its connection. A write may still complete after that:
 * a retry with the same Idempotency-Key finds it.
 */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(@Inject(TRACKER_CONFIG) private readonly config: TrackerConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const milliseconds = this.config.requestTimeoutMs;
    return next.handle().pipe(
      timeout(milliseconds),
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof TimeoutError
            ? retryLater(
                503,
                {
                  zh: `请求未能在 ${milliseconds} 毫秒内完成，请稍后重试（写入请求可能仍会完成，重试时请使用同一 Idempotency-Key）`,
                  en: `the request was not answered within ${milliseconds} ms; retry later (a write may still complete: retry it with the same Idempotency-Key)`,
                },
                'request-timeout',
                Math.ceil(milliseconds / 1000),
              )
            : error,
        ),
      ),
    );
  }
}
