import { Button, DatePicker, Space } from 'antd';
import dayjs from 'dayjs';
import { useTimeMachine } from '../hooks';
import { useI18n } from '../i18n';

/** The time machine's date pickers (TimeMachineBar loads them). */
export default function TimeMachinePickers() {
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
