import { useQuery } from '@tanstack/react-query';
import { useSession } from '../session';
import { api, unwrap } from './client';

/** Members (first 200, the API's page limit), teams and org roles, for names and pickers. */
export function useMembers() {
  const { workspace_id: ws } = useSession();
  return useQuery({
    queryKey: ['members', ws, 'all'],
    queryFn: () =>
      unwrap(api.GET('/workspaces/{ws}/members', { params: { path: { ws }, query: { limit: 200 } } })),
    staleTime: 30_000,
  });
}

export function useTeams() {
  const { workspace_id: ws } = useSession();
  return useQuery({
    queryKey: ['teams', ws],
    queryFn: () => unwrap(api.GET('/workspaces/{ws}/teams', { params: { path: { ws } } })),
    staleTime: 30_000,
  });
}

export function useOrgRoles() {
  return useQuery({ queryKey: ['roles'], queryFn: () => unwrap(api.GET('/api/roles')), staleTime: 30_000 });
}

/** id → name, for tables that show member ids. */
export function useMemberNames(): (id: string | null | undefined) => string {
  const members = useMembers();
  const byId = new Map((members.data?.data ?? []).map((m) => [m.id, m.name]));
  return (id) => (id ? (byId.get(id) ?? id.slice(0, 8)) : '—');
}

export const memberOptions = (members: Array<{ id: string; name: string; email: string }>) =>
  members.map((m) => ({ value: m.id, label: `${m.name} (${m.email})` }));
