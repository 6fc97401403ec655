import { ImportRow } from '@app/import';
import { SheetValues } from '@app/import/testing';

const ZONES = ['jinzhong-kfq', '介休经开区', 'linfen-kfq'];
const BATCHES = ['签约', '开工', '投产'] as const;

/**
 * A varied 台账 row for the seeded province (test/support/api-harness seedReference): zone by
 * id or by name, all three batches of round 2023-r2 (held 2023-05-29), milestones up to
 * entry above scale, planned dates, 是/否 and amounts with separators.
 */
export function sampleRow(prefix: string, i: number, zones: readonly string[] = ZONES): SheetValues {
  const batch = BATCHES[i % 3];
  const day = String(1 + (i % 28)).padStart(2, '0');
  const row: SheetValues = {
    projectId: `${prefix}-${i}`,
    name: `${prefix}项目${i}`,
    enterprise: `山西${prefix}企业${i}有限公司`,
    zone: zones[i % zones.length],
    totalInvestmentWan: i % 2 === 0 ? 10_000 + i : `${(20_000 + i).toLocaleString('en-US')}`,
    industrial: i % 5 === 0 ? '否' : '是',
    strategicEmerging: i % 4 === 0 ? 'Y' : 'N',
    industryChain: i % 3 === 0 ? '新材料' : '',
    roundId: '2023-r2',
    batch,
    signedOn: new Date(Date.UTC(2023, 0, Number(day))),
    plannedStartOn: i % 2 === 0 ? `2023/3/${Number(day)}` : '',
  };
  if (batch !== '签约' || i % 2 === 0) row.constructionStartedOn = `2023-02-${day}`;
  if (batch === '投产') {
    row.productionStartedOn = `2023年4月${Number(day)}日`;
    if (i % 2 === 0) row.attainedOn = '2023.5.20';
    if (i % 4 === 0) row.aboveScaleOn = '2023-05-25';
    row.statisticsEnteredOn = '2023-03-31';
  }
  return row;
}

/**
 * The API's own write requests for what an import row states (sign, each milestone, the
 * listing), for the project `projectId`; `zoneIds` maps a zone name of the file to its id.
 */
export function apiRequestsOf(
  row: ImportRow,
  projectId: string,
  zoneIds: Record<string, string>,
): [string, object][] {
  const optional = {
    strategicEmerging: row.strategicEmerging,
    industryChain: row.industryChain,
    plannedStartOn: row.plannedStartOn,
    plannedProductionOn: row.plannedProductionOn,
  };
  const requests: [string, object][] = [
    [
      '/projects',
      {
        projectId,
        name: row.name,
        enterprise: row.enterprise,
        zoneId: zoneIds[row.zone] ?? row.zone,
        totalInvestmentWan: row.totalInvestmentWan,
        industrial: row.industrial,
        ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
        signedOn: row.signedOn,
      },
    ],
  ];
  for (const [milestone, occurredOn] of Object.entries(row.milestones)) {
    requests.push([`/projects/${projectId}/milestones`, { milestone, occurredOn }]);
  }
  requests.push([`/projects/${projectId}/listings`, { roundId: row.roundId, batch: row.batch }]);
  return requests;
}
