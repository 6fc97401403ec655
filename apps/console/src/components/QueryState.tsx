import { Alert, Button, Empty, Spin } from 'antd';
import { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { ApiError } from '../services/api';

/** Loading, error (with what to do) and empty states of one query, in the same words everywhere. */
export function QueryState({
  loading,
  error,
  empty,
  retry,
  children,
}: {
  loading: boolean;
  error: unknown;
  empty?: boolean;
  retry?: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  if (loading)
    return (
      <Spin tip={t('app.loading')} style={{ display: 'block', margin: 48 }}>
        <div />
      </Spin>
    );
  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        message={t('app.errorTitle')}
        description={problemMessage(error, t)}
        action={retry && <Button onClick={retry}>{t('app.retry')}</Button>}
      />
    );
  }
  if (empty) return <Empty description={t('app.empty')} />;
  return <>{children}</>;
}

export function problemMessage(error: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (!(error instanceof ApiError)) return String(error);
  const { problem } = error;
  if (problem.code === 'network') return t('errors.network');
  return problem.detail ?? problem.title ?? `HTTP ${problem.status}`;
}
