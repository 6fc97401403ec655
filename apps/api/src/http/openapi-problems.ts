import { OpenAPIObject } from '@nestjs/swagger';

const PROBLEM_SCHEMA = {
  type: 'object',
  description:
    'RFC 9457 problem details. `detail` and each field `message` are in Chinese and English, ' +
    '"中文 / English", English first when Accept-Language prefers English; `code` is stable and language-free.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', example: 'https://tracker.example/problems/milestone-out-of-order' },
    title: { type: 'string', example: 'Conflict' },
    status: { type: 'integer', example: 409 },
    detail: { type: 'string', example: '投产需先开工 / production start needs construction start first' },
    code: { type: 'string', example: 'milestone-out-of-order' },
    instance: { type: 'string', example: '/api/v1/projects/p-1/milestones' },
    errors: {
      type: 'array',
      description: 'for invalid input: one message per field, the most specific',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string', example: 'totalInvestmentWan' },
          message: {
            type: 'string',
            example: '须为整数（数字，不加引号） / must be a whole number (a number, not a string)',
          },
        },
      },
    },
  },
};

const WHAT: Record<string, string> = {
  '400':
    'invalid input: malformed JSON, a field that fails validation, a date in the future or before the programme',
  '401': 'no bearer token, or a bad or expired one',
  '403': "not allowed for the caller's role, zones or cities",
  '404': 'unknown resource, or an unknown zone, city or round id in the query',
  '409': 'the request breaks a rule given what is recorded (`code` says which), or an Idempotency-Key reused',
  '412': 'If-Match names a revision the resource is no longer at',
  '413': 'the request body (or the events it would append) is larger than the limit',
  '429':
    "rate-limited: over the caller's limit per minute (RATE_LIMIT_PER_MINUTE, RATE_LIMIT_EXPENSIVE_PER_MINUTE); see Retry-After",
  '503':
    'storage-full (nothing was stored), request-timeout (REQUEST_TIMEOUT_MS; a write may still complete) or busy; see Retry-After',
};

const READ = ['400', '401', '404', '429', '503'];
const WRITE = ['400', '401', '403', '404', '409', '412', '413', '429', '503'];
/** Health answers its own report (JSON, not a problem), also with its 503; /metrics is not rate-limited. */
const HEALTH = /\/health(\/ready)?$/;

/**
 * Documents the error responses of every operation as problem+json (the filter answers them
 * all the same way), keeping any more specific description an operation already declares,
 * and gives any other error an operation declares (429, 501...) the same body.
 */
export function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas } };
  document.components.schemas!.Problem = PROBLEM_SCHEMA;
  const content = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  for (const [path, item] of Object.entries(document.paths)) {
    const health = HEALTH.test(path);
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      if (health) {
        operation.responses['400'] = { description: WHAT['400'], content };
        operation.responses['404'] = { description: WHAT['404'], content };
        continue;
      }
      const statuses = (method === 'get' ? READ : WRITE).filter(
        (status) => !(path === '/metrics' && status === '429'),
      );
      const declaredErrors = Object.keys(operation.responses).filter((status) => Number(status) >= 400);
      for (const status of new Set([...statuses, ...declaredErrors])) {
        const declared = operation.responses[status] as
          { description?: string; content?: Record<string, { schema?: object }> } | undefined;
        // an operation's own error schema (an import's row errors) stays, as problem+json
        const schema = Object.values(declared?.content ?? {})[0]?.schema;
        operation.responses[status] = {
          description: declared?.description ?? WHAT[status],
          content: schema ? { 'application/problem+json': { schema } } : content,
        };
      }
    }
  }
  return document;
}
