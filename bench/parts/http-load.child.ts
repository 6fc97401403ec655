/**
 * Load generator for the HTTP part, in its own process: autocannon (programmatic API)
 * against the API on loopback. Each connection loops over two requests: sign a new project (a
 * unique projectId per request) and record its construction start.
 */
import { loadBenchModule } from '../lib/bench-deps';
import { serveChild } from '../lib/workers';

export interface LoadScenario {
  url: string;
  bearer: string;
  zoneIds: string[];
  idPrefix: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; absent: as fast as the server answers. */
  overallRate?: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  throughputPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
}

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  '2xx': number;
}

type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

async function run(scenario: LoadScenario): Promise<LoadResult> {
  const autocannon = loadBenchModule<Autocannon>('autocannon');
  let next = 0;
  const headers = { authorization: scenario.bearer, 'content-type': 'application/json' };
  const requests: AutocannonRequest[] = [
    {
      method: 'POST',
      path: '/api/v1/projects',
      headers,
      setupRequest: (request, context) => {
        const n = next++;
        const projectId = `${scenario.idPrefix}-${n}`;
        context.projectId = projectId;
        return {
          ...request,
          body: JSON.stringify({
            projectId,
            name: `年产10万吨新材料项目 ${n}`,
            enterprise: '山西某新材料有限公司',
            zoneId: scenario.zoneIds[n % scenario.zoneIds.length],
            totalInvestmentWan: 10_000 + (n % 500_000),
            industrial: n % 3 !== 0,
            signedOn: '2024-03-01',
          }),
        };
      },
    },
    {
      method: 'POST',
      headers,
      setupRequest: (request, context) => ({
        ...request,
        path: `/api/v1/projects/${String(context.projectId)}/milestones`,
        body: JSON.stringify({ milestone: 'construction-started', occurredOn: '2024-04-01' }),
      }),
    },
  ];
  const result = await autocannon({
    url: scenario.url,
    connections: scenario.connections,
    duration: scenario.durationSeconds,
    overallRate: scenario.overallRate,
    requests,
    timeout: 10,
  });
  const statusCounts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {}))
    statusCounts[status] = count;
  return {
    requests: result.requests.total,
    durationSeconds: result.duration,
    throughputPerSecond: result.requests.total / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
  };
}

serveChild(run);
