import { Card, Tabs } from 'antd';
import { useSearchParam } from '../../hooks';
import { useI18n } from '../../i18n';
import { InvestmentView } from './InvestmentView';
import { LargeSharesView } from './LargeSharesView';
import { LightsView } from './LightsView';
import { PlanView } from './PlanView';
import { RoundsView } from './RoundsView';
import { TrendView } from './TrendView';

const VIEWS = ['trend', 'plan', 'investment', 'large', 'lights', 'rounds'] as const;
type View = (typeof VIEWS)[number];

/**
 * The dashboard's other views, one tab each (kept in the URL). A tab's queries start when it is
 * first opened. Loaded by BelowTheRates, not with the first page.
 */
export default function ReportViews({
  scope,
  roundIds,
  units,
}: {
  scope: 'city' | 'zone';
  roundIds: string[];
  units: { id: string; name: string }[];
}) {
  const { t } = useI18n();
  const [viewParam, setView] = useSearchParam('view');
  const view: View = (VIEWS as readonly string[]).includes(viewParam ?? '') ? (viewParam as View) : 'trend';
  const labels: Record<View, string> = {
    trend: t('pages.dashboard.trend'),
    plan: t('pages.dashboard.plan'),
    investment: t('pages.dashboard.investment'),
    large: t('pages.dashboard.large'),
    lights: t('pages.dashboard.lights'),
    rounds: t('pages.dashboard.rounds.summary'),
  };
  const content = (key: View) => {
    switch (key) {
      case 'trend':
        return <TrendView scope={scope} roundIds={roundIds} units={units} />;
      case 'plan':
        return <PlanView scope={scope} roundIds={roundIds} />;
      case 'investment':
        return <InvestmentView scope={scope} roundIds={roundIds} />;
      case 'large':
        return <LargeSharesView scope={scope} roundIds={roundIds} />;
      case 'lights':
        return <LightsView scope={scope} roundIds={roundIds} units={units} />;
      case 'rounds':
        return <RoundsView />;
    }
  };
  return (
    <Card title={t('pages.dashboard.views')}>
      <Tabs
        activeKey={view}
        onChange={(key) => setView(key === 'trend' ? undefined : key)}
        items={VIEWS.map((key) => ({ key, label: labels[key], children: content(key) }))}
      />
    </Card>
  );
}
