import { Alert, Form, Select } from 'antd';
import { ActionDialog } from '../../components/ActionDialog';
import { ReasonField } from '../../components/ProjectFields';
import { useI18n } from '../../i18n';
import { write } from '../../services/api';
import type { components } from '../../services/openapi';
import { DialogProps, invalidateProject, projectPath } from './dialog-support';

/** 作废: the project was recorded in error; it leaves every rate from now on, its history stays. */
export function VoidDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  return (
    <ActionDialog<{ reason: string }>
      title={t('actions.void')}
      open={open}
      onClose={onClose}
      fields={['reason']}
      fieldOfCode={{ 'project-voided': 'reason' }}
      invalidate={invalidateProject(project)}
      submit={(values, key) => {
        const body: components['schemas']['ReasonDto'] = { reason: values.reason };
        return write(projectPath(project, '/void'), body, key, project.revision);
      }}
    >
      <Alert type="warning" showIcon message={t('pages.project.voidWarning')} style={{ marginBottom: 16 }} />
      <ReasonField />
    </ActionDialog>
  );
}

/** Withdraws a listing recorded in error: the project leaves that round's batch from now on. */
export function WithdrawListingDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  return (
    <ActionDialog<{ roundId: string; reason: string }>
      title={t('actions.withdrawListing')}
      open={open}
      onClose={onClose}
      fields={['roundId', 'reason']}
      fieldOfCode={{ 'listing-not-recorded': 'roundId', 'project-voided': 'reason' }}
      initialValues={{ roundId: project.listings[project.listings.length - 1]?.roundId }}
      invalidate={invalidateProject(project)}
      submit={(values, key) => {
        const body: components['schemas']['ReasonBody'] = { reason: values.reason };
        return write(
          projectPath(project, `/listings/${encodeURIComponent(values.roundId)}/withdrawal`),
          body,
          key,
          project.revision,
        );
      }}
    >
      <Form.Item name="roundId" label={t('fields.listing')} rules={[{ required: true }]}>
        <Select
          options={project.listings.map((listing) => ({
            value: listing.roundId,
            label: `${listing.roundId} ${t(`batch.${listing.batch}`)}（${listing.heldOn}）`,
          }))}
        />
      </Form.Item>
      <ReasonField />
    </ActionDialog>
  );
}
