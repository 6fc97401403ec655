import { INestApplication } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ASYNCAPI_DOCUMENT, EVENT_SCHEMAS } from '@app/messaging';

/**
 * The Kafka contract next to the OpenAPI document (README.md "Kafka"): the AsyncAPI 3 document
 * at /api/docs/asyncapi.json and each `ce_type`'s JSON Schema at /api/docs/events/<ce_type>.json.
 * Public, like the OpenAPI document.
 */
export function serveKafkaContract(app: INestApplication): void {
  const http = app.getHttpAdapter();
  http.get('/api/docs/asyncapi.json', (_request: Request, response: Response) => {
    response.json(ASYNCAPI_DOCUMENT);
  });
  http.get('/api/docs/events/:file', (request: Request, response: Response) => {
    const ceType = String(request.params.file).replace(/\.json$/, '');
    const schema = EVENT_SCHEMAS.get(ceType);
    if (schema) {
      response.type('application/schema+json').send(JSON.stringify(schema));
      return;
    }
    response
      .status(404)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          code: 'unknown-event-type',
          detail: `没有事件类型 ${ceType} 的模式 / no schema for event type ${ceType}`,
        }),
      );
  });
}
