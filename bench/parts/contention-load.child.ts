/**
 * Load generator for the contention part, in its own process: `readers` loops, each as its
 * own caller, over verification, preview (JSON and XLSX) and the stalled lists, while
 * `writers` loops sign projects one after another; every write's latency is kept.
 */
import { serveChild } from '../lib/workers';

export interface ContentionScenario {
  url: string;
  writerBearer: string;
  readerBearers: string[];
  zoneId: string;
  month: string;
  idPrefix: string;
  writers: number;
  durationSeconds: number;
}

export interface ContentionResult {
  writeLatenciesMs: number[];
  readLatenciesMs: number[];
  writeStatuses: Record<string, number>;
  readStatuses: Record<string, number>;
}

const count = (counts: Record<string, number>, status: number | string) => {
  counts[status] = (counts[status] ?? 0) + 1;
};

async function run(scenario: ContentionScenario): Promise<ContentionResult> {
  const until = performance.now() + scenario.durationSeconds * 1000;
  const result: ContentionResult = {
    writeLatenciesMs: [],
    readLatenciesMs: [],
    writeStatuses: {},
    readStatuses: {},
  };
  const reads = [
    `/api/v1/notifications/${scenario.month}/verification`,
    `/api/v1/notifications/${scenario.month}/preview`,
    `/api/v1/stalled-projects`,
    `/api/v1/notifications/${scenario.month}/preview?format=xlsx`,
  ];
  let next = 0;
  const writer = async () => {
    while (performance.now() < until) {
      const n = next++;
      const started = performance.now();
      const response = await fetch(`${scenario.url}/api/v1/projects`, {
        method: 'POST',
        headers: { authorization: scenario.writerBearer, 'content-type': 'application/json' },
        body: JSON.stringify({
          projectId: `${scenario.idPrefix}-${n}`,
          name: `争用测试项目 ${n}`,
          enterprise: '山西某新材料有限公司',
          zoneId: scenario.zoneId,
          totalInvestmentWan: 10_000 + n,
          industrial: true,
          signedOn: '2024-03-01',
        }),
      }).catch(() => undefined);
      await response?.arrayBuffer();
      result.writeLatenciesMs.push(performance.now() - started);
      count(result.writeStatuses, response?.status ?? 'error');
    }
  };
  const reader = async (bearer: string, index: number) => {
    for (let i = index; performance.now() < until; i++) {
      const started = performance.now();
      const response = await fetch(`${scenario.url}${reads[i % reads.length]}`, {
        headers: { authorization: bearer },
      }).catch(() => undefined);
      await response?.arrayBuffer();
      result.readLatenciesMs.push(performance.now() - started);
      count(result.readStatuses, response?.status ?? 'error');
    }
  };
  await Promise.all([
    ...Array.from({ length: scenario.writers }, writer),
    ...scenario.readerBearers.map((bearer, index) => reader(bearer, index)),
  ]);
  return result;
}

serveChild(run);
