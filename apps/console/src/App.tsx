import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { App as AntApp, Spin } from 'antd';
import { StrictMode, Suspense, lazy, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ChunkFailed } from './components/ChunkFailed';
import { LocaleProvider } from './i18n';
import { AppLayout } from './layout/AppLayout';
import { queryClient, sessionQuery } from './query-client';
import { ROUTES, landingOf } from './routes';
import { UNAUTHORIZED_EVENT } from './services/api';

const LoginPage = lazy(() => import('./pages/login/LoginPage'));

/** Signed in: the layout and the pages the caller may open; otherwise the sign-in page. */
function SignedIn() {
  const session = useQuery(sessionQuery);
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    const onUnauthorized = () => {
      queryClient.clear();
      navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    };
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [navigate, location]);
  if (session.isPending) return <Spin style={{ display: 'block', margin: 96 }} />;
  if (!session.data) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  const me = session.data;
  return (
    <Routes>
      <Route element={<AppLayout me={me} />}>
        {ROUTES.filter((route) => route.access(me)).map((route) => (
          <Route
            key={route.path}
            path={route.path}
            element={
              <route.page
                fallback={<Spin style={{ display: 'block', margin: 48 }} />}
                failed={<ChunkFailed />}
              />
            }
          />
        ))}
        <Route path="*" element={<Navigate to={landingOf(me)} replace />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <AntApp>
          <BrowserRouter>
            <Suspense fallback={<Spin style={{ display: 'block', margin: 96 }} />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route path="*" element={<SignedIn />} />
              </Routes>
            </Suspense>
          </BrowserRouter>
        </AntApp>
      </LocaleProvider>
    </QueryClientProvider>
  );
}

export function mountApp(root: HTMLElement): void {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
