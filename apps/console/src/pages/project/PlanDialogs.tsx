import { Form, InputNumber, Select } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { ActionDialog } from '../../components/ActionDialog';
import {
  DateField,
  PlannedDateFields,
  ReasonField,
  TextField,
  WanField,
  day,
} from '../../components/ProjectFields';
import { useI18n } from '../../i18n';
import { write } from '../../services/api';
import type { components } from '../../services/openapi';
import { OBSTACLE_CATEGORIES, Obstacle, Project } from '../../services/types';
import { DialogProps, invalidateProject, projectPath } from './dialog-support';

type Schemas = components['schemas'];

const toDay = (value?: string) => (value ? dayjs(value) : undefined);
const openObstacles = (project: Project): Obstacle[] =>
  Object.values(project.obstacles ?? {}).filter((obstacle) => !obstacle.resolution);

/** 计划开工 / 计划投产: the first setting needs no reason, a change does (the server says which). */
export function PlannedDatesDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  return (
    <ActionDialog<{ plannedStartOn?: Dayjs; plannedProductionOn?: Dayjs; reason?: string }>
      title={t('actions.plannedDates')}
      open={open}
      onClose={onClose}
      fields={['plannedStartOn', 'plannedProductionOn', 'reason']}
      fieldOfCode={{ 'project-terminated': 'plannedStartOn', 'project-voided': 'reason' }}
      initialValues={{
        plannedStartOn: toDay(project.plannedStartOn),
        plannedProductionOn: toDay(project.plannedProductionOn),
      }}
      invalidate={invalidateProject(project)}
      submit={(values, key) => {
        const body: Schemas['SetPlannedDatesDto'] = {
          plannedStartOn: day(values.plannedStartOn),
          plannedProductionOn: day(values.plannedProductionOn),
          reason: values.reason || undefined,
        };
        return write(projectPath(project, '/planned-dates'), body, key, project.revision);
      }}
    >
      <PlannedDateFields />
      <ReasonField required={false} label="fields.reasonForChange" />
    </ActionDialog>
  );
}

/** 年度计划投资 for one year. */
export function AnnualPlanDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  return (
    <ActionDialog<{ year: number; plannedInvestmentWan: number; reason?: string }>
      title={t('actions.annualPlan')}
      open={open}
      onClose={onClose}
      fields={['year', 'plannedInvestmentWan', 'reason']}
      fieldOfCode={{ 'project-terminated': 'year', 'project-voided': 'reason' }}
      initialValues={{ year: dayjs().year() }}
      invalidate={invalidateProject(project)}
      submit={(values, key) => {
        const body: Schemas['PlanAnnualInvestmentDto'] = {
          year: values.year,
          plannedInvestmentWan: values.plannedInvestmentWan,
          reason: values.reason || undefined,
        };
        return write(projectPath(project, '/annual-investment-plans'), body, key, project.revision);
      }}
    >
      <Form.Item name="year" label={t('fields.year')} rules={[{ required: true }]}>
        <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <WanField name="plannedInvestmentWan" label="fields.plannedInvestmentWan" required />
      <ReasonField required={false} label="fields.reasonForChange" />
    </ActionDialog>
  );
}

function CategoryField({ required }: { required: boolean }) {
  const { t } = useI18n();
  return (
    <Form.Item name="category" label={t('fields.obstacleCategory')} rules={[{ required }]}>
      <Select options={OBSTACLE_CATEGORIES.map((value) => ({ value, label: t(`obstacle.${value}`) }))} />
    </Form.Item>
  );
}

function ObstacleSelect({ project }: { project: Project }) {
  const { t } = useI18n();
  return (
    <Form.Item name="obstacleId" label={t('fields.obstacle')} rules={[{ required: true }]}>
      <Select
        options={openObstacles(project).map((obstacle) => ({
          value: obstacle.obstacleId,
          label: `${t(`obstacle.${obstacle.category}`)}：${obstacle.description}（${obstacle.raisedOn}）`,
        }))}
      />
    </Form.Item>
  );
}

