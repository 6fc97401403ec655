import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router';
import { formatWan } from '../../format';
import { useTimeMachine, useZones } from '../../hooks';
import { useI18n } from '../../i18n';

interface ListedRow {
  projectId: string;
  name: string;
  zoneId: string;
  totalInvestmentWan: number;
}

/**
 * How the dashboard's project lists begin: the id, the name linking to the project (same D and
 * K), the zone's name and, unless left out, the total investment. Also `zoneName` for exports.
 */
export function useProjectColumns<Row extends ListedRow>({ investment = true } = {}): {
  columns: ColumnsType<Row>;
  zoneName: (id: string) => string;
} {
  const { t, locale } = useI18n();
  const { link } = useTimeMachine();
  const zones = useZones();
  const zoneName = (id: string) => zones.data?.find((zone) => zone.id === id)?.name ?? id;
  const columns: ColumnsType<Row> = [
    { title: t('fields.projectId'), dataIndex: 'projectId' },
    {
      title: t('fields.name'),
      dataIndex: 'name',
      render: (name: string, row) => (
        <Link to={link(`/projects/${encodeURIComponent(row.projectId)}`)}>{name}</Link>
      ),
    },
    { title: t('fields.zoneId'), dataIndex: 'zoneId', render: zoneName },
  ];
  if (investment) {
    columns.push({
      title: t('fields.totalInvestment'),
      dataIndex: 'totalInvestmentWan',
      align: 'right',
      render: (wan: number) => formatWan(wan, locale),
    });
  }
  return { columns, zoneName };
}
