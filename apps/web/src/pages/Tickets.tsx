import { Anchor, Button, Card, Group, Modal, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { useMemberNames, useTeams } from '../api/lookups';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime, LevelBadge, StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'CLOSED'] as const;
type Status = (typeof STATUSES)[number];

export function TicketsPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const names = useMemberNames();
  const teams = useTeams();
  const [status, setStatus] = useState<Status | null>(null);
  const [team, setTeam] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const paging = useCursorPaging(`${status}:${team}`);
  const tickets = useQuery({
    queryKey: ['tickets', status, team, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/tickets', {
          params: {
            path: { ws },
            query: {
              limit: 25,
              cursor: paging.cursor,
              status: status ?? undefined,
              team_id: team ?? undefined,
            },
          },
        }),
      ),
    refetchInterval: 5_000,
  });
  const teamName = (id: string | null) => teams.data?.data.find((t) => t.id === id)?.name ?? '—';
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Escalation tickets</Title>
        <Group>
          <Anchor component={Link} to="/escalation/matrices">
            Escalation matrices
          </Anchor>
          <RoleButton allowed={hasRole(session, ROLES.act)} onClick={() => setCreating(true)}>
            New ticket
          </RoleButton>
        </Group>
      </Group>
      <Card withBorder>
        <Group mb="sm">
          <Select
            label="Status"
            clearable
            data={[...STATUSES]}
            value={status}
            onChange={(v) => setStatus(v as Status | null)}
            w={180}
          />
          <Select
            label="Team"
            clearable
            data={(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={team}
            onChange={setTeam}
            w={220}
          />
        </Group>
        <QueryState query={tickets} label="tickets">
          {(r) => (
            <>
              <DataTable
                caption="Tickets"
                rows={r.data}
                rowKey={(t) => t.id}
                empty="No ticket matches."
                columns={[
                  {
                    key: 'title',
                    header: 'Ticket',
                    sortValue: (t) => t.title,
                    render: (t) => (
                      <Anchor component={Link} to={`/escalation/tickets/${t.id}`}>
                        {t.title}
                      </Anchor>
                    ),
                  },
                  {
                    key: 'status',
                    header: 'Status',
                    render: (t) => <StatusBadge status={t.status} />,
                    sortValue: (t) => t.status,
                  },
                  {
                    key: 'level',
                    header: 'Level',
                    render: (t) => <LevelBadge level={t.current_escalation_level} />,
                    sortValue: (t) => t.current_escalation_level,
                  },
                  { key: 'team', header: 'Team', render: (t) => teamName(t.team_id) },
                  { key: 'assignee', header: 'Assignee', render: (t) => names(t.assignee_id) },
                  {
                    key: 'opened',
                    header: 'Opened',
                    render: (t) => <DateTime value={t.created_at} />,
                    sortValue: (t) => t.created_at,
                  },
                ]}
              />
              <Pager paging={paging} nextCursor={r.next_cursor} label="Tickets" />
            </>
          )}
        </QueryState>
      </Card>
      <CreateTicketModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function CreateTicketModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { workspace_id: ws } = useSession();
  const teams = useTeams();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [team, setTeam] = useState<string | null>(null);
  const [severity, setSeverity] = useState('');
  const create = useApiMutation(
    () =>
      unwrap(
        api.POST('/workspaces/{ws}/tickets', {
          params: { path: { ws } },
          body: {
            title: title.trim(),
            description: description.trim() || null,
            team_id: team,
            severity: severity.trim() || null,
          },
        }),
      ),
    {
      success: 'Ticket opened',
      invalidate: [['tickets']],
      onSuccess: (t) => {
        onClose();
        navigate(`/escalation/tickets/${t.id}`);
      },
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim()) create.mutate(undefined);
  };
  return (
    <Modal opened={opened} onClose={onClose} title="New ticket">
      <form onSubmit={submit}>
        <Stack>
          <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <Textarea
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <TextInput label="Severity" value={severity} onChange={(e) => setSeverity(e.currentTarget.value)} />
          <Select
            label="Team"
            clearable
            data={(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={team}
            onChange={setTeam}
          />
          <Button type="submit" loading={create.isPending} disabled={!title.trim()}>
            Open ticket
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
