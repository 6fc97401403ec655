import { DatePicker, Form, Input, InputNumber, Select, Switch } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { ActionDialog } from '../../components/ActionDialog';
import { useRounds } from '../../hooks';
import { useI18n } from '../../i18n';
import { write } from '../../services/api';
import { BATCHES, DatedFact, MILESTONES, Milestone, Project } from '../../services/types';

export type ProjectAction = 'milestone' | 'correct' | 'retract' | 'list' | 'progress' | 'amend' | 'terminate';

interface DialogProps {
  project: Project;
  open: boolean;
  onClose(): void;
}

const day = (value?: Dayjs | null) => value?.format('YYYY-MM-DD');
const path = (project: Project, rest: string) => `/projects/${encodeURIComponent(project.projectId)}${rest}`;
const invalidate = (project: Project) => [
  ['project', project.projectId],
  ['history', project.projectId],
  ['projects'],
];

/** A milestone's date must not be before the one it depends on: said beside the date. */
const ORDER_ERRORS = {
  'milestone-out-of-order': 'occurredOn',
  'project-terminated': 'occurredOn',
  'milestone-already-recorded': 'milestone',
  'milestone-not-recorded': 'milestone',
  'milestone-has-dependents': 'milestone',
  'termination-out-of-order': 'occurredOn',
};

function ReasonField() {
  const { t } = useI18n();
  return (
    <Form.Item
      name="reason"
      label={t('fields.reason')}
      rules={[{ required: true, message: t('errors.reason-required') }]}
    >
      <Input.TextArea rows={2} />
    </Form.Item>
  );
}

function RecordMilestoneDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  const open_ = MILESTONES.filter((milestone) => !project.milestones[milestone]);
  return (
    <ActionDialog<{ milestone: Milestone; occurredOn: Dayjs }>
      title={t('actions.recordMilestone')}
      open={open}
      onClose={onClose}
      fields={['milestone', 'occurredOn']}
      fieldOfCode={ORDER_ERRORS}
      initialValues={{ milestone: open_[0] }}
      invalidate={invalidate(project)}
      submit={(values, key) =>
        write(
          path(project, '/milestones'),
          { milestone: values.milestone, occurredOn: day(values.occurredOn) },
          key,
          project.revision,
        )
      }
    >
      <Form.Item name="milestone" label={t('fields.milestone')} rules={[{ required: true }]}>
        <Select options={open_.map((value) => ({ value, label: t(`milestone.${value}`) }))} />
      </Form.Item>
      <Form.Item name="occurredOn" label={t('fields.occurredOn')} rules={[{ required: true }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </ActionDialog>
  );
}

function recordedFacts(project: Project): DatedFact[] {
  return ['signed', ...MILESTONES.filter((milestone) => project.milestones[milestone])];
}

function dateOf(project: Project, fact: DatedFact): string | undefined {
  return fact === 'signed' ? project.signedOn : project.milestones[fact];
}

function CorrectDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  const facts = recordedFacts(project);
  return (
    <ActionDialog<{ milestone: DatedFact; occurredOn: Dayjs; reason: string }>
      title={t('actions.correct')}
      open={open}
      onClose={onClose}
      fields={['milestone', 'occurredOn', 'reason']}
      fieldOfCode={ORDER_ERRORS}
      initialValues={{ milestone: facts[facts.length - 1] }}
      invalidate={invalidate(project)}
      submit={(values, key) =>
        write(
          path(project, `/milestones/${values.milestone}/correction`),
          { occurredOn: day(values.occurredOn), reason: values.reason },
          key,
          project.revision,
        )
      }
    >
      <Form.Item name="milestone" label={t('fields.milestone')} rules={[{ required: true }]}>
        <Select
          options={facts.map((value) => ({
            value,
            label: `${t(`milestone.${value}`)}（${dateOf(project, value)}）`,
          }))}
        />
      </Form.Item>
      <Form.Item name="occurredOn" label={t('fields.occurredOn')} rules={[{ required: true }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <ReasonField />
    </ActionDialog>
  );
}

function RetractDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  const recorded = MILESTONES.filter((milestone) => project.milestones[milestone]);
  return (
    <ActionDialog<{ milestone: Milestone; reason: string }>
      title={t('actions.retract')}
      open={open}
      onClose={onClose}
      fields={['milestone', 'reason']}
      fieldOfCode={ORDER_ERRORS}
      initialValues={{ milestone: recorded[recorded.length - 1] }}
      invalidate={invalidate(project)}
      submit={(values, key) =>
        write(
          path(project, `/milestones/${values.milestone}/retraction`),
          { reason: values.reason },
          key,
          project.revision,
        )
      }
    >
      <Form.Item name="milestone" label={t('fields.milestone')} rules={[{ required: true }]}>
        <Select
          options={recorded.map((value) => ({
            value,
            label: `${t(`milestone.${value}`)}（${project.milestones[value]}）`,
          }))}
        />
      </Form.Item>
      <ReasonField />
    </ActionDialog>
  );
}

function ListDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  const rounds = useRounds();
  return (
    <ActionDialog<{ roundId: string; batch: string }>
      title={t('actions.list')}
      open={open}
      onClose={onClose}
      fields={['roundId', 'batch']}
      fieldOfCode={{
        'listing-before-signing': 'roundId',
        'listing-needs-milestone': 'batch',
        'listed-in-round': 'batch',
        'project-terminated': 'roundId',
      }}
      initialValues={{ batch: 'signing' }}
      invalidate={invalidate(project)}
      submit={(values, key) => write(path(project, '/listings'), values, key, project.revision)}
    >
      <Form.Item name="roundId" label={t('fields.roundId')} rules={[{ required: true }]}>
        <Select
          options={(rounds.data ?? []).map((round) => ({
            value: round.id,
            label: `${round.name ?? round.id}（${round.heldOn}）`,
          }))}
        />
      </Form.Item>
      <Form.Item name="batch" label={t('fields.batch')} rules={[{ required: true }]}>
        <Select options={BATCHES.map((value) => ({ value, label: t(`batch.${value}`) }))} />
      </Form.Item>
    </ActionDialog>
  );
}

function ProgressDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  return (
    <ActionDialog<{ month: Dayjs; completedInvestmentWan: number }>
      title={t('actions.progress')}
      open={open}
      onClose={onClose}
      fields={['month', 'completedInvestmentWan']}
      fieldOfCode={{
        'progress-before-signing': 'month',
        'progress-not-cumulative': 'completedInvestmentWan',
        'project-terminated': 'month',
      }}
      initialValues={{ month: dayjs().subtract(1, 'month') }}
      invalidate={invalidate(project)}
      submit={(values, key) =>
        write(
          path(project, '/investment-progress'),
          { month: values.month.format('YYYY-MM'), completedInvestmentWan: values.completedInvestmentWan },
          key,
          project.revision,
        )
      }
    >
      <Form.Item name="month" label={t('fields.month')} rules={[{ required: true }]}>
        <DatePicker picker="month" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item
        name="completedInvestmentWan"
        label={t('fields.completedInvestmentWan')}
        rules={[{ required: true }]}
      >
        <InputNumber min={0} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </ActionDialog>
  );
}

const AMENDABLE = [
  'name',
  'enterprise',
  'totalInvestmentWan',
  'industrial',
  'strategicEmerging',
  'industryChain',
  'plannedStartOn',
  'plannedProductionOn',
] as const;

function AmendDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  const toDay = (value?: string) => (value ? dayjs(value) : undefined);
  return (
    <ActionDialog<Record<string, unknown>>
      title={t('actions.amend')}
      open={open}
      onClose={onClose}
      fields={[...AMENDABLE, 'reason']}
      initialValues={{
        ...project,
        plannedStartOn: toDay(project.plannedStartOn),
        plannedProductionOn: toDay(project.plannedProductionOn),
      }}
      invalidate={invalidate(project)}
      submit={(values, key) => {
        const changes: Record<string, unknown> = {};
        for (const field of AMENDABLE) {
          const raw = values[field];
          const value = dayjs.isDayjs(raw) ? day(raw) : raw;
          if (
            value !== undefined &&
            value !== null &&
            value !== (project as unknown as Record<string, unknown>)[field]
          )
            changes[field] = value;
        }
        return write(
          path(project, '/amendments'),
          { ...changes, reason: values.reason },
          key,
          project.revision,
        );
      }}
    >
      <Form.Item name="name" label={t('fields.name')}>
        <Input />
      </Form.Item>
      <Form.Item name="enterprise" label={t('fields.enterprise')}>
        <Input />
      </Form.Item>
      <Form.Item name="totalInvestmentWan" label={t('fields.totalInvestmentWan')}>
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
      <Form.Item name="plannedStartOn" label={t('fields.plannedStartOn')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="plannedProductionOn" label={t('fields.plannedProductionOn')}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <ReasonField />
    </ActionDialog>
  );
}

function TerminateDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  return (
    <ActionDialog<{ occurredOn: Dayjs; reason: string }>
      title={t('actions.terminate')}
      open={open}
      onClose={onClose}
      fields={['occurredOn', 'reason']}
      fieldOfCode={ORDER_ERRORS}
      invalidate={invalidate(project)}
      submit={(values, key) =>
        write(
          path(project, '/termination'),
          { occurredOn: day(values.occurredOn), reason: values.reason },
          key,
          project.revision,
        )
      }
    >
      <Form.Item name="occurredOn" label={t('fields.occurredOn')} rules={[{ required: true }]}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
      <ReasonField />
    </ActionDialog>
  );
}

export const DIALOGS: Record<ProjectAction, (props: DialogProps) => React.JSX.Element> = {
  milestone: RecordMilestoneDialog,
  correct: CorrectDialog,
  retract: RetractDialog,
  list: ListDialog,
  progress: ProgressDialog,
  amend: AmendDialog,
  terminate: TerminateDialog,
};

export const ACTION_LABELS = {
  milestone: 'actions.recordMilestone',
  correct: 'actions.correct',
  retract: 'actions.retract',
  list: 'actions.list',
  progress: 'actions.progress',
  amend: 'actions.amend',
  terminate: 'actions.terminate',
} as const;
