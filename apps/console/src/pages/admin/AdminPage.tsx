import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Form, Input, Select, Space, Table, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { ActionDialog } from '../../components/ActionDialog';
import { QueryState } from '../../components/QueryState';
import { StatusTag } from '../../components/StatusTag';
import { useRounds, useZones } from '../../hooks';
import { useI18n } from '../../i18n';
import { api, write } from '../../services/api';
import { getAccounts, setAccountDisabled } from '../../services/endpoints';
import { Account, Round, Zone } from '../../services/types';
import { CitiesTab } from './CitiesTab';

const CATEGORIES = ['industrial', 'agricultural', 'cultural-tourism'] as const;
const LEVELS = ['national', 'provincial'] as const;
const ROLES = ['officer', 'auditor', 'admin'] as const;

function ZonesTab() {
  const { t } = useI18n();
  const zones = useZones();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 16 }}>
        {t('pages.admin.addZone')}
      </Button>
      <QueryState loading={zones.isPending} error={zones.error}>
        <Table<Zone>
          rowKey="id"
          dataSource={zones.data}
          size="small"
          columns={[
            { title: t('fields.id'), dataIndex: 'id' },
            { title: t('fields.name'), dataIndex: 'name' },
            { title: t('fields.cityId'), dataIndex: 'cityId' },
            {
              title: t('fields.category'),
              dataIndex: 'category',
              render: (value: Zone['category']) => t(`category.${value}`),
            },
            {
              title: t('fields.level'),
              dataIndex: 'level',
              render: (value: Zone['level']) => t(`level.${value}`),
            },
          ]}
        />
      </QueryState>
      <ActionDialog<Zone>
        title={t('pages.admin.addZone')}
        open={adding}
        onClose={() => setAdding(false)}
        fields={['id', 'name', 'cityId', 'category', 'level']}
        fieldOfCode={{ 'zone-exists': 'id' }}
        initialValues={{ category: 'industrial', level: 'provincial' }}
        invalidate={[['zones']]}
        submit={(values, key) => write('/zones', values, key)}
      >
        <Form.Item name="id" label={t('fields.id')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('fields.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="cityId" label={t('fields.cityId')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="category" label={t('fields.category')} rules={[{ required: true }]}>
          <Select options={CATEGORIES.map((value) => ({ value, label: t(`category.${value}`) }))} />
        </Form.Item>
        <Form.Item name="level" label={t('fields.level')} rules={[{ required: true }]}>
          <Select options={LEVELS.map((value) => ({ value, label: t(`level.${value}`) }))} />
        </Form.Item>
      </ActionDialog>
    </>
  );
}

function RoundsTab() {
  const { t } = useI18n();
  const rounds = useRounds();
  const zones = useZones();
  const [adding, setAdding] = useState(false);
  return (
    <>
      <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 16 }}>
        {t('pages.admin.addRound')}
      </Button>
      <QueryState loading={rounds.isPending} error={rounds.error}>
        <Table<Round>
          rowKey="id"
          dataSource={rounds.data}
          size="small"
          columns={[
            { title: t('fields.id'), dataIndex: 'id' },
            { title: t('fields.name'), dataIndex: 'name' },
            { title: t('fields.heldOn'), dataIndex: 'heldOn' },
            {
              title: t('fields.mainVenueZoneId'),
              dataIndex: 'mainVenueZoneId',
              render: (id?: string) => zones.data?.find((zone) => zone.id === id)?.name ?? id ?? '—',
            },
          ]}
        />
      </QueryState>
      <ActionDialog<{ id: string; name?: string; heldOn: Dayjs; mainVenueZoneId?: string }>
        title={t('pages.admin.addRound')}
        open={adding}
        onClose={() => setAdding(false)}
        fields={['id', 'name', 'heldOn', 'mainVenueZoneId']}
        fieldOfCode={{ 'round-exists': 'id' }}
        invalidate={[['rounds']]}
        submit={(values, key) =>
          write(
            '/rounds',
            { ...values, name: values.name || undefined, heldOn: values.heldOn.format('YYYY-MM-DD') },
            key,
          )
        }
      >
        <Form.Item name="id" label={t('fields.id')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('fields.name')}>
          <Input />
        </Form.Item>
        <Form.Item name="heldOn" label={t('fields.heldOn')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="mainVenueZoneId" label={t('fields.mainVenueZoneId')}>
          <Select
            allowClear
            options={(zones.data ?? []).map((zone) => ({ value: zone.id, label: zone.name }))}
          />
        </Form.Item>
      </ActionDialog>
    </>
  );
}

