import { Form, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { Me, can } from '../../access';
import { ActionDialog } from '../../components/ActionDialog';
import {
  DateField,
  PlannedDateFields,
  ProjectDetailsFields,
  TextField,
  day,
} from '../../components/ProjectFields';
import { useI18n } from '../../i18n';
import { write } from '../../services/api';
import type { components } from '../../services/openapi';
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
      submit={(values, key) => {
        const body: components['schemas']['SignProjectDto'] = {
          ...values,
          projectId: values.projectId || undefined,
          industryChain: values.industryChain || undefined,
          signedOn: day(values.signedOn)!,
          plannedStartOn: day(values.plannedStartOn),
          plannedProductionOn: day(values.plannedProductionOn),
        };
        return write('/projects', body, key);
      }}
    >
      <TextField name="projectId" label="fields.projectId" />
      <Form.Item name="zoneId" label={t('fields.zoneId')} rules={[{ required: true }]}>
        <Select options={mine.map((zone) => ({ value: zone.id, label: zone.name }))} />
      </Form.Item>
      <ProjectDetailsFields required />
      <DateField name="signedOn" label="fields.signedOn" required />
      <PlannedDateFields />
    </ActionDialog>
  );
}
