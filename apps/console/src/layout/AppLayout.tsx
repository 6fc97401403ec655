import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { Link, Outlet, useLocation } from 'react-router';
import { Me } from '../access';
import { useTimeMachine } from '../hooks';
import { useI18n } from '../i18n';
import { ROUTES } from '../routes';
import { signOut } from '../services/endpoints';
import { TimeMachineBar } from './TimeMachineBar';

/** The frame of every signed-in page: menu, time machine, language, the caller and sign-out. */
export function AppLayout({ me }: { me: Me }) {
  const { t, locale, setLocale } = useI18n();
  const { link } = useTimeMachine();
  const location = useLocation();
  const queryClient = useQueryClient();
  const out = useMutation({
    mutationFn: signOut,
    onSettled: () => {
      queryClient.clear();
      window.location.assign('/login');
    },
  });
  const menu = ROUTES.filter((route) => route.menu && route.access(me));
  const selected = menu.find((route) => location.pathname.startsWith(route.path))?.path;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={200}>
        <div style={{ padding: '16px', fontWeight: 600 }}>{t('app.title')}</div>
        <nav aria-label={t('app.title')}>
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={menu.map((route) => ({
              key: route.path,
              icon: route.icon,
              label: <Link to={link(route.path)}>{t(route.menu!)}</Link>,
            }))}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            height: 'auto',
            lineHeight: '56px',
            display: 'flex',
            flexWrap: 'wrap',
            justifyContent: 'space-between',
            gap: 8,
          }}
        >
          <TimeMachineBar />
          <Space>
            <Typography.Text data-testid="caller">
              {me.displayName} <Tag>{t(`app.role.${me.role}`)}</Tag>
            </Typography.Text>
            <Button
              onClick={() => setLocale(locale === 'zh-CN' ? 'en-US' : 'zh-CN')}
              lang={locale === 'zh-CN' ? 'en' : 'zh-CN'}
            >
              {t('app.language')}
            </Button>
            <Button onClick={() => out.mutate()} loading={out.isPending}>
              {t('app.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
