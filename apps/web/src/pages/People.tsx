import { Anchor, Card, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { useMemberNames, useOrgRoles, useTeams } from '../api/lookups';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { StatusBadge } from '../components/format';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import { type Member, MemberModal } from './MemberForm';
import { OffboardModal } from './Offboarding';

/** Members with filters and cursor paging; admins add, edit (roles, manager, teams) and offboard. */
export function PeoplePage() {
  const session = useSession();
  const ws = session.workspace_id;
  const isAdmin = hasRole(session, ROLES.configure);
  const teams = useTeams();
  const roles = useOrgRoles();
  const names = useMemberNames();
  const [q, setQ] = useState('');
  const [search] = useDebouncedValue(q.trim(), 300);
  const [status, setStatus] = useState<string | null>('ACTIVE');
  const [team, setTeam] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const [leaving, setLeaving] = useState<Member | null>(null);
  const paging = useCursorPaging(`${search}:${status}:${team}:${role}`);
  const members = useQuery({
    queryKey: ['members', ws, 'page', search, status, team, role, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/members', {
          params: {
            path: { ws },
            query: {
              limit: 25,
              cursor: paging.cursor,
              q: search || undefined,
              status: (status as Member['status'] | null) ?? undefined,
              team_id: team ?? undefined,
              role_id: role ?? undefined,
            },
          },
        }),
      ),
  });
  const teamName = (id: string) => teams.data?.data.find((t) => t.id === id)?.name ?? id.slice(0, 8);
  const roleName = (id: string) => roles.data?.data.find((r) => r.id === id)?.name ?? id.slice(0, 8);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>People</Title>
        <Group>
          <Anchor component={Link} to="/people/teams">
            Teams and org roles
          </Anchor>
          <RoleButton allowed={isAdmin} onClick={() => setEditing('new')}>
            New member
          </RoleButton>
        </Group>
      </Group>
      <Card withBorder>
        <Group mb="sm" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Name or email"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={220}
          />
          <Select
            label="Status"
            clearable
            data={['ACTIVE', 'INACTIVE']}
            value={status}
            onChange={setStatus}
            w={150}
          />
          <Select
            label="Team"
            clearable
            data={(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={team}
            onChange={setTeam}
            w={200}
          />
          <Select
            label="Org role"
            clearable
            data={(roles.data?.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
            value={role}
            onChange={setRole}
            w={200}
          />
        </Group>
        <QueryState query={members} label="members">
          {(r) => (
            <>
              <DataTable
                caption="Members"
                rows={r.data}
                rowKey={(m) => m.id}
                empty="No member matches."
                columns={[
                  { key: 'name', header: 'Name', render: (m) => m.name, sortValue: (m) => m.name },
                  { key: 'email', header: 'Email', render: (m) => m.email, sortValue: (m) => m.email },
                  {
                    key: 'role',
                    header: 'Access role',
                    render: (m) => m.access_role,
                    sortValue: (m) => m.access_role,
                  },
                  { key: 'title', header: 'Title', render: (m) => m.title ?? '—' },
                  { key: 'manager', header: 'Manager', render: (m) => names(m.manager_id) },
                  {
                    key: 'teams',
                    header: 'Teams',
                    render: (m) => m.team_ids.map(teamName).join(', ') || '—',
                  },
                  {
                    key: 'orgroles',
                    header: 'Org roles',
                    render: (m) => m.role_ids.map(roleName).join(', ') || '—',
                  },
                  { key: 'status', header: 'Status', render: (m) => <StatusBadge status={m.status} /> },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (m) => (
                      <Group gap="xs" wrap="nowrap">
                        <RoleButton
                          allowed={isAdmin}
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(m)}
                          aria-label={`Edit ${m.name}`}
                        >
                          Edit
                        </RoleButton>
                        <RoleButton
                          allowed={isAdmin && !m.offboarded_at}
                          reason={m.offboarded_at ? 'Already offboarded' : undefined}
                          size="xs"
                          color="red"
                          variant="light"
                          onClick={() => setLeaving(m)}
                          aria-label={`Offboard ${m.name}`}
                        >
                          Offboard
                        </RoleButton>
                      </Group>
                    ),
                  },
                ]}
              />
              <Pager paging={paging} nextCursor={r.next_cursor} label="Members" />
            </>
          )}
        </QueryState>
      </Card>
      <MemberModal
        member={editing === 'new' ? null : editing}
        opened={editing !== null}
        onClose={() => setEditing(null)}
      />
      <OffboardModal member={leaving} onClose={() => setLeaving(null)} />
    </Stack>
  );
}
