import { api, ProblemError, unwrap } from './client';
import type { Reply } from './types';

/** The signed-in member, from GET /auth/session. */
export type Session = Reply<'/auth/session', 'get'>;
export type AccessRole = Session['access_role'];
export type SessionSummary = Reply<'/auth/sessions', 'get'>['data'][number];

/** The current session, or null when signed out (401). */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await unwrap(api.GET('/auth/session'));
  } catch (err) {
    if (err instanceof ProblemError && err.status === 401) return null;
    throw err;
  }
}

export const requestSignInLink = (email: string) => unwrap(api.POST('/auth/sign-in', { body: { email } }));
export const signOut = () => unwrap(api.POST('/auth/sign-out'));
export const listSessions = async () => (await unwrap(api.GET('/auth/sessions'))).data;
export const revokeSession = (id: string) =>
  unwrap(api.DELETE('/auth/sessions/{id}', { params: { path: { id } } }));
