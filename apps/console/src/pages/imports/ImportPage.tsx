import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Steps, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { problemMessage } from '../../components/QueryState';
import { useI18n } from '../../i18n';
import { ApiError } from '../../services/api';
import { IMPORT_TEMPLATE_URL, ImportSummary, uploadImport } from '../../services/officer-endpoints';
import { RowError, rowErrorsOf } from '../../server-errors';
import { eventName } from '../project/history-text';

/** The import page's state: a file, then its check, then (once every row passed) the import. */
type Outcome =
  | { kind: 'checked'; summary: ImportSummary }
  | { kind: 'rejected'; detail: string; rows: RowError[] }
  | { kind: 'failed'; message: string }
  | { kind: 'imported'; summary: ImportSummary };

/** 台账导入: upload, dry run with every row error in a table, then confirm. */
export default function ImportPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File>();
  const [outcome, setOutcome] = useState<Outcome>();
  const send = useMutation({
    mutationFn: ({ dryRun }: { dryRun: boolean }) => uploadImport(file!, dryRun),
    onSuccess: async (summary) => {
      if (summary.dryRun) {
        setOutcome({ kind: 'checked', summary });
        return;
      }
      await queryClient.invalidateQueries({ queryKey: ['projects'] });
      setOutcome({ kind: 'imported', summary });
    },
    onError: (error) => {
      const rows = error instanceof ApiError ? rowErrorsOf(error.problem) : [];
      if (error instanceof ApiError && rows.length > 0)
        setOutcome({ kind: 'rejected', detail: error.problem.detail ?? '', rows });
      else setOutcome({ kind: 'failed', message: problemMessage(error, t) });
    },
  });
  const choose = (chosen?: File) => {
    setFile(chosen);
    setOutcome(undefined);
  };
  const step = outcome?.kind === 'imported' ? 3 : outcome?.kind === 'checked' ? 2 : file ? 1 : 0;

  return (
    <Card>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            {t('pages.imports.title')}
          </Typography.Title>
          <Button icon={<DownloadOutlined />} href={IMPORT_TEMPLATE_URL} download>
            {t('pages.imports.template')}
          </Button>
        </Space>
        <Typography.Paragraph style={{ margin: 0 }}>{t('pages.imports.intro')}</Typography.Paragraph>
        <Steps
          current={step}
          size="small"
          items={[
            { title: t('pages.imports.step.choose') },
            { title: t('pages.imports.step.check') },
            { title: t('pages.imports.step.confirm') },
          ]}
        />
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          fileList={file ? [{ uid: 'chosen', name: file.name, status: 'done' }] : []}
          beforeUpload={(chosen) => {
            choose(chosen);
            // kept in the page: the check and the import send it themselves
            return false;
          }}
          onRemove={() => choose(undefined)}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('pages.imports.drop')}</p>
        </Upload.Dragger>
        <Space>
          <Button
            type={outcome?.kind === 'checked' ? 'default' : 'primary'}
            disabled={!file || outcome?.kind === 'imported'}
            loading={send.isPending && send.variables?.dryRun}
            onClick={() => send.mutate({ dryRun: true })}
          >
            {t('pages.imports.check')}
          </Button>
          <Button
            type="primary"
            disabled={outcome?.kind !== 'checked'}
            loading={send.isPending && send.variables?.dryRun === false}
            onClick={() => send.mutate({ dryRun: false })}
          >
            {t('pages.imports.confirm')}
          </Button>
        </Space>
        {outcome?.kind === 'failed' && <Alert type="error" showIcon role="alert" message={outcome.message} />}
        {outcome?.kind === 'rejected' && (
          <>
            <Alert
              type="error"
              showIcon
              role="alert"
              message={t('pages.imports.rejected')}
              description={outcome.detail}
            />
            <Table<RowError>
              data-testid="row-errors"
              title={() => t('pages.imports.rowErrors', { count: outcome.rows.length })}
              rowKey={(error) => `${error.row}-${error.column}-${error.message}`}
              dataSource={outcome.rows}
              pagination={outcome.rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              size="small"
              columns={[
                { title: t('pages.imports.row'), dataIndex: 'row', width: 80 },
                { title: t('pages.imports.column'), dataIndex: 'column', width: 160 },
                { title: t('pages.imports.message'), dataIndex: 'message' },
              ]}
            />
          </>
        )}
        {(outcome?.kind === 'checked' || outcome?.kind === 'imported') && (
          <>
            <Alert
              type="success"
              showIcon
              role="status"
              message={
                outcome.kind === 'imported'
                  ? t('pages.imports.imported', {
                      file: outcome.summary.file,
                      rows: outcome.summary.rows,
                      projects: outcome.summary.projects,
                      events: outcome.summary.events,
                    })
                  : outcome.summary.events === 0
                    ? t('pages.imports.nothingNew', { rows: outcome.summary.rows })
                    : t('pages.imports.checked', {
                        rows: outcome.summary.rows,
                        projects: outcome.summary.projects,
                        events: outcome.summary.events,
                      })
              }
              action={
                outcome.kind === 'imported' && (
                  <Space>
                    <Link to="/projects?zoneId=all">{t('pages.imports.toProjects')}</Link>
                    <Button size="small" onClick={() => choose(undefined)}>
                      {t('pages.imports.again')}
                    </Button>
                  </Space>
                )
              }
            />
            <Table
              data-testid="import-results"
              title={() => t('pages.imports.results')}
              rowKey={(result) => `${result.row}`}
              dataSource={outcome.summary.results}
              pagination={
                outcome.summary.results.length > 50 ? { pageSize: 50, showSizeChanger: false } : false
              }
              size="small"
              columns={[
                { title: t('pages.imports.row'), dataIndex: 'row', width: 80 },
                { title: t('fields.projectId'), dataIndex: 'projectId', width: 220 },
                {
                  title: t('pages.imports.events'),
                  dataIndex: 'events',
                  render: (events: string[]) => events.map((type) => eventName(type, t)).join('、') || '—',
                },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
