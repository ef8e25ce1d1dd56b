import {
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMemberNames, useMembers } from '../api/lookups';
import type { Body } from '../api/types';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime, LevelBadge, percent, StatusBadge, viewerTimeZone } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import { ReminderEvidence } from './ReminderEvidence';

type Frequency = Body<'/workspaces/{ws}/reminders', 'post'>['frequency'];
const FREQUENCIES: Frequency[] = [
  'ONCE',
  'DAILY',
  'WEEKLY',
  'BIWEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'SEMI_ANNUAL',
  'YEARLY',
];
const OPEN = new Set(['PENDING', 'NOTIFIED', 'ACKNOWLEDGED', 'ESCALATED', 'OVERDUE']);

/** Reminders with the dashboard counts; a reminder's instances with acknowledge, complete (evidence) and skip. */
export function RemindersPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const names = useMemberNames();
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const paging = useCursorPaging('reminders');
  const stats = useQuery({
    queryKey: ['reminders', 'stats'],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/reminders/dashboard/stats', {
          params: { path: { ws }, query: { timezone: viewerTimeZone() } },
        }),
      ),
  });
  const reminders = useQuery({
    queryKey: ['reminders', 'list', paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/reminders', {
          params: { path: { ws }, query: { limit: 25, cursor: paging.cursor } },
        }),
      ),
  });
  const instances = useQuery({
    queryKey: ['reminders', selected, 'instances'],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/reminders/{id}/instances', {
          params: { path: { ws, id: selected ?? '' }, query: { limit: 50 } },
        }),
      ),
    enabled: selected !== null,
    refetchInterval: 5_000,
  });
  const invalidate = [['reminders'], ['reports']] as const;
  const act = useApiMutation(
    (v: { id: string; action: 'acknowledge' | 'complete' | 'skip'; evidence?: string; reason?: string }) => {
      const params = { path: { ws, id: v.id } };
      if (v.action === 'acknowledge')
        return unwrap(
          api.POST('/workspaces/{ws}/reminders/instances/{id}/acknowledge', { params, body: {} }),
        );
      if (v.action === 'skip')
        return unwrap(
          api.POST('/workspaces/{ws}/reminders/instances/{id}/skip', {
            params,
            body: { reason: v.reason ?? '' },
          }),
        );
      return unwrap(
        api.POST('/workspaces/{ws}/reminders/instances/{id}/complete', {
          params,
          body: v.evidence ? { evidence_links: [{ url: v.evidence, title: 'Evidence' }] } : {},
        }),
      );
    },
    { success: (i) => `Instance ${i.status.toLowerCase()}`, invalidate },
  );
  const canAct = hasRole(session, ROLES.act);
  const current = reminders.data?.data.find((r) => r.id === selected);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Reminders</Title>
        <RoleButton allowed={hasRole(session, ROLES.assign)} onClick={() => setCreating(true)}>
          New reminder
        </RoleButton>
      </Group>
      <QueryState query={stats} label="reminder statistics">
        {(s) => (
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Card withBorder>
              <Text size="sm">Active reminders</Text>
              <Text fw={700} size="xl">
                {s.reminders.total}
              </Text>
            </Card>
            <Card withBorder>
              <Text size="sm">Overdue instances</Text>
              <Text fw={700} size="xl">
                {s.instances.overdue}
              </Text>
            </Card>
            <Card withBorder>
              <Text size="sm">Due this week</Text>
              <Text fw={700} size="xl">
                {s.instances.due_this_week}
              </Text>
            </Card>
            <Card withBorder>
              <Text size="sm">Completion</Text>
              <Text fw={700} size="xl">
                {percent(s.instances.completion_rate)}
              </Text>
            </Card>
          </SimpleGrid>
        )}
      </QueryState>
      <Card withBorder>
        <QueryState query={reminders} label="reminders">
          {(r) => (
            <>
              <DataTable
                caption="Reminders"
                rows={r.data}
                rowKey={(x) => x.id}
                empty="No reminder yet."
                columns={[
                  { key: 'title', header: 'Reminder', render: (x) => x.title, sortValue: (x) => x.title },
                  {
                    key: 'freq',
                    header: 'Frequency',
                    render: (x) => x.frequency,
                    sortValue: (x) => x.frequency,
                  },
                  {
                    key: 'prio',
                    header: 'Priority',
                    render: (x) => x.priority,
                    sortValue: (x) => x.priority,
                  },
                  { key: 'status', header: 'Status', render: (x) => <StatusBadge status={x.status} /> },
                  {
                    key: 'next',
                    header: `Next (${viewerTimeZone()})`,
                    render: (x) => <DateTime value={x.next_occurrence} />,
                    sortValue: (x) => x.next_occurrence,
                  },
                  { key: 'owner', header: 'Owner', render: (x) => names(x.default_owner_id) },
                  {
                    key: 'open',
                    header: 'Instances',
                    render: (x) => (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setSelected(x.id)}
                        aria-label={`Instances of ${x.title}`}
                      >
                        Instances
                      </Button>
                    ),
                  },
                ]}
              />
              <Pager paging={paging} nextCursor={r.next_cursor} label="Reminders" />
            </>
          )}
        </QueryState>
      </Card>
      {selected && (
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Instances of {current?.title ?? 'the reminder'}
            {current?.requires_evidence ? ' (evidence required)' : ''}
          </Title>
          <QueryState query={instances} label="instances">
            {(r) => (
              <DataTable
                caption="Instances of the selected reminder"
                rows={r.data}
                rowKey={(i) => i.id}
                empty="No instance yet: the first is created when it is due."
                columns={[
                  {
                    key: 'due',
                    header: 'Due',
                    render: (i) => <DateTime value={i.due_date} />,
                    sortValue: (i) => i.due_date,
                  },
                  { key: 'status', header: 'Status', render: (i) => <StatusBadge status={i.status} /> },
                  {
                    key: 'level',
                    header: 'Level',
                    render: (i) => <LevelBadge level={i.current_escalation_level} />,
                  },
                  { key: 'owner', header: 'Owner', render: (i) => names(i.assigned_owner_id) },
                  {
                    key: 'evidence',
                    header: 'Evidence',
                    render: (i) =>
                      i.status === 'COMPLETED' ? (
                        <ReminderEvidence instanceId={i.id} links={i.evidence_links} />
                      ) : (
                        '—'
                      ),
                  },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (i) =>
                      OPEN.has(i.status) ? (
                        <Group gap={4} wrap="nowrap">
                          <RoleButton
                            allowed={canAct}
                            size="xs"
                            variant="light"
                            onClick={() => act.mutate({ id: i.id, action: 'acknowledge' })}
                          >
                            Acknowledge
                          </RoleButton>
                          <RoleButton
                            allowed={canAct}
                            size="xs"
                            variant="light"
                            onClick={() => {
                              const evidence = current?.requires_evidence
                                ? (window.prompt('Evidence link (URL)') ?? '').trim()
                                : undefined;
                              if (current?.requires_evidence && !evidence) return;
                              act.mutate({ id: i.id, action: 'complete', evidence });
                            }}
                          >
                            Complete
                          </RoleButton>
                          <RoleButton
                            allowed={canAct}
                            size="xs"
                            variant="light"
                            color="gray"
                            onClick={() => {
                              const reason = (window.prompt('Reason for skipping') ?? '').trim();
                              if (reason) act.mutate({ id: i.id, action: 'skip', reason });
                            }}
                          >
                            Skip
                          </RoleButton>
                        </Group>
                      ) : null,
                  },
                ]}
              />
            )}
          </QueryState>
        </Card>
      )}
      <CreateReminderModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function CreateReminderModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { workspace_id: ws } = useSession();
  const members = useMembers();
  const [title, setTitle] = useState('');
  const [frequency, setFrequency] = useState<Frequency>('WEEKLY');
  const [start, setStart] = useState('');
  const [owner, setOwner] = useState<string | null>(null);
  const [evidence, setEvidence] = useState(false);
  const create = useApiMutation(
    (body: Body<'/workspaces/{ws}/reminders', 'post'>) =>
      unwrap(api.POST('/workspaces/{ws}/reminders', { params: { path: { ws } }, body })),
    { success: (r) => `Reminder ${r.title} created`, invalidate: [['reminders']], onSuccess: onClose },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || !start) return;
    create.mutate({
      title: title.trim(),
      frequency,
      start_date: new Date(start).toISOString(),
      timezone: viewerTimeZone(),
      default_owner_id: owner,
      requires_evidence: evidence,
    });
  };
  return (
    <Modal opened={opened} onClose={onClose} title="New reminder">
      <form onSubmit={submit}>
        <Stack>
          <TextInput label="Title" required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <Select
            label="Frequency"
            required
            data={FREQUENCIES}
            value={frequency}
            onChange={(v) => v && setFrequency(v as Frequency)}
          />
          <TextInput
            label={`First due (${viewerTimeZone()})`}
            type="datetime-local"
            required
            value={start}
            onChange={(e) => setStart(e.currentTarget.value)}
          />
          <Select
            label="Owner"
            clearable
            searchable
            data={memberOptions(members.data?.data ?? [])}
            value={owner}
            onChange={setOwner}
          />
          <Checkbox
            label="Evidence required to complete"
            checked={evidence}
            onChange={(e) => setEvidence(e.currentTarget.checked)}
          />
          <Button type="submit" loading={create.isPending} disabled={!title.trim() || !start}>
            Create reminder
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
