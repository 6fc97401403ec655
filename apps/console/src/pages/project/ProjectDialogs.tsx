import { Form, Select } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
// The domain's own rules, bundled into the console (pure TypeScript with type-only imports).
import { AMENDABLE, refusesOutright } from '../../../../../libs/domain/src/project/command-availability';
import type { ProjectCommand } from '../../../../../libs/domain/src/project/project.commands';
import { ActionDialog } from '../../components/ActionDialog';
import {
  DateField,
  PlannedDateFields,
  ProjectDetailsFields,
  ReasonField,
  WanField,
  day,
} from '../../components/ProjectFields';
import { useRounds } from '../../hooks';
import { useI18n } from '../../i18n';
import { write } from '../../services/api';
import { BATCHES, DatedFact, MILESTONES, Milestone, Project } from '../../services/types';
import { DialogProps, invalidateProject as invalidate, projectPath as path } from './dialog-support';
import { VoidDialog, WithdrawListingDialog } from './ErrorDialogs';
import {
  AnnualPlanDialog,
  PlannedDatesDialog,
  RecordObstacleDialog,
  ResolveObstacleDialog,
  UpdateObstacleDialog,
} from './PlanDialogs';

/** A milestone's date must not be before the one it depends on: said beside the date. */
const ORDER_ERRORS = {
  'milestone-out-of-order': 'occurredOn',
  'project-terminated': 'occurredOn',
  'milestone-already-recorded': 'milestone',
  'milestone-not-recorded': 'milestone',
  'milestone-has-dependents': 'milestone',
  'termination-out-of-order': 'occurredOn',
  'project-voided': 'occurredOn',
};

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
      <DateField name="occurredOn" label="fields.occurredOn" required />
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
      <DateField name="occurredOn" label="fields.occurredOn" required />
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
      <DateField name="month" label="fields.month" picker="month" required />
      <WanField name="completedInvestmentWan" label="fields.completedInvestmentWan" required />
    </ActionDialog>
  );
}

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
      <ProjectDetailsFields required={false} />
      <PlannedDateFields />
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
      <DateField name="occurredOn" label="fields.occurredOn" required />
      <ReasonField />
    </ActionDialog>
  );
}

export type ProjectAction = keyof typeof DIALOGS;

/** Every officer command on a project, in the order the page offers them. */
export const DIALOGS = {
  milestone: RecordMilestoneDialog,
  correct: CorrectDialog,
  retract: RetractDialog,
  list: ListDialog,
  progress: ProgressDialog,
  plannedDates: PlannedDatesDialog,
  annualPlan: AnnualPlanDialog,
  recordObstacle: RecordObstacleDialog,
  updateObstacle: UpdateObstacleDialog,
  resolveObstacle: ResolveObstacleDialog,
  amend: AmendDialog,
  withdrawListing: WithdrawListingDialog,
  terminate: TerminateDialog,
  void: VoidDialog,
} satisfies Record<string, (props: DialogProps) => React.JSX.Element>;

export const ACTION_LABELS = {
  milestone: 'actions.recordMilestone',
  correct: 'actions.correct',
  retract: 'actions.retract',
  list: 'actions.list',
  progress: 'actions.progress',
  plannedDates: 'actions.plannedDates',
  annualPlan: 'actions.annualPlan',
  recordObstacle: 'actions.recordObstacle',
  updateObstacle: 'actions.updateObstacle',
  resolveObstacle: 'actions.resolveObstacle',
  amend: 'actions.amend',
  withdrawListing: 'actions.withdrawListing',
  terminate: 'actions.terminate',
  void: 'actions.void',
} as const satisfies Record<ProjectAction, string>;

/** The domain's command behind each dialog. */
const COMMANDS = {
  milestone: 'RecordMilestone',
  correct: 'CorrectMilestoneDate',
  retract: 'RetractMilestone',
  list: 'ListProject',
  progress: 'ReportInvestmentProgress',
  plannedDates: 'SetPlannedDates',
  annualPlan: 'PlanAnnualInvestment',
  recordObstacle: 'RecordObstacle',
  updateObstacle: 'UpdateObstacle',
  resolveObstacle: 'ResolveObstacle',
  amend: 'AmendProject',
  withdrawListing: 'WithdrawListing',
  terminate: 'TerminateProject',
  void: 'VoidProject',
} as const satisfies Record<ProjectAction, ProjectCommand['type']>;

/**
 * Commands the project would take: not one the domain refuses outright (anything once voided, a
 * second termination), nor one with nothing to act on (an open obstacle, a listing).
 */
export function actionAvailable(project: Project, action: ProjectAction): boolean {
  if (refusesOutright(project, COMMANDS[action])) return false;
  const open = Object.values(project.obstacles ?? {}).some((obstacle) => !obstacle.resolution);
  if (action === 'updateObstacle' || action === 'resolveObstacle') return open;
  if (action === 'withdrawListing') return project.listings.length > 0;
  if (action === 'retract') return MILESTONES.some((milestone) => project.milestones[milestone]);
  return true;
}
