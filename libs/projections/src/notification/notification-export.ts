import ExcelJS from 'exceljs';
import { wanToYiText } from '@app/domain';
import { STALLED_KINDS, STALLED_NAMES_ZH } from '../project-lists';
import { RATE_DEFINITIONS, RATE_KEYS } from '../rates';
import { ruleZhOf } from '../project-lights';
import { OpenObstacle } from '../project-snapshot';
import { NotificationContent, NotificationRateRow } from './compose-notification';
import { TARGET_KEYS, settingsOfIssue } from './notification-settings';

type Cell = string | number | null;

/** One section of the notification as a table: Chinese headers with English beneath. */
export interface Section {
  sheet: string;
  headersZh: string[];
  headersEn: string[];
  rows: Cell[][];
}

const RATE_EN: Record<string, string> = {
  start: 'Start rate',
  production: 'Production rate',
  statisticsEntry: 'Statistics entry rate',
  attainment: 'Attainment rate',
  aboveScale: 'Above-scale rate',
};
const SCOPE_ZH = { province: '全省', city: '市', zone: '开发区' };
const STALLED_EN = {
  signedNotStarted: 'Signed, not started',
  startedNotProducing: 'Started, not producing',
  producingNotAttained: 'Producing, not attained',
};
const OBSTACLE_ZH: Record<string, string> = {
  land: '用地',
  permits: '审批',
  funding: '资金',
  energy: '能耗',
  environment: '环保',
  other: '其他',
};
/** Open obstacles beside a project: category, description and responsible unit. */
const obstaclesText = (obstacles: OpenObstacle[] | undefined): string | null =>
  obstacles && obstacles.length > 0
    ? obstacles
        .map((o) => `${OBSTACLE_ZH[o.category]} ${o.category}: ${o.description}（${o.responsibleUnit}）`)
        .join('; ')
    : null;
const STATUS_ZH = { green: '绿', amber: '黄', red: '红', none: '—' };

const BASIS_ZH = { count: '按个数', investment: '按投资', completedInvestment: '按完成投资' };

/** A fraction as a percentage with one decimal (89.6), as the reports print them. */
const percentOf = (fraction: number | null): number | null =>
  fraction === null ? null : Number((fraction * 100).toFixed(1));
const yi = (wan: number) => Number(wanToYiText(wan));

function rateSection(content: NotificationContent): Section {
  const headersZh = ['层级', '名称'];
  const headersEn = ['Scope', 'Name'];
  const { basis } = settingsOfIssue(content.settings);
  for (const key of RATE_KEYS) {
    const { nameZh } = RATE_DEFINITIONS[key];
    headersZh.push(
      `${nameZh}(%,${BASIS_ZH[basis[key]]})`,
      '排名',
      '较上期(百分点)',
      '基数(个)',
      '基数(亿元)',
      '完成(个)',
      '完成(亿元)',
    );
    headersEn.push(
      `${RATE_EN[key]} (%, by ${basis[key]})`,
      'Rank',
      'Change (pp)',
      'Cohort (projects)',
      'Cohort (100M CNY)',
      'Reached (projects)',
      'Reached (100M CNY)',
    );
  }
  const rows = [...content.rates.province, ...content.rates.cities, ...content.rates.zones].map(
    (row: NotificationRateRow) => {
      const cells: Cell[] = [SCOPE_ZH[row.scope], row.name];
      for (const key of RATE_KEYS) {
        const rate = row.rates[key];
        cells.push(
          percentOf(rate.value),
          rate.rank,
          percentOf(rate.change),
          rate.cohortCount,
          yi(rate.cohortWan),
          rate.count,
          yi(rate.wan),
        );
      }
      return cells;
    },
  );
  return { sheet: '五率 Rates', headersZh, headersEn, rows };
}

function milestoneSection(content: NotificationContent): Section {
  return {
    sheet: '本月节点 Milestones',
    headersZh: ['开发区', '项目编号', '项目名称', '节点', '日期'],
    headersEn: ['Zone', 'Project id', 'Project', 'Milestone', 'Date'],
    rows: content.milestones.flatMap((zone) =>
      zone.items.map((item) => [
        zone.zoneName,
        item.projectId,
        item.projectName,
        `${item.milestoneZh} ${item.milestone}`,
        item.occurredOn,
      ]),
    ),
  };
}

