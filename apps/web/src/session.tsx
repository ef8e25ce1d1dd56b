import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { type AccessRole, fetchSession, type Session } from './api/auth';
import { setCsrfToken } from './api/client';
import { ProblemAlert } from './components/states';

const SessionContext = createContext<Session | null>(null);

export const sessionQueryKey = ['auth', 'session'] as const;

/** The signed-in member; only used below <RequireSession>. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside RequireSession');
  return s;
}

/** Whether the member's access role may use an action (the API still answers 403 if forced). */
export const hasRole = (s: Session, roles: readonly AccessRole[]) => roles.includes(s.access_role);

export const ROLES = {
  configure: ['ADMIN'],
  assign: ['ADMIN', 'MANAGER'],
  act: ['ADMIN', 'APPROVER', 'MANAGER', 'MEMBER'],
  audit: ['ADMIN', 'AUDITOR'],
} as const satisfies Record<string, readonly AccessRole[]>;

export function useSessionQuery() {
  return useQuery({ queryKey: sessionQueryKey, queryFn: fetchSession, staleTime: 60_000, retry: false });
}

/** Renders its children with the session, or sends the visitor to /sign-in. */
export function RequireSession({ children }: { children: ReactNode }) {
  const location = useLocation();
  const q = useSessionQuery();
  useEffect(() => {
    setCsrfToken(q.data?.csrf_token ?? null);
  }, [q.data]);
  if (q.isPending)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading your session" />
      </Center>
    );
  if (q.isError)
    return (
      <Center h="100vh" p="md">
        <ProblemAlert error={q.error} />
      </Center>
    );
  if (!q.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <SessionContext.Provider value={q.data}>{children}</SessionContext.Provider>;
}
