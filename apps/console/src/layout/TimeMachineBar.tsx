import { Alert, Skeleton, Space } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { ChunkFailed } from '../components/ChunkFailed';
import { chunkComponent } from '../components/chunk-component';
import { useTimeMachine } from '../hooks';
import { useI18n } from '../i18n';

const TimeMachinePickers = chunkComponent(() => import('./TimeMachinePickers'));

/**
 * "As of" (a date) and "as known at" (an instant), kept in the URL of every view. The date
 * pickers are a chunk of their own, asked for once the browser is first idle: the first page's
 * paint needs no calendar, and their code arrived just when the page's did (bench/README.md,
 * "console").
 */
export function TimeMachineBar() {
  const { t } = useI18n();
  const idle = useFirstIdle();
  const waiting = (
    <Space wrap>
      {[t('app.asOfLabel'), t('app.knownAtLabel')].map((label) => (
        <span key={label}>
          <span style={{ marginRight: 8 }}>{label}</span>
          <Skeleton.Input active size="default" style={{ width: 160, verticalAlign: 'middle' }} />
        </span>
      ))}
    </Space>
  );
  return idle ? <TimeMachinePickers fallback={waiting} failed={<ChunkFailed />} /> : waiting;
}

/** Whether the browser has been idle since the component mounted (at most a second's wait). */
function useFirstIdle(): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    const id = requestIdleCallback(() => setIdle(true), { timeout: 1_000 });
    return () => cancelIdleCallback(id);
  }, []);
  return idle;
}

/** Which moment the page's data is from, so nobody mistakes a historical view for today. */
export function KnownAtBanner({ knownAt }: { knownAt?: string | null }) {
  const { t } = useI18n();
  const { knownAt: requested } = useTimeMachine();
  if (!knownAt) return null;
  const time = dayjs(knownAt).format('YYYY-MM-DD HH:mm:ss');
  return requested ? (
    <Alert type="warning" showIcon message={t('app.knownAtPast', { time })} style={{ marginBottom: 16 }} />
  ) : (
    <div style={{ marginBottom: 12, color: 'rgba(0,0,0,0.65)' }} data-testid="known-at">
      {t('app.knownAtNow', { time })}
    </div>
  );
}
