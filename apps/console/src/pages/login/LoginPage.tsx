import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useI18n } from '../../i18n';
import { landingOf } from '../../routes';
import { ApiError } from '../../services/api';
import { signIn } from '../../services/endpoints';

interface Credentials {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t, locale, setLocale } = useI18n();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string>();
  const mutation = useMutation({
    mutationFn: ({ username, password }: Credentials) => signIn(username, password),
    onSuccess: (me) => {
      queryClient.setQueryData(['session'], me);
      const next = search.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('/login') ? next : landingOf(me), {
        replace: true,
      });
    },
    onError: (error) => {
      const problem = error instanceof ApiError ? error.problem : undefined;
      // The server's words in the console's language; our own only when it could not be reached.
      setFailure(problem?.code === 'network' ? t('errors.network') : (problem?.detail ?? String(error)));
    },
  });
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={1} style={{ fontSize: 20 }}>
          {t('app.title')}
        </Typography.Title>
        <Typography.Title level={2} style={{ fontSize: 16, marginTop: 0 }}>
          {t('pages.login.title')}
        </Typography.Title>
        {failure && (
          <Alert type="error" showIcon message={failure} style={{ marginBottom: 16 }} role="alert" />
        )}
        <Form<Credentials>
          layout="vertical"
          onFinish={(values) => mutation.mutate(values)}
          requiredMark={false}
        >
          <Form.Item
            label="用户名 / Username"
            name="username"
            rules={[{ required: true, message: t('pages.login.required') }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label="密码 / Password"
            name="password"
            rules={[{ required: true, message: t('pages.login.required') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={mutation.isPending}>
            {t('pages.login.submit')}
          </Button>
        </Form>
        <Button
          type="link"
          style={{ marginTop: 8, paddingLeft: 0 }}
          onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')}
        >
          {t('app.language')}
        </Button>
      </Card>
    </main>
  );
}
