import { Card } from 'antd';
import { ComponentProps, ReactNode, Suspense, lazy, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../i18n';

const StalledListsCard = lazy(() => import('./StalledLists'));
const ReportViews = lazy(() => import('./ReportViews'));

/**
 * Its children once they come near the screen (or at once when `eager`): the first page
 * transfers and runs only what draws the rates. Loading or failing, the rates leave this near the
 * top: so nothing is observed until they are drawn (`ready`).
 */
function WhenNear({
  ready,
  eager = false,
  fallback,
  children,
}: {
  ready: boolean;
  eager?: boolean;
  fallback: ReactNode;
  children: ReactNode;
}) {
  const [near, setNear] = useState(eager);
  const placeholder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (near || !ready || !placeholder.current) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true);
      },
      { rootMargin: '100px' },
    );
    observer.observe(placeholder.current);
    return () => observer.disconnect();
  }, [near, ready]);
  if (!near) return <div ref={placeholder}>{fallback}</div>;
  return <Suspense fallback={fallback}>{children}</Suspense>;
}

/**
 * What the dashboard shows below the rate charts: the 三未 lists and the other views (a link
 * asking for a view, `view` or `trendUnit`, loads them at once).
 */
export function BelowTheRates({
  ready,
  ...props
}: ComponentProps<typeof ReportViews> & {
  /** The rates are drawn (until then the placeholders are near the top of every screen). */
  ready: boolean;
}) {
  const { t } = useI18n();
  const [search] = useSearchParams();
  const linked = search.has('view') || search.has('trendUnit');
  return (
    <>
      <WhenNear
        ready={ready}
        eager={linked}
        fallback={<Card title={t('pages.dashboard.stalled')} loading style={{ minHeight: 240 }} />}
      >
        <StalledListsCard ready={ready} scope={props.scope} roundIds={props.roundIds} />
      </WhenNear>
      <WhenNear
        ready={ready}
        eager={linked}
        fallback={<Card title={t('pages.dashboard.views')} loading style={{ minHeight: 240 }} />}
      >
        <ReportViews {...props} />
      </WhenNear>
    </>
  );
}
