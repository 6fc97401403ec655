import { DatePicker, Form, Input, InputNumber, Select, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { Me, can } from '../../access';
import { ActionDialog } from '../../components/ActionDialog';
import { useI18n } from '../../i18n';
import { write } from '../../services/api';
import { Zone } from '../../services/types';

interface SignValues {
  projectId?: string;
  name: string;
  enterprise: string;
  zoneId: string;
  totalInvestmentWan: number;
  industrial: boolean;
  strategicEmerging?: boolean;
  industryChain?: string;
  signedOn: Dayjs;
  plannedStartOn?: Dayjs;
  plannedProductionOn?: Dayjs;
}

const FIELDS = [
  'projectId',
  'name',
  'enterprise',
  'zoneId',
  'totalInvestmentWan',
  'industrial',
  'strategicEmerging',
  'industryChain',
  'signedOn',
  'plannedStartOn',
  'plannedProductionOn',
] as const;

const day = (value?: Dayjs) => value?.format('YYYY-MM-DD');

export function SignProjectDialog({
  open,
  onClose,
  me,
  zones,
}: {
  open: boolean;
  onClose(): void;
  me: Me;
  zones: Zone[];
}) {
  const { t } = useI18n();
  const mine = zones.filter((zone) => can(me, 'project.sign', { zoneId: zone.id, cityId: zone.cityId }));
  return (
    <ActionDialog<SignValues>
      title={t('pages.projects.sign')}
      open={open}
      onClose={onClose}
      fields={FIELDS}
      fieldOfCode={{ 'project-exists': 'projectId' }}
      initialValues={{ industrial: true, zoneId: mine.length === 1 ? mine[0].id : undefined }}
      invalidate={[['projects']]}
      submit={(values, key) =>
        write(
          '/projects',
          {
            ...values,
            projectId: values.projectId || undefined,
            industryChain: values.industryChain || undefined,
            signedOn: day(values.signedOn),
            plannedStartOn: day(values.plannedStartOn),
            plannedProductionOn: day(values.plannedProductionOn),
          },
          key,
        )
      }
    >
      <Form.Item name="projectId" label={t('fields.projectId')}>
        <Input />
      </Form.Item>
      <Form.Item name="name" label={t('fields.name')} rules={[{ required: true }]}>
        <Input />
      </Form.Item>
      <Form.Item name="enterprise" label={t('fields.enterprise')} rules={[{ required: true }]}>
        <Input />
      </Form.Item>
      <Form.Item name="zoneId" label={t('fields.zoneId')} rules={[{ required: true }]}>
        <Select options={mine.map((zone) => ({ value: zone.id, label: zone.name }))} />
      </Form.Item>
      <Form.Item
        name="totalInvestmentWan"
        label={t('fields.totalInvestmentWan')}
        rules={[{ required: true }]}
      >
        <InputNumber min={1} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="industrial" label={t('fields.industrial')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="strategicEmerging" label={t('fields.strategicEmerging')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="industryChain" label={t('fields.industryChain')}>
        <Input />
      </Form.Item>
      <Form.Item name="signedOn" label={t('fields.signedOn')} rules={[{ required: true }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="plannedStartOn" label={t('fields.plannedStartOn')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="plannedProductionOn" label={t('fields.plannedProductionOn')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </ActionDialog>
  );
}
