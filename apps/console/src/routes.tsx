import {
  BarChartOutlined,
  DiffOutlined,
  FileTextOutlined,
  ProjectOutlined,
  SettingOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { QueryClient } from '@tanstack/react-query';
import { ComponentType, ReactNode } from 'react';
import { matchPath } from 'react-router';
import { Me, can } from './access';
import { ChunkComponent, chunkComponent } from './components/chunk-component';
import { MessageKey } from './locales/zh-CN';
import { ratesQuery } from './pages/dashboard/rates-query';
import { sessionQuery } from './query-client';

export interface RouteEntry {
  path: string;
  /** Menu label; absent: not in the menu. */
  menu?: MessageKey;
  icon?: ReactNode;
  /** Who may open it (the menu entry disappears otherwise). */
  access(me: Me): boolean;
  /** The page's module (its own chunk). */
  load(): Promise<{ default: ComponentType }>;
  /** Starts the page's first read, before the page's code has arrived. */
  prefetch?(client: QueryClient, search: URLSearchParams): void;
}

const everyone = () => true;

/** The console's pages, one table: menus and the router are built from it; every page is lazy. */
const ENTRIES: RouteEntry[] = [
  {
    path: '/projects',
    menu: 'menu.projects',
    icon: <ProjectOutlined />,
    access: everyone,
    load: () => import('./pages/projects/ProjectsPage'),
  },
  {
    path: '/projects/:projectId',
    access: everyone,
    load: () => import('./pages/project/ProjectPage'),
  },
  {
    path: '/imports',
    menu: 'menu.imports',
    icon: <UploadOutlined />,
    access: (me) => can(me, 'project.sign'),
    load: () => import('./pages/imports/ImportPage'),
  },
  {
    path: '/dashboard',
    menu: 'menu.dashboard',
    icon: <BarChartOutlined />,
    access: everyone,
    load: () => import('./pages/dashboard/DashboardPage'),
    prefetch: (client, search) => void client.prefetchQuery(ratesQuery(search)),
  },
  {
    path: '/notifications',
    menu: 'menu.notifications',
    icon: <FileTextOutlined />,
    access: everyone,
    load: () => import('./pages/notifications/NotificationsPage'),
  },
  {
    path: '/changes',
    menu: 'menu.changes',
    icon: <DiffOutlined />,
    access: everyone,
    load: () => import('./pages/changes/ChangesPage'),
  },
  {
    path: '/admin',
    menu: 'menu.admin',
    icon: <SettingOutlined />,
    access: (me) => can(me, 'accounts.manage'),
    load: () => import('./pages/admin/AdminPage'),
  },
];

export const ROUTES: (RouteEntry & { page: ChunkComponent<object> })[] = ENTRIES.map((entry) => ({
  ...entry,
  page: chunkComponent(entry.load),
}));

/**
 * The page a link opens starts loading, with its first read and the session check (main.tsx,
 * before the App chunk): the session, the page's code and its data arrive side by side. A
 * read refused for want of a session is asked again by the page after signing in (an errored
 * query refetches on mount).
 */
export function preloadPage(client: QueryClient, location: { pathname: string; search: string }): void {
  if (location.pathname.startsWith('/login')) return;
  void client.prefetchQuery(sessionQuery);
  const route = ROUTES.find((entry) => matchPath(entry.path, location.pathname));
  if (!route) return;
  // A chunk that fails to load is reported where the page would be drawn.
  route.page.preload().catch(() => undefined);
  route.prefetch?.(client, new URLSearchParams(location.search));
}

/** Where each role lands after signing in. */
export function landingOf(me: Me): string {
  return me.role === 'officer' ? '/projects' : '/dashboard';
}
