import { Button, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n';
import { Sheet, downloadXlsx } from './export';

/** Which D and K a view's figures are for, beside the view (a tab may be read on its own). */
export function ViewMeta({ data }: { data?: { asOf: string; knownAt: string } }) {
  const { t } = useI18n();
  if (!data) return null;
  return (
    <Typography.Paragraph type="secondary" data-testid="view-meta" style={{ marginBottom: 8 }}>
      {t('pages.dashboard.viewMeta', {
        asOf: data.asOf,
        time: dayjs(data.knownAt).format('YYYY-MM-DD HH:mm:ss'),
      })}
    </Typography.Paragraph>
  );
}

/** "导出 Excel" for a view: its sheets are built when clicked, from what the view shows. */
export function ExportButton({ sheets, fileName }: { sheets?: () => Sheet[]; fileName: string }) {
  const { t } = useI18n();
  return (
    <Button disabled={!sheets} onClick={() => sheets && downloadXlsx(sheets(), fileName)}>
      {t('app.exportXlsx')}
    </Button>
  );
}
