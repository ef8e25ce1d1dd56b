import { csrfToken, ProblemError } from './client';

/** The signed-in member, from GET /auth/session. */
export interface Session {
  session_id: string;
  member_id: string;
  workspace_id: string;
  workspace_name: string;
  email: string;
  name: string;
  access_role: AccessRole;
  csrf_token: string;
  expires_at: string;
}

export type AccessRole = 'ADMIN' | 'APPROVER' | 'MANAGER' | 'MEMBER' | 'AUDITOR';

export interface SessionSummary {
  id: string;
  created_at?: string;
  last_seen_at?: string | null;
  expires_at?: string;
  user_agent?: string | null;
  ip_address?: string | null;
  current?: boolean;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ProblemError(0, { detail: err instanceof Error ? err.message : String(err) });
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  if (!res.ok) throw new ProblemError(res.status, parsed);
  return parsed as T;
}

/** The current session, or null when signed out (401). */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await call<Session>('GET', '/auth/session');
  } catch (err) {
    if (err instanceof ProblemError && err.status === 401) return null;
    throw err;
  }
}

export const requestSignInLink = (email: string) => call<unknown>('POST', '/auth/sign-in', { email });
export const signOut = () => call<unknown>('POST', '/auth/sign-out');
export const listSessions = async (): Promise<SessionSummary[]> => {
  const body = await call<{ data: SessionSummary[] } | SessionSummary[]>('GET', '/auth/sessions');
  return Array.isArray(body) ? body : body.data;
};
export const revokeSession = (id: string) =>
  call<unknown>('DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
