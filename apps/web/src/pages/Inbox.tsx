import { Badge, Card, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/DataTable';
import { DateTime, LevelBadge, StatusBadge } from '../components/format';
import { EscalationAck, ItemActions } from '../components/InboxActions';
import { QueryState } from '../components/states';
import { useSession } from '../session';

const KIND_LABELS: Record<string, string> = {
  training_assignment: 'Training',
  reminder_instance: 'Control',
  acknowledgement_request: 'Policies',
  member_certification: 'Certification',
  ticket: 'Ticket',
};

/** The signed-in member's own open items across kinds, overdue first, with what happens next. */
export function InboxPage() {
  const session = useSession();
  const inbox = useQuery({
    queryKey: ['me', 'obligations', session.workspace_id],
    queryFn: () =>
      unwrap(api.GET('/workspaces/{ws}/me/obligations', { params: { path: { ws: session.workspace_id } } })),
    refetchInterval: 15_000,
  });
  return (
    <Stack>
      <Title order={1}>My obligations</Title>
      <Text size="sm">Everything waiting for you, overdue first, then by due date.</Text>
      <QueryState query={inbox} label="your obligations">
        {(r) => (
          <>
            <Card withBorder>
              <DataTable
                caption="Your open items"
                rows={r.data}
                rowKey={(i) => `${i.kind}/${i.id}`}
                empty="Nothing is waiting for you."
                columns={[
                  { key: 'kind', header: 'Kind', render: (i) => KIND_LABELS[i.kind] ?? i.kind },
                  { key: 'title', header: 'Item', render: (i) => i.title, sortValue: (i) => i.title },
                  {
                    key: 'status',
                    header: 'Status',
                    render: (i) => (
                      <>
                        <StatusBadge status={i.status} /> {i.overdue && <Badge color="red">overdue</Badge>}
                      </>
                    ),
                  },
                  {
                    key: 'due',
                    header: 'Due',
                    render: (i) => (i.due_at ? <DateTime value={i.due_at} /> : '—'),
                    sortValue: (i) => i.due_at,
                  },
                  {
                    key: 'level',
                    header: 'Escalation',
                    render: (i) => <LevelBadge level={i.current_escalation_level} />,
                  },
                  {
                    key: 'next',
                    header: 'Next',
                    render: (i) => (i.next_step ? i.next_step.description : '—'),
                  },
                  { key: 'act', header: 'Act', render: (i) => <ItemActions item={i} /> },
                ]}
              />
            </Card>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                Escalations addressed to you
              </Title>
              <DataTable
                caption="Escalations addressed to you, not yet acknowledged"
                rows={r.escalations}
                rowKey={(e) => e.id}
                empty="No escalation is waiting for you."
                columns={[
                  { key: 'level', header: 'Level', render: (e) => <LevelBadge level={e.level} /> },
                  { key: 'kind', header: 'Of', render: (e) => KIND_LABELS[e.kind] ?? e.kind },
                  { key: 'fired', header: 'Fired', render: (e) => <DateTime value={e.fired_at} /> },
                  { key: 'act', header: 'Act', render: (e) => <EscalationAck id={e.id} /> },
                ]}
              />
            </Card>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