function stalledSection(content: NotificationContent): Section {
  return {
    sheet: '三未 Stalled',
    headersZh: ['类别', '项目编号', '项目名称', '开发区', '总投资(亿元)', '停滞起始', '停滞天数', '存在问题'],
    headersEn: [
      'Kind',
      'Project id',
      'Project',
      'Zone',
      'Investment (100M CNY)',
      'Stalled since',
      'Days stalled',
      'Open obstacles',
    ],
    rows: STALLED_KINDS.flatMap((kind) =>
      content.stalled[kind].map((p) => [
        `${STALLED_NAMES_ZH[kind]} ${STALLED_EN[kind]}`,
        p.projectId,
        p.name,
        p.zoneId,
        yi(p.totalInvestmentWan),
        p.since,
        p.daysStalled,
        obstaclesText(p.obstacles),
      ]),
    ),
  };
}

function planSection(content: NotificationContent): Section {
  const { plan } = content;
  return {
    sheet: '计划 Plan',
    headersZh: [
      '层级',
      '名称',
      '应开工(个)',
      '已开工(个)',
      '开工率(%)',
      '按期开工率(%)',
      '应投产(个)',
      '已投产(个)',
      '投产率(%)',
      '按期投产率(%)',
    ],
    headersEn: [
      'Scope',
      'Name',
      'Due to start',
      'Started',
      'Started (%)',
      'Started on plan (%)',
      'Due to produce',
      'Producing',
      'Producing (%)',
      'Producing on plan (%)',
    ],
    rows: [...plan.province, ...plan.cities, ...plan.zones].map((row) => [
      SCOPE_ZH[row.scope],
      row.name,
      row.start.due,
      row.start.reached,
      percentOf(row.start.rate),
      percentOf(row.start.onPlanRate),
      row.production.due,
      row.production.reached,
      percentOf(row.production.rate),
      percentOf(row.production.onPlanRate),
    ]),
  };
}

function overdueSection(content: NotificationContent): Section {
  const kinds = [
    ['start', '逾期未开工 Overdue to start'],
    ['production', '逾期未投产 Overdue to produce'],
  ] as const;
  return {
    sheet: '逾期 Overdue',
    headersZh: ['类别', '项目编号', '项目名称', '开发区', '总投资(亿元)', '计划日期', '逾期天数', '存在问题'],
    headersEn: [
      'Kind',
      'Project id',
      'Project',
      'Zone',
      'Investment (100M CNY)',
      'Planned on',
      'Days overdue',
      'Open obstacles',
    ],
    rows: kinds.flatMap(([kind, label]) =>
      content.plan.overdue[kind].map((p) => [
        label,
        p.projectId,
        p.name,
        p.zoneId,
        yi(p.totalInvestmentWan),
        p.plannedOn,
        p.daysOverdue,
        obstaclesText(p.obstacles),
      ]),
    ),
  };
}

function expectedSection(content: NotificationContent): Section {
  return {
    sheet: '年底前投产 Expected',
    headersZh: ['项目编号', '项目名称', '开发区', '总投资(亿元)', '计划投产日期'],
    headersEn: ['Project id', 'Project', 'Zone', 'Investment (100M CNY)', 'Planned production'],
    rows: content.plan.expectedByYearEnd.map((p) => [
      p.projectId,
      p.name,
      p.zoneId,
      yi(p.totalInvestmentWan),
      p.plannedProductionOn,
    ]),
  };
}

function investmentSection(content: NotificationContent): Section {
  const { investment } = content;
  return {
    sheet: '投资 Investment',
    headersZh: ['层级', '名称', '年度计划投资(亿元)', '本年完成投资(亿元)', '投资完成率(%)', '序时进度(%)'],
    headersEn: [
      'Scope',
      'Name',
      'Planned this year (100M CNY)',
      'Completed this year (100M CNY)',
      'Completion rate (%)',
      'Elapsed share of the year (%)',
    ],
    rows: [...investment.province, ...investment.cities, ...investment.zones].map((row) => [
      SCOPE_ZH[row.scope],
      row.name,
      yi(row.investment.plannedWan),
      yi(row.investment.completedWan),
      percentOf(row.investment.rate),
      percentOf(row.investment.elapsedShare),
    ]),
  };
}

