import { Alert, Button } from 'antd';
import { useI18n } from '../i18n';

/** The chunk did not arrive: the network dropped, or the console was updated since this page loaded. */
export function ChunkFailed() {
  const { t } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      message={t('app.chunkFailed')}
      action={<Button onClick={() => window.location.reload()}>{t('app.reload')}</Button>}
    />
  );
}
