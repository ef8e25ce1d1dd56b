import { Center, Loader } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { setUnauthorizedHandler } from './api/client';
import { NotAllowedPage } from './pages/NotAllowed';
import { NotFoundPage } from './pages/NotFound';
import { SignInPage } from './pages/SignIn';
import { AREAS, type Area, mayOpen } from './routes';
import { Shell } from './Shell';
import { RequireSession, sessionQueryKey, useSession } from './session';

const Page = ({ children }: { children: ReactNode }) => (
  <Suspense
    fallback={
      <Center p="lg">
        <Loader size="sm" aria-label="Loading the page" />
      </Center>
    }
  >
    {children}
  </Suspense>
);

/** The page when the member's access role may open it, else its fallback or the "not allowed" page. */
function Guard({ area, children }: { area: Area; children: ReactNode }) {
  const session = useSession();
  if (mayOpen(area, session)) return <Page>{children}</Page>;
  if (area.fallback && !session.purpose) return <Navigate to={area.fallback} replace />;
  return (
    <Page>
      <NotAllowedPage />
    </Page>
  );
}

export function App() {
  const qc = useQueryClient();
  useEffect(() => {
    // A data call answering 401 means the session expired or was revoked: ask again, which signs out.
    setUnauthorizedHandler(() => void qc.invalidateQueries({ queryKey: sessionQueryKey }));
  }, [qc]);
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route
          element={
            <RequireSession>
              <Shell />
            </RequireSession>
          }
        >
          {AREAS.map((area) => (
            <Route
              key={area.path}
              index={area.path === ''}
              path={area.path === '' ? undefined : area.path}
              element={
                <Guard area={area}>
                  <area.page />
                </Guard>
              }
            />
          ))}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
