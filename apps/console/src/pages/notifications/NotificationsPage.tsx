import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { QueryState } from '../../components/QueryState';
import { StatusTag } from '../../components/StatusTag';
import { useI18n } from '../../i18n';
import { getNotifications, getVerification } from '../../services/endpoints';
import { NotificationEntry } from '../../services/types';

function VerificationCell({ month }: { month: string }) {
  const { t } = useI18n();
  const verification = useQuery({ queryKey: ['verification', month], queryFn: () => getVerification(month) });
  if (verification.isPending) return <Tag>{t('app.loading')}</Tag>;
  if (verification.error) return <StatusTag tone="bad">{t('app.errorTitle')}</StatusTag>;
  return (
    <Space>
      <StatusTag tone={verification.data.matches ? 'ok' : 'bad'} testId={`verification-${month}`}>
        {verification.data.matches ? t('pages.notifications.matches') : t('pages.notifications.differs')}
      </StatusTag>
      <Button size="small" onClick={() => verification.refetch()} loading={verification.isFetching}>
        {t('pages.notifications.verify')}
      </Button>
    </Space>
  );
}

/** Issued notifications: each verified against the log as known at issue, with its downloads. */
export default function NotificationsPage() {
  const { t } = useI18n();
  const notifications = useQuery({ queryKey: ['notifications'], queryFn: getNotifications });
  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
        {t('pages.notifications.title')}
      </Typography.Title>
      <QueryState
        loading={notifications.isPending}
        error={notifications.error}
        empty={notifications.data?.length === 0}
        retry={() => notifications.refetch()}
      >
        <Table<NotificationEntry>
          rowKey="month"
          dataSource={notifications.data}
          pagination={false}
          columns={[
            { title: t('pages.notifications.month'), dataIndex: 'month' },
            { title: t('pages.notifications.issue'), dataIndex: 'issue' },
            {
              title: t('pages.notifications.issuedAt'),
              dataIndex: 'knownAt',
              render: (value: string) => dayjs(value).format('YYYY-MM-DD HH:mm'),
            },
            {
              title: t('pages.notifications.verification'),
              key: 'verification',
              render: (_: unknown, row) => <VerificationCell month={row.month} />,
            },
            {
              title: t('pages.notifications.download'),
              key: 'download',
              render: (_: unknown, row) => (
                <Space>
                  <a href={`/api/v1/notifications/${row.month}?format=xlsx`} download>
                    XLSX
                  </a>
                  <a href={`/api/v1/notifications/${row.month}?format=csv`} download>
                    CSV
                  </a>
                  <a href={`/api/v1/notifications/${row.month}`} download={`notification-${row.month}.json`}>
                    JSON
                  </a>
                  <Link to={`/dashboard?asOf=${row.asOf}&knownAt=${encodeURIComponent(row.knownAt)}`}>
                    {t('pages.notifications.viewAsIssued')}
                  </Link>
                </Space>
              ),
            },
          ]}
        />
      </QueryState>
    </Card>
  );
}
