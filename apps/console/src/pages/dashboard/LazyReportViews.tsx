import { Card } from 'antd';
import { ComponentProps, Suspense, lazy, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../i18n';

const ReportViews = lazy(() => import('./ReportViews'));

/**
 * The views below the rate charts, loaded when they come near the screen or when the link asks
 * for one (`view`, `trendUnit`): the first page transfers and runs only what draws the rates.
 * Loading or failing, the rates leave the views near the top: so nothing is observed until then.
 */
export function LazyReportViews({
  ready,
  ...props
}: ComponentProps<typeof ReportViews> & {
  /** The page above is drawn (until then the placeholder is near the top of every screen). */
  ready: boolean;
}) {
  const { t } = useI18n();
  const [search] = useSearchParams();
  const [near, setNear] = useState(() => search.has('view') || search.has('trendUnit'));
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
  const waiting = <Card title={t('pages.dashboard.views')} loading style={{ minHeight: 240 }} />;
  if (!near) return <div ref={placeholder}>{waiting}</div>;
  return (
    <Suspense fallback={waiting}>
      <ReportViews {...props} />
    </Suspense>
  );
}
