import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { type AccessRole, fetchSession, type Session } from './api/auth';
import { setCsrfToken } from './api/client';
import { ProblemAlert } from './components/states';

/** The session as the console uses it: `read_only` for an auditor, who sees no write control. */
export type ConsoleSession = Session & { read_only: boolean };

/** Access roles that read and never write: their pages render no write control at all. */
export const READ_ONLY_ROLES: readonly AccessRole[] = ['AUDITOR'];

const SessionContext = createContext<ConsoleSession | null>(null);

export const sessionQueryKey = ['auth', 'session'] as const;

/** The signed-in member; only used below <RequireSession>. */
export function useSession(): ConsoleSession {
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
  const session = useMemo(
    () => (q.data ? { ...q.data, read_only: READ_ONLY_ROLES.includes(q.data.access_role) } : null),
    [q.data],
  );
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
  if (!session) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
