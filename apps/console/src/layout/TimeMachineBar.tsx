import { Alert, Button, DatePicker, Space } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../i18n';
import { useTimeMachine } from '../hooks';

/** "As of" (a date) and "as known at" (an instant), kept in the URL of every view. */
export function TimeMachineBar() {
  const { t, locale } = useI18n();
  const { asOf, knownAt, set, historical } = useTimeMachine();
  return (
    // Date pickers keep their first locale: remount them when it changes.
    <Space wrap key={locale}>
      <label>
        <span style={{ marginRight: 8 }}>{t('app.asOfLabel')}</span>
        <DatePicker
          aria-label={t('app.asOfLabel')}
          value={asOf ? dayjs(asOf) : null}
          onChange={(value) => set({ asOf: value ? value.format('YYYY-MM-DD') : undefined })}
        />
      </label>
      <label>
        <span style={{ marginRight: 8 }}>{t('app.knownAtLabel')}</span>
        <DatePicker
          aria-label={t('app.knownAtLabel')}
          showTime
          value={knownAt ? dayjs(knownAt) : null}
          onChange={(value) => set({ knownAt: value ? value.toDate().toISOString() : undefined })}
        />
      </label>
      {historical && (
        <Button onClick={() => set({ asOf: undefined, knownAt: undefined })}>{t('app.backToNow')}</Button>
      )}
    </Space>
  );
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
