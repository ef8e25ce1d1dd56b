import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { setUnauthorizedHandler } from './api/client';
import { AccountPage } from './pages/Account';
import { AuditPage } from './pages/Audit';
import { CertificationsPage } from './pages/Certifications';
import { NotFoundPage } from './pages/NotFound';
import { OverviewPage } from './pages/Overview';
import { PoliciesPage } from './pages/Policies';
import { PolicyPage } from './pages/Policy';
import { SignInPage } from './pages/SignIn';
import { TicketPage } from './pages/Ticket';
import { TicketsPage } from './pages/Tickets';
import { TrainingPage } from './pages/Training';
import { Shell } from './Shell';
import { RequireSession, sessionQueryKey } from './session';

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
          <Route path="training" element={<TrainingPage />} />
          <Route path="policies" element={<PoliciesPage />} />
          <Route path="policies/:id" element={<PolicyPage />} />
          <Route path="escalation" element={<TicketsPage />} />
          <Route path="escalation/tickets/:id" element={<TicketPage />} />
          <Route path="certifications" element={<CertificationsPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="account" element={<AccountPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