function AccountsTab() {
  const { t } = useI18n();
  const accounts = useQuery({ queryKey: ['accounts'], queryFn: getAccounts });
  const zones = useZones();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const toggle = useMutation({
    mutationFn: (account: Account) => setAccountDisabled(account.username, !account.disabled),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['accounts'] }),
  });
  return (
    <>
      <Button type="primary" onClick={() => setAdding(true)} style={{ marginBottom: 16 }}>
        {t('pages.admin.addAccount')}
      </Button>
      <QueryState loading={accounts.isPending} error={accounts.error}>
        <Table<Account>
          rowKey="id"
          dataSource={accounts.data}
          size="small"
          columns={[
            { title: t('fields.username'), dataIndex: 'username' },
            { title: t('fields.displayName'), dataIndex: 'displayName' },
            {
              title: t('fields.role'),
              dataIndex: 'role',
              render: (role: Account['role']) => t(`app.role.${role}`),
            },
            {
              title: t('fields.zones'),
              dataIndex: 'zones',
              render: (ids: string[], row) =>
                [
                  ...ids.map((id) => zones.data?.find((zone) => zone.id === id)?.name ?? id),
                  ...row.cities,
                ].join('，'),
            },
            {
              title: t('fields.disabled'),
              dataIndex: 'disabled',
              render: (disabled: boolean, row) => (
                <Space>
                  <StatusTag tone={disabled ? 'bad' : 'ok'}>
                    {disabled ? t('pages.admin.disabledState') : t('pages.admin.enabled')}
                  </StatusTag>
                  <Button size="small" onClick={() => toggle.mutate(row)}>
                    {disabled ? t('pages.admin.enable') : t('pages.admin.disable')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </QueryState>
      <ActionDialog<{
        username: string;
        password: string;
        displayName?: string;
        role: Account['role'];
        zones?: string[];
        cities?: string;
      }>
        title={t('pages.admin.addAccount')}
        open={adding}
        onClose={() => setAdding(false)}
        fields={['username', 'password', 'displayName', 'role', 'zones', 'cities']}
        fieldOfCode={{ 'username-taken': 'username' }}
        initialValues={{ role: 'officer' }}
        invalidate={[['accounts']]}
        submit={(values) =>
          api('/accounts', {
            method: 'POST',
            body: {
              ...values,
              cities: values.cities
                ?.split(/[,，\s]+/)
                .map((city) => city.trim())
                .filter(Boolean),
            },
          })
        }
      >
        <Form.Item name="username" label={t('fields.username')} rules={[{ required: true }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="password" label={t('fields.password')} rules={[{ required: true, min: 8 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="displayName" label={t('fields.displayName')}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('fields.role')} rules={[{ required: true }]}>
          <Select options={ROLES.map((value) => ({ value, label: t(`app.role.${value}`) }))} />
        </Form.Item>
        <Form.Item name="zones" label={t('fields.zones')}>
          <Select
            mode="multiple"
            options={(zones.data ?? []).map((zone) => ({ value: zone.id, label: zone.name }))}
          />
        </Form.Item>
        <Form.Item name="cities" label={t('fields.cities')}>
          <Input />
        </Form.Item>
      </ActionDialog>
    </>
  );
}

/** Reference data and accounts (admin). */
export default function AdminPage() {
  const { t } = useI18n();
  return (
    <Card>
      <h1 style={{ fontSize: 20, marginTop: 0 }}>{t('pages.admin.title')}</h1>
      <Tabs
        items={[
          { key: 'zones', label: t('pages.admin.zones'), children: <ZonesTab /> },
          { key: 'rounds', label: t('pages.admin.rounds'), children: <RoundsTab /> },
          { key: 'cities', label: t('pages.admin.cities'), children: <CitiesTab /> },
          { key: 'accounts', label: t('pages.admin.accounts'), children: <AccountsTab /> },
        ]}
      />
    </Card>
  );
}
