import { DatePicker, Form, Input, InputNumber, Switch } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../i18n';
import { MessageKey } from '../locales/zh-CN';

/** A date picker's value as the API's `YYYY-MM-DD` (undefined when empty). */
export const day = (value?: Dayjs | null) => value?.format('YYYY-MM-DD');

/** One date field: the picker fills the form's width, so a label sits above each. */
export function DateField({
  name,
  label,
  required = false,
  picker,
}: {
  name: string;
  label: MessageKey;
  required?: boolean;
  picker?: 'month' | 'year';
}) {
  const { t } = useI18n();
  return (
    <Form.Item name={name} label={t(label)} rules={[{ required }]}>
      <DatePicker picker={picker} style={{ width: '100%' }} />
    </Form.Item>
  );
}

/** An amount in 万元, whole numbers. */
export function WanField({
  name,
  label,
  required = false,
  min = 0,
}: {
  name: string;
  label: MessageKey;
  required?: boolean;
  min?: number;
}) {
  const { t } = useI18n();
  return (
    <Form.Item name={name} label={t(label)} rules={[{ required }]}>
      <InputNumber min={min} precision={0} style={{ width: '100%' }} />
    </Form.Item>
  );
}

export function TextField({
  name,
  label,
  required = false,
  multiline = false,
}: {
  name: string;
  label: MessageKey;
  required?: boolean;
  multiline?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Form.Item name={name} label={t(label)} rules={[{ required }]}>
      {multiline ? <Input.TextArea rows={2} /> : <Input />}
    </Form.Item>
  );
}

/** The reason every correction carries (the history shows it); optional where a first setting needs none. */
export function ReasonField({
  required = true,
  label = 'fields.reason',
}: {
  required?: boolean;
  label?: MessageKey;
}) {
  const { t } = useI18n();
  return (
    <Form.Item name="reason" label={t(label)} rules={[{ required, message: t('errors.reason-required') }]}>
      <Input.TextArea rows={2} />
    </Form.Item>
  );
}

/** A project's details, as signed and as amended: required when signing, each optional when amending. */
export function ProjectDetailsFields({ required }: { required: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <TextField name="name" label="fields.name" required={required} />
      <TextField name="enterprise" label="fields.enterprise" required={required} />
      <WanField name="totalInvestmentWan" label="fields.totalInvestmentWan" required={required} min={1} />
      <Form.Item name="industrial" label={t('fields.industrial')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="strategicEmerging" label={t('fields.strategicEmerging')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <TextField name="industryChain" label="fields.industryChain" />
    </>
  );
}

/** 计划开工 / 计划投产 dates. */
export function PlannedDateFields() {
  return (
    <>
      <DateField name="plannedStartOn" label="fields.plannedStartOn" />
      <DateField name="plannedProductionOn" label="fields.plannedProductionOn" />
    </>
  );
}
