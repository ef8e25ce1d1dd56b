import { Anchor, Button, Card, Group, Modal, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { useMemberNames, useOrgRoles, useTeams } from '../api/lookups';
import { DataTable } from '../components/DataTable';
import { DateTime } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { ProblemAlert, QueryState } from '../components/states';
import { fieldErrors, textProblem } from '../components/validation';
import { hasRole, ROLES, useSession } from '../session';
import { type Team, TeamModal } from './TeamForm';

/** Teams (lead, members, on-call) and organisational roles; admins create, edit and delete. */
export function TeamsPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const isAdmin = hasRole(session, ROLES.configure);
  const teams = useTeams();
  const names = useMemberNames();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const remove = useApiMutation(
    (t: Team) => unwrap(api.DELETE('/workspaces/{ws}/teams/{id}', { params: { path: { ws, id: t.id } } })),
    { success: 'Team deleted', invalidate: [['teams'], ['members']], onSuccess: () => setDeleting(null) },
  );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Teams and org roles</Title>
        <Group>
          <Anchor component={Link} to="/people">
            People
          </Anchor>
          <RoleButton allowed={isAdmin} onClick={() => setEditing('new')}>
            New team
          </RoleButton>
        </Group>
      </Group>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Teams
        </Title>
        <QueryState query={teams} label="teams">
          {(r) => (
            <DataTable
              caption="Teams"
              rows={r.data}
              rowKey={(t) => t.id}
              empty="No team yet."
              columns={[
                { key: 'name', header: 'Team', render: (t) => t.name, sortValue: (t) => t.name },
                { key: 'lead', header: 'Lead', render: (t) => names(t.lead_id) },
                {
                  key: 'members',
                  header: 'Members',
                  render: (t) => t.member_ids.map(names).join(', ') || '—',
                  sortValue: (t) => t.member_ids.length,
                },
                {
                  key: 'oncall',
                  header: 'On call',
                  render: (t) =>
                    t.on_call
                      ? `${t.on_call.member_ids.length} in rotation, ${t.on_call.period_days} days each`
                      : '—',
                },
                { key: 'description', header: 'Description', render: (t) => t.description ?? '' },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (t) => (
                    <Group gap="xs" wrap="nowrap">
                      <RoleButton
                        allowed={isAdmin}
                        size="xs"
                        variant="default"
                        onClick={() => setEditing(t)}
                        aria-label={`Edit team ${t.name}`}
                      >
                        Edit
                      </RoleButton>
                      <RoleButton
                        allowed={isAdmin}
                        size="xs"
                        color="red"
                        variant="light"
                        onClick={() => setDeleting(t)}
                        aria-label={`Delete team ${t.name}`}
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
      <OrgRoles canCreate={isAdmin} />
      <TeamModal
        team={editing === 'new' ? null : editing}
        opened={editing !== null}
        onClose={() => setEditing(null)}
      />
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete team">
        <Stack>
          <Text size="sm">
            Delete {deleting?.name}? Its members stay; trainings scoped to it no longer reach them.
          </Text>
          {remove.error ? <ProblemAlert error={remove.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => deleting && remove.mutate(deleting)}
            >
              Delete team
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function OrgRoles({ canCreate }: { canCreate: boolean }) {
  const roles = useOrgRoles();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useApiMutation(
    () =>
      unwrap(
        api.POST('/api/roles', { body: { name: name.trim(), description: description.trim() || null } }),
      ),
    {
      success: (r) => `Created org role ${r.name}`,
      invalidate: [['roles']],
      onSuccess: () => {
        setName('');
        setDescription('');
      },
    },
  );
  const shown = { ...fieldErrors(create.error), ...errors };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const n = textProblem(name, 100);
    if (n) found.name = n;
    if (description.length > 2000) found.description = 'At most 2000 characters';
    setErrors(found);
    if (!Object.keys(found).length) create.mutate(undefined);
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Org roles
      </Title>
      <QueryState query={roles} label="org roles">
        {(r) => (
          <DataTable
            caption="Organisational roles"
            rows={r.data}
            rowKey={(x) => x.id}
            empty="No org role yet."
            columns={[
              { key: 'name', header: 'Role', render: (x) => x.name, sortValue: (x) => x.name },
              { key: 'description', header: 'Description', render: (x) => x.description ?? '' },
              { key: 'created', header: 'Created', render: (x) => <DateTime value={x.created_at} /> },
            ]}
          />
        )}
      </QueryState>
      <form onSubmit={submit} noValidate aria-label="New org role">
        <Group align="flex-end" mt="sm">
          <TextInput
            label="Role name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={shown.name}
          />
          <Textarea
            label="Role description"
            autosize
            minRows={1}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={shown.description}
            w={320}
          />
          <RoleButton allowed={canCreate} type="submit" loading={create.isPending}>
            Add org role
          </RoleButton>
        </Group>
      </form>
    </Card>
  );
}
