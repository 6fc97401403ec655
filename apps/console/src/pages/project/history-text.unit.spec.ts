import { enUS } from '../../locales/en-US';
import { MessageKey, zhCN } from '../../locales/zh-CN';
import { HistoryEvent } from '../../services/types';
import { describeEvent, eventName, sourceText } from './history-text';

const translator =
  (catalogue: Record<MessageKey, string>) => (key: MessageKey, values?: Record<string, string | number>) =>
    (catalogue[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? `{${name}}`));
const zh = translator(zhCN);
const en = translator(enUS);

function event(
  type: string,
  data: Record<string, unknown>,
  source: HistoryEvent['metadata']['source'] = { kind: 'api' },
): HistoryEvent {
  return {
    position: 1,
    revision: 0,
    id: 'e1',
    type,
    data: { projectId: 'p', ...data },
    metadata: { recordedAt: '2023-06-01T02:00:00.000Z', recordedBy: 'u1', recordedByName: '王丽', source },
  };
}

describe('describeEvent(event, t, locale)', () => {
  it('says what an obstacle, its update and its resolution were, in Chinese', () => {
    expect(
      describeEvent(
        event('ObstacleRecorded', {
          obstacleId: 'land-1',
          category: 'land',
          description: '用地指标未落实',
          responsibleUnit: '市自然资源局',
          raisedOn: '2023-06-01',
        }),
        zh,
        'zh-CN',
      ),
    ).toBe('land-1 · 用地：用地指标未落实（责任单位：市自然资源局，2023-06-01）');
    expect(
      describeEvent(
        event('ObstacleUpdated', {
          obstacleId: 'land-1',
          changes: { category: 'permits', measures: '专班协调' },
        }),
        zh,
        'zh-CN',
      ),
    ).toBe('land-1 · 问题类别：审批手续；解决措施：专班协调');
    expect(
      describeEvent(
        event('ObstacleResolved', { obstacleId: 'land-1', resolvedOn: '2023-09-01', resolution: '已供地' }),
        zh,
        'zh-CN',
      ),
    ).toBe('land-1 · 2023-09-01：已供地');
  });

  it('shows amounts in 亿元/万元, booleans as 是/否, and only the planned dates that were set', () => {
    expect(
      describeEvent(
        event('ProjectAmended', { changes: { totalInvestmentWan: 25_000, industrial: false } }),
        zh,
        'zh-CN',
      ),
    ).toBe('总投资（万元）：2.5亿元；产业项目：否');
    expect(
      describeEvent(
        event('AnnualInvestmentPlanned', { year: 2023, plannedInvestmentWan: 8_000 }),
        zh,
        'zh-CN',
      ),
    ).toBe('2023：8,000万元');
    expect(describeEvent(event('PlannedDatesSet', { plannedStartOn: '2023-07-01' }), zh, 'zh-CN')).toBe(
      '计划开工日期：2023-07-01',
    );
  });

  it('names a withdrawn listing by round and batch, in English when chosen', () => {
    expect(
      describeEvent(
        event('ListingWithdrawn', {
          roundId: '2023-r2',
          batch: 'construction',
          heldOn: '2023-05-29',
          reason: 'x',
        }),
        en,
        'en-US',
      ),
    ).toBe(`2023-r2 · ${enUS['batch.construction']}（2023-05-29）`);
  });
});

describe('sourceText and eventName', () => {
  it('names the import file and row a fact came from', () => {
    expect(sourceText(event('ProjectSigned', {}, { kind: 'import', file: '台账.xlsx', row: 4 }), zh)).toBe(
      '导入 台账.xlsx 第 4 行',
    );
    expect(sourceText(event('ProjectSigned', {}), zh)).toBe('在线录入');
  });

  it("falls back to the event's type when the catalogue has no name for it", () => {
    expect(eventName('ObstacleResolved', zh)).toBe('问题解决');
    expect(eventName('SomethingNew', zh)).toBe('SomethingNew');
  });
});
