import {
  BarChartOutlined,
  DiffOutlined,
  FileTextOutlined,
  ProjectOutlined,
  SettingOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { ComponentType, ReactNode, lazy } from 'react';
import { Me, can } from './access';
import { MessageKey } from './locales/zh-CN';

export interface RouteEntry {
  path: string;
  /** Menu label; absent: not in the menu. */
  menu?: MessageKey;
  icon?: ReactNode;
  /** Who may open it (the menu entry disappears otherwise). */
  access(me: Me): boolean;
  page: ComponentType;
}

const everyone = () => true;

/** The console's pages, one table: menus and the router are built from it; every page is lazy. */
export const ROUTES: RouteEntry[] = [
  {
    path: '/projects',
    menu: 'menu.projects',
    icon: <ProjectOutlined />,
    access: everyone,
    page: lazy(() => import('./pages/projects/ProjectsPage')),
  },
  {
    path: '/projects/:projectId',
    access: everyone,
    page: lazy(() => import('./pages/project/ProjectPage')),
  },
  {
    path: '/imports',
    menu: 'menu.imports',
    icon: <UploadOutlined />,
    access: (me) => can(me, 'project.sign'),
    page: lazy(() => import('./pages/imports/ImportPage')),
  },
  {
    path: '/dashboard',
    menu: 'menu.dashboard',
    icon: <BarChartOutlined />,
    access: everyone,
    page: lazy(() => import('./pages/dashboard/DashboardPage')),
  },
  {
    path: '/notifications',
    menu: 'menu.notifications',
    icon: <FileTextOutlined />,
    access: everyone,
    page: lazy(() => import('./pages/notifications/NotificationsPage')),
  },
  {
    path: '/changes',
    menu: 'menu.changes',
    icon: <DiffOutlined />,
    access: everyone,
    page: lazy(() => import('./pages/changes/ChangesPage')),
  },
  {
    path: '/admin',
    menu: 'menu.admin',
    icon: <SettingOutlined />,
    access: (me) => can(me, 'accounts.manage'),
    page: lazy(() => import('./pages/admin/AdminPage')),
  },
];

/** Where each role lands after signing in. */
export function landingOf(me: Me): string {
  return me.role === 'officer' ? '/projects' : '/dashboard';
}
