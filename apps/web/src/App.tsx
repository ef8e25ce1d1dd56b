import { Center, Loader } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { setUnauthorizedHandler } from './api/client';
import { NotFoundPage } from './pages/NotFound';
import { OverviewPage } from './pages/Overview';
import { SignInPage } from './pages/SignIn';
import { Shell } from './Shell';
import { RequireSession, sessionQueryKey } from './session';

// Pages other than sign-in and the overview load on first visit (smaller first download).
const AccountPage = lazy(() => import('./pages/Account').then((m) => ({ default: m.AccountPage })));
const AuditPage = lazy(() => import('./pages/Audit').then((m) => ({ default: m.AuditPage })));
const CertificationsPage = lazy(() =>
  import('./pages/Certifications').then((m) => ({ default: m.CertificationsPage })),
);
const InboxPage = lazy(() => import('./pages/Inbox').then((m) => ({ default: m.InboxPage })));
const PoliciesPage = lazy(() => import('./pages/Policies').then((m) => ({ default: m.PoliciesPage })));
const PolicyPage = lazy(() => import('./pages/Policy').then((m) => ({ default: m.PolicyPage })));
const RemindersPage = lazy(() => import('./pages/Reminders').then((m) => ({ default: m.RemindersPage })));
const TicketPage = lazy(() => import('./pages/Ticket').then((m) => ({ default: m.TicketPage })));
const TicketsPage = lazy(() => import('./pages/Tickets').then((m) => ({ default: m.TicketsPage })));
const TrainingPage = lazy(() => import('./pages/Training').then((m) => ({ default: m.TrainingPage })));

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
          <Route index element={<OverviewPage />} />
          <Route
            path="me"
            element={
              <Page>
                <InboxPage />
              </Page>
            }
          />
          <Route
            path="training"
            element={
              <Page>
                <TrainingPage />
              </Page>
            }
          />
          <Route
            path="policies"
            element={
              <Page>
                <PoliciesPage />
              </Page>
            }
          />
          <Route
            path="policies/:id"
            element={
              <Page>
                <PolicyPage />
              </Page>
            }
          />
          <Route
            path="escalation"
            element={
              <Page>
                <TicketsPage />
              </Page>
            }
          />
          <Route
            path="escalation/tickets/:id"
            element={
              <Page>
                <TicketPage />
              </Page>
            }
          />
          <Route
            path="reminders"
            element={
              <Page>
                <RemindersPage />
              </Page>
            }
          />
          <Route
            path="certifications"
            element={
              <Page>
                <CertificationsPage />
              </Page>
            }
          />
          <Route
            path="audit"
            element={
              <Page>
                <AuditPage />
              </Page>
            }
          />
          <Route
            path="account"
            element={
              <Page>
                <AccountPage />
              </Page>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
