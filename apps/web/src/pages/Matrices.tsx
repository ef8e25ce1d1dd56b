import { Anchor, Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { useMemberNames, useTeams } from '../api/lookups';
import { DataTable } from '../components/DataTable';
import { DateTime } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import { type Matrix, MatrixModal } from './MatrixForm';

const TARGET_NAMES: Record<string, string> = {
  TEAM_LEAD: 'team lead',
  MANAGER: 'manager',
  DIRECTOR: 'director',
  VP_EXEC: 'VP/exec',
  CXO: 'CXO',
};

/** Escalation matrices: which tickets each applies to and its ladder; admins create, edit, switch off and delete. */
export function MatricesPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const canEdit = hasRole(session, ROLES.configure);
  const teams = useTeams();
  const names = useMemberNames();
  const [editing, setEditing] = useState<Matrix | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Matrix | null>(null);
  const matrices = useQuery({
    queryKey: ['matrices', ws],
    queryFn: () => unwrap(api.GET('/workspaces/{ws}/escalation-matrices', { params: { path: { ws } } })),
  });
  const toggle = useApiMutation(
    (m: Matrix) =>
      unwrap(
        api.PATCH('/workspaces/{ws}/escalation-matrices/{id}', {
          params: { path: { ws, id: m.id } },
          body: { is_active: !m.is_active },
        }),
      ),
    { success: (m) => `${m.name} is ${m.is_active ? 'active' : 'inactive'}`, invalidate: [['matrices']] },
  );
  const remove = useApiMutation(
    (m: Matrix) =>
      unwrap(api.DELETE('/workspaces/{ws}/escalation-matrices/{id}', { params: { path: { ws, id: m.id } } })),
    { success: 'Matrix deleted', invalidate: [['matrices']], onSuccess: () => setDeleting(null) },
  );
  const teamName = (id: string) => teams.data?.data.find((t) => t.id === id)?.name ?? id.slice(0, 8);
  const target = (t: Matrix['rules'][number]['target']) =>
    t.type === 'MEMBERS'
      ? t.ids.map(names).join(', ')
      : t.type === 'TEAM'
        ? `team ${teamName(t.id)}`
        : (TARGET_NAMES[t.type] ?? t.type);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Escalation matrices</Title>
        <RoleButton allowed={canEdit} onClick={() => setEditing('new')}>
          New matrix
        </RoleButton>
      </Group>
      <Text size="sm" c="dimmed">
        A ticket climbs the ladder of the most specific active matrix matching its team, form and severity
        (then the lowest priority order). Tickets already open keep the ladder they were opened with.{' '}
        <Anchor component={Link} to="/escalation" underline="always">
          Escalation tickets
        </Anchor>
      </Text>
      <Card withBorder>
        <QueryState query={matrices} label="escalation matrices">
          {(r) => (
            <DataTable
              caption="Escalation matrices"
              rows={r.data}
              rowKey={(m) => m.id}
              empty="No matrix yet: tickets use the workspace default ladder."
              columns={[
                { key: 'name', header: 'Name', render: (m) => m.name, sortValue: (m) => m.name },
                {
                  key: 'active',
                  header: 'State',
                  render: (m) => (
                    <Text size="sm" fw={m.is_active ? 700 : 400}>
                      {m.is_active ? 'Active' : 'Inactive'}
                    </Text>
                  ),
                  sortValue: (m) => (m.is_active ? 0 : 1),
                },
                {
                  key: 'applies',
                  header: 'Applies to',
                  render: (m) =>
                    [
                      m.team_ids.length ? `teams ${m.team_ids.map(teamName).join(', ')}` : 'any team',
                      m.severity_levels.length ? `severity ${m.severity_levels.join(', ')}` : null,
                      m.form_ids.length ? `forms ${m.form_ids.join(', ')}` : null,
                    ]
                      .filter(Boolean)
                      .join('; '),
                },
                {
                  key: 'ladder',
                  header: 'Ladder',
                  render: (m) => (
                    <Stack gap={0}>
                      {m.rules.map((x) => (
                        <Text size="sm" key={`${x.level}-${x.after}`}>
                          {x.level} after {x.after} → {target(x.target)} ({x.channels.join(', ')})
                          {x.status ? ` while ${x.status}` : ''}
                        </Text>
                      ))}
                    </Stack>
                  ),
                },
                {
                  key: 'priority',
                  header: 'Priority',
                  render: (m) => m.priority_order,
                  sortValue: (m) => m.priority_order,
                },
                { key: 'updated', header: 'Updated', render: (m) => <DateTime value={m.updated_at} /> },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (m) => (
                    <Group gap="xs" wrap="nowrap">
                      <RoleButton
                        allowed={canEdit}
                        size="xs"
                        variant="default"
                        onClick={() => setEditing(m)}
                        aria-label={`Edit ${m.name}`}
                      >
                        Edit
                      </RoleButton>
                      <RoleButton
                        allowed={canEdit}
                        size="xs"
                        variant="default"
                        onClick={() => toggle.mutate(m)}
                        aria-label={`${m.is_active ? 'Deactivate' : 'Activate'} ${m.name}`}
                      >
                        {m.is_active ? 'Deactivate' : 'Activate'}
                      </RoleButton>
                      <RoleButton
                        allowed={canEdit}
                        size="xs"
                        color="red"
                        variant="light"
                        onClick={() => setDeleting(m)}
                        aria-label={`Delete ${m.name}`}
                      >
                        Delete
                      </RoleButton>
                    </Group>
                  ),
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
      <MatrixModal
        matrix={editing === 'new' ? null : editing}
        opened={editing !== null}
        onClose={() => setEditing(null)}
      />
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete escalation matrix">
        <Stack>
          <Text size="sm">
            Delete {deleting?.name}? Open tickets keep their copied ladder; new tickets match other matrices
            or the default ladder.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => deleting && remove.mutate(deleting)}
            >
              Delete matrix
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
