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
    'invalid input: malformed JSON, a field that fails validation, a date in the future or before the programme, ' +
    'a malformed If-Match or Idempotency-Key',
  '401': 'no bearer token, or a bad or expired one',
  '403': "not allowed for the caller's role, zones or cities",
  '404': 'unknown resource, or an unknown zone, city or round id in the query',
  '409': 'the request breaks a rule given what is recorded (`code` says which), or an Idempotency-Key reused',
  '412':
    'If-Match (compared strongly: W/"3" or "0003" match nothing; * needs the resource to exist) does not match its revision',
  '413': 'the request body (or the events it would append) is larger than the limit',
  '429':
    "rate-limited: over the caller's limit per minute (RATE_LIMIT_PER_MINUTE); Retry-After says when to retry",
  '503':
    'store-unavailable (the store cannot be reached) or request-timeout (REQUEST_TIMEOUT_MS); Retry-After says when to retry',
};

/** The 503s of each kind of operation beyond the store being unreachable and the timeout. */
const UNAVAILABLE = {
  write:
    'storage-full (nothing was stored), store-unavailable, or request-timeout (REQUEST_TIMEOUT_MS; the write may ' +
    'still complete: retry with the same Idempotency-Key); Retry-After says when to retry',
  expensive:
    'busy (too many distinct tasks waiting for the worker thread), worker-failed or worker-timeout (the worker died ' +
    'or stopped answering and is being replaced), store-unavailable, or request-timeout; Retry-After says when to retry',
};
const EXPENSIVE_429 =
  "rate-limited: over the caller's limit per minute on every request (RATE_LIMIT_PER_MINUTE) or on the expensive " +
  'ones together (RATE_LIMIT_EXPENSIVE_PER_MINUTE: verification, preview, stalled lists, rebuild); Retry-After says ' +
  'when to retry';

const READ = ['400', '401', '404', '405', '429', '503'];
const WRITE = ['400', '401', '403', '404', '405', '409', '412', '413', '429', '503'];
/** Health answers its own report (JSON, not a problem), also with its 503; /metrics is not rate-limited. */
const HEALTH = /\/health(\/ready)?$/;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const RETRY_AFTER = {
  'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } },
};

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/**
 * Documents the error responses of every operation as problem+json (the filter answers them
 * all the same way), keeping any more specific description an operation already declares,
 * and gives any other error an operation declares (429, 501...) the same body: 405 with the
 * path's `Allow`, 403 where only some roles may call (`x-roles`), the expensive reads' tighter
 * limit and their worker's 503s (`x-expensive`), `Retry-After` on every 429 and 503.
 */
export function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas } };
  document.components.schemas!.Problem = PROBLEM_SCHEMA;
  const content = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  for (const [path, item] of Object.entries(document.paths)) {
    const health = HEALTH.test(path);
    const allow = allowOf(item);
    const notAllowed = {
      description: `method-not-allowed: this path answers only ${allow}; any other method gets 405 with Allow`,
      headers: {
        Allow: { description: "the path's methods", schema: { type: 'string', example: allow } },
      },
      content,
    };
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (health) {
        operation.responses['400'] = { description: WHAT['400'], content };
        operation.responses['404'] = { description: WHAT['404'], content };
        operation.responses['405'] = notAllowed;
        continue;
      }
      const extensions = operation as unknown as Record<string, unknown>;
      const expensive = extensions['x-expensive'] === true;
      const restricted = extensions['x-roles'] !== undefined;
      const statuses = [...(method === 'get' ? READ : WRITE), ...(restricted ? ['403'] : [])].filter(
        (status) => !(path === '/metrics' && status === '429'),
      );
      const declaredErrors = Object.keys(operation.responses).filter((status) => Number(status) >= 400);
      for (const status of new Set([...statuses, ...declaredErrors])) {
        if (status === '405') {
          operation.responses[status] = notAllowed;
          continue;
        }
        const declared = operation.responses[status] as
          { description?: string; content?: Record<string, { schema?: object }> } | undefined;
        // an operation's own error schema (an import's row errors) stays, as problem+json
        const schema = Object.values(declared?.content ?? {})[0]?.schema;
        operation.responses[status] = {
          description: describe(status, method, expensive, declared?.description),
          ...(status === '429' || status === '503' ? { headers: RETRY_AFTER } : {}),
          content: schema ? { 'application/problem+json': { schema } } : content,
        };
      }
    }
  }
  return document;
}

function describe(status: string, method: string, expensive: boolean, declared?: string): string {
  if (status === '429') return expensive ? EXPENSIVE_429 : WHAT['429'];
  if (status === '503') {
    if (expensive) return UNAVAILABLE.expensive;
    if (method !== 'get') return UNAVAILABLE.write;
  }
  return declared ?? WHAT[status];
}

/** What the 405 middleware (security.ts) answers in `Allow` for this path: its methods, HEAD with GET. */
function allowOf(item: OpenAPIObject['paths'][string]): string {
  const methods = METHODS.filter((method) => (item as Record<string, Operation | undefined>)[method]).map(
    (method) => method.toUpperCase(),
  );
  if (methods.includes('GET')) methods.push('HEAD');
  return methods.sort().join(', ');
}