function lightsSection(content: NotificationContent): Section {
  return {
    sheet: '红黄绿灯 Lights',
    headersZh: ['项目编号', '项目名称', '开发区', '类别', '灯', '规则', '说明', '有正当理由', '存在问题'],
    headersEn: [
      'Project id',
      'Project',
      'Zone',
      'Kind',
      'Light',
      'Rule',
      'Rule (zh)',
      'Justified',
      'Open obstacles',
    ],
    rows: content.lights.projects.flatMap((p) =>
      p.lights.map((light) => [
        p.projectId,
        p.name,
        p.zoneId,
        light.kind,
        `${STATUS_ZH[light.colour]} ${light.colour}`,
        light.rule,
        ruleZhOf(light.rule),
        light.justified ? `是 yes (${light.justifiedBy.join(', ')})` : '否 no',
        obstaclesText(p.obstacles),
      ]),
    ),
  };
}

function warningSection(content: NotificationContent): Section {
  return {
    sheet: '预警 Warnings',
    headersZh: ['开发区', '市', ...RATE_KEYS.map((key) => RATE_DEFINITIONS[key].nameZh), '投资完成率'],
    headersEn: ['Zone', 'City', ...RATE_KEYS.map((key) => RATE_EN[key]), 'Investment completion'],
    rows: content.warnings.zones.map((zone) => [
      zone.zoneName,
      zone.cityId,
      ...TARGET_KEYS.map((key) => {
        const status = zone.statuses[key]?.status ?? 'none';
        return `${STATUS_ZH[status]} ${status}`;
      }),
    ]),
  };
}

function changesSection(content: NotificationContent): Section {
  return {
    sheet: '往月变更 Changes',
    headersZh: ['位置', '项目编号', '事实', '所属日期', '录入时间', '录入人', '原因'],
    headersEn: ['Position', 'Project id', 'Fact', 'Effective date', 'Recorded at', 'Recorded by', 'Reason'],
    rows: content.changesAboutEarlierMonths.facts.map((f) => [
      f.position,
      f.projectId,
      f.type,
      f.effectiveOn,
      f.recordedAt,
      f.recordedBy,
      f.reason,
    ]),
  };
}

/** The notification as tables, one per section, as the XLSX sheets and CSV blocks show them. */
export function notificationSections(content: NotificationContent): Section[] {
  return [
    rateSection(content),
    milestoneSection(content),
    stalledSection(content),
    ...(content.plan ? [planSection(content), overdueSection(content), expectedSection(content)] : []),
    ...(content.investment ? [investmentSection(content)] : []),
    ...(content.lights ? [lightsSection(content)] : []),
    warningSection(content),
    changesSection(content),
  ];
}

/** The notification as a workbook: one sheet per section. */
export async function notificationXlsx(content: NotificationContent): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.title = content.title;
  for (const section of notificationSections(content)) {
    const sheet = workbook.addWorksheet(section.sheet);
    sheet.addRow(section.headersZh).font = { bold: true };
    sheet.addRow(section.headersEn).font = { italic: true };
    // Text goes in as text cells (never `{ formula }`), which no spreadsheet evaluates.
    for (const row of section.rows) sheet.addRow(row);
    sheet.views = [{ state: 'frozen', ySplit: 2 }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** What makes a spreadsheet read a text cell as a formula (OWASP, "CSV Injection"). */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/**
 * One CSV field. Text that a spreadsheet would run as a formula (`=1+1`, `@SUM(A1)`, `-2+3`,
 * `+1`, or a leading tab or CR) gets a leading `'`, which makes Excel, LibreOffice and
 * Sheets show it as text, and is quoted; so is text with a comma, quote, CR or LF. Numbers
 * stay numbers (a negative amount is not text).
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_TRIGGER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== value ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The notification as CSV: each section under its title, separated by a blank line; UTF-8 with BOM for Excel. */
export function notificationCsv(content: NotificationContent): string {
  const lines: string[] = [csvCell(content.title)];
  for (const section of notificationSections(content)) {
    lines.push(
      '',
      csvCell(section.sheet),
      section.headersZh.map(csvCell).join(','),
      section.headersEn.map(csvCell).join(','),
    );
    for (const row of section.rows) lines.push(row.map(csvCell).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