/** 问题协调: an obstacle, its responsible unit and the measures taken. */
export function RecordObstacleDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  return (
    <ActionDialog<Omit<Schemas['RecordObstacleDto'], 'raisedOn'> & { raisedOn: Dayjs }>
      title={t('actions.recordObstacle')}
      open={open}
      onClose={onClose}
      fields={['obstacleId', 'category', 'description', 'responsibleUnit', 'measures', 'raisedOn']}
      fieldOfCode={{
        'obstacle-exists': 'obstacleId',
        'project-terminated': 'raisedOn',
        'project-voided': 'raisedOn',
      }}
      // the API takes the id from the caller, so a retried click records one obstacle
      initialValues={{ obstacleId: `obstacle-${crypto.randomUUID().slice(0, 8)}` }}
      invalidate={invalidateProject(project)}
      submit={(values, key) => {
        const body: Schemas['RecordObstacleDto'] = {
          ...values,
          measures: values.measures || undefined,
          raisedOn: day(values.raisedOn)!,
        };
        return write(projectPath(project, '/obstacles'), body, key, project.revision);
      }}
    >
      <TextField name="obstacleId" label="fields.obstacleId" required />
      <CategoryField required />
      <TextField name="description" label="fields.obstacleDescription" required multiline />
      <TextField name="responsibleUnit" label="fields.responsibleUnit" required />
      <TextField name="measures" label="fields.measures" multiline />
      <DateField name="raisedOn" label="fields.raisedOn" required />
    </ActionDialog>
  );
}

/** Changes an open obstacle's details; only the fields changed are sent, with a reason. */
export function UpdateObstacleDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  const first = openObstacles(project)[0];
  return (
    <ActionDialog<Schemas['UpdateObstacleDto'] & { obstacleId: string }>
      title={t('actions.updateObstacle')}
      open={open}
      onClose={onClose}
      fields={['obstacleId', 'category', 'description', 'responsibleUnit', 'measures', 'reason']}
      fieldOfCode={{
        'obstacle-resolved': 'obstacleId',
        'obstacle-not-found': 'obstacleId',
        'project-voided': 'reason',
      }}
      initialValues={first && { ...first, obstacleId: first.obstacleId }}
      invalidate={invalidateProject(project)}
      submit={({ obstacleId, reason, ...details }, key) => {
        const before = (project.obstacles ?? {})[obstacleId] as Obstacle | undefined;
        const body: Schemas['UpdateObstacleDto'] = { reason };
        for (const field of ['category', 'description', 'responsibleUnit', 'measures'] as const) {
          const value = details[field];
          if (value !== undefined && value !== '' && value !== before?.[field])
            Object.assign(body, { [field]: value });
        }
        return write(
          projectPath(project, `/obstacles/${encodeURIComponent(obstacleId)}/updates`),
          body,
          key,
          project.revision,
        );
      }}
    >
      {(form) => (
        <>
          <Form.Item name="obstacleId" label={t('fields.obstacle')} rules={[{ required: true }]}>
            <Select
              options={openObstacles(project).map((obstacle) => ({
                value: obstacle.obstacleId,
                label: `${t(`obstacle.${obstacle.category}`)}：${obstacle.description}（${obstacle.raisedOn}）`,
              }))}
              onChange={(id: string) => form.setFieldsValue({ ...(project.obstacles ?? {})[id] })}
            />
          </Form.Item>
          <CategoryField required={false} />
          <TextField name="description" label="fields.obstacleDescription" multiline />
          <TextField name="responsibleUnit" label="fields.responsibleUnit" />
          <TextField name="measures" label="fields.measures" multiline />
          <ReasonField />
        </>
      )}
    </ActionDialog>
  );
}

/** Closes an obstacle (once): when and how it was resolved. */
export function ResolveObstacleDialog({ project, open, onClose }: DialogProps) {
  const { t } = useI18n();
  return (
    <ActionDialog<{ obstacleId: string; resolvedOn: Dayjs; resolution: string }>
      title={t('actions.resolveObstacle')}
      open={open}
      onClose={onClose}
      fields={['obstacleId', 'resolvedOn', 'resolution']}
      fieldOfCode={{
        'obstacle-resolved': 'obstacleId',
        'obstacle-not-found': 'obstacleId',
        'project-voided': 'resolution',
      }}
      initialValues={{ obstacleId: openObstacles(project)[0]?.obstacleId }}
      invalidate={invalidateProject(project)}
      submit={(values, key) => {
        const body: Schemas['ResolveObstacleDto'] = {
          resolvedOn: day(values.resolvedOn)!,
          resolution: values.resolution,
        };
        return write(
          projectPath(project, `/obstacles/${encodeURIComponent(values.obstacleId)}/resolution`),
          body,
          key,
          project.revision,
        );
      }}
    >
      <ObstacleSelect project={project} />
      <DateField name="resolvedOn" label="fields.resolvedOn" required />
      <TextField name="resolution" label="fields.resolution" required multiline />
    </ActionDialog>
  );
}
