import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, FormInstance, Modal } from 'antd';
import { ReactNode, useState } from 'react';
import { useI18n } from '../i18n';
import { ApiError } from '../services/api';
import { FieldErrorSink, applyServerErrors } from '../server-errors';

export interface ActionDialogProps<Values> {
  title: string;
  open: boolean;
  onClose(): void;
  /** The form's field names: the API's errors land on them. */
  fields: readonly string[];
  /** Rule errors (409) that name no field, and the field they are about. */
  fieldOfCode?: Record<string, string>;
  /** Sends the write; gets a fresh Idempotency-Key per dialog opening. */
  submit(values: Values, idempotencyKey: string): Promise<unknown>;
  /** Queries to reload after a success. */
  invalidate: unknown[][];
  initialValues?: Partial<Values>;
  children: ReactNode | ((form: FormInstance<Values>) => ReactNode);
}

/** A write dialog: one form, the API's errors set beside its fields, queries reloaded on success. */
export function ActionDialog<Values extends object>(props: ActionDialogProps<Values>) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (values: Values) => props.submit(values, key),
    onSuccess: async () => {
      await Promise.all(props.invalidate.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      close();
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) {
        setFormErrors([String(error)]);
        return;
      }
      // The refused request recorded nothing: a corrected retry is a new request.
      setKey(crypto.randomUUID());
      setFormErrors(
        applyServerErrors(form as unknown as FieldErrorSink, error.problem, {
          fields: props.fields,
          fieldOfCode: props.fieldOfCode,
          fallback: (problem) => (problem.code === 'network' ? t('errors.network') : undefined),
        }),
      );
    },
  });
  const close = () => {
    form.resetFields();
    setFormErrors([]);
    setKey(crypto.randomUUID());
    props.onClose();
  };
  return (
    <Modal
      title={props.title}
      open={props.open}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('app.submit')}
      cancelText={t('app.cancel')}
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      {formErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={formErrors.join('；')}
          role="alert"
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={props.initialValues}
        onFinish={(values) => {
          setFormErrors([]);
          mutation.mutate(values);
        }}
      >
        {typeof props.children === 'function' ? props.children(form) : props.children}
      </Form>
    </Modal>
  );
}
