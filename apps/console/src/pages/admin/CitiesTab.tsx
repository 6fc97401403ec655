import { Alert, Table } from 'antd';
import { QueryState } from '../../components/QueryState';
import { useZones } from '../../hooks';
import { useI18n } from '../../i18n';
import { City, citiesOf } from './cities';

export function CitiesTab() {
  const { t } = useI18n();
  const zones = useZones();
  return (
    <QueryState loading={zones.isPending} error={zones.error} retry={() => zones.refetch()}>
      <Alert type="info" showIcon message={t('pages.admin.cities.note')} style={{ marginBottom: 16 }} />
      <Table<City>
        rowKey="cityId"
        size="small"
        pagination={false}
        dataSource={citiesOf(zones.data ?? [])}
        columns={[
          { title: t('fields.cityId'), dataIndex: 'cityId' },
          {
            title: t('pages.admin.cities.zones'),
            key: 'zones',
            render: (_: unknown, city) => city.zones.map((zone) => zone.name).join('、'),
          },
          {
            title: t('pages.admin.cities.count'),
            key: 'count',
            align: 'right',
            render: (_: unknown, city) => city.zones.length,
          },
        ]}
      />
    </QueryState>
  );
}
