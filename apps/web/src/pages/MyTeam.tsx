import { Alert, Badge, Card, Progress, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ProblemError, unwrap } from '../api/client';
import type { Reply } from '../api/types';
import { DataTable } from '../components/DataTable';
import { DateTime, LevelBadge, percent, StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { Empty, QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

type Team = Reply<'/workspaces/{ws}/me/team/obligations', 'get'>;
type Item = Team['data'][number];
type Completion = Team['training'][number];
type NudgeKind =
  | 'training_assignment'
  | 'member_certification'
  | 'reminder_instance'
  | 'acknowledgement_request'
  | 'ticket';

const KIND_LABELS: Record<string, string> = {
  training_assignment: 'Training',
  reminder_instance: 'Control',
  acknowledgement_request: 'Policies',
  member_certification: 'Certification',
  ticket: 'Ticket',
};

const keyOf = (i: Pick<Item, 'kind' | 'id'>) => `${i.kind}/${i.id}`;

/** A manager's or team lead's reports: their open items with a nudge, and the team's completion. */
export function MyTeamPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const team = useQuery({
    queryKey: ['me', 'team', ws],
    queryFn: () => unwrap(api.GET('/workspaces/{ws}/me/team/obligations', { params: { path: { ws } } })),
    refetchInterval: 30_000,
  });
  // What the last nudge of each item answered: sent, or the API's refusal (429: already nudged today).
  const [outcome, setOutcome] = useState<Record<string, { ok: boolean; text: string }>>({});
  const nudge = useApiMutation(
    (i: Item) =>
      unwrap(
        api.POST('/workspaces/{ws}/obligations/{kind}/{id}/nudge', {
          params: { path: { ws, kind: i.kind as NudgeKind, id: i.id } },
        }),
      ),
    { success: 'Reminder sent to its owner' },
  );
  const send = (i: Item) =>
    nudge.mutate(i, {
      onSuccess: () =>
        setOutcome((o) => ({ ...o, [keyOf(i)]: { ok: true, text: `Reminder sent to ${i.owner.name}` } })),
      onError: (err) =>
        setOutcome((o) => ({
          ...o,
          [keyOf(i)]: {
            ok: false,
            text:
              err instanceof ProblemError && err.status === 429
                ? `Not sent: ${err.detail}`
                : `Not sent: ${err instanceof Error ? err.message : String(err)}`,
          },
        })),
    });
  const canNudge = hasRole(session, ROLES.act);
  const refusals = Object.entries(outcome).filter(([, v]) => !v.ok);
  return (
    <Stack>
      <Title order={1}>My team</Title>
      <QueryState query={team} label="your team">
        {(r) =>
          r.members.length === 0 ? (
            <Empty title="You have no reports">
              Nobody reports to you and you lead no team with members, so there is nothing to follow here.
            </Empty>
          ) : (
            <>
              <Text size="sm">
                Open items of your {r.members.length} direct and indirect reports and team members, overdue
                first. A nudge sends the owner one reminder now (once per item per day).
              </Text>
              {refusals.map(([k, v]) => (
                <Alert key={k} color="orange" title="Nudge refused" role="alert">
                  {v.text}
                </Alert>
              ))}
              <Card withBorder>
                <DataTable
                  caption="Your team's open items"
                  rows={r.data}
                  rowKey={keyOf}
                  empty="Nothing is open in your team."
                  columns={[
                    {
                      key: 'owner',
                      header: 'Owner',
                      render: (i) => i.owner.name,
                      sortValue: (i) => i.owner.name,
                    },
                    { key: 'kind', header: 'Kind', render: (i) => KIND_LABELS[i.kind] ?? i.kind },
                    { key: 'title', header: 'Item', render: (i) => i.title, sortValue: (i) => i.title },
                    {
                      key: 'status',
                      header: 'Status',
                      render: (i) => (
                        <>
                          <StatusBadge status={i.status} />{' '}
                          {i.overdue && i.status !== 'OVERDUE' && <Badge color="red">overdue</Badge>}
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
                    { key: 'next', header: 'Next', render: (i) => i.next_step?.description ?? '—' },
                    {
                      key: 'nudge',
                      header: 'Nudge',
                      render: (i) => {
                        const done = outcome[keyOf(i)];
                        return done?.ok ? (
                          <Text size="sm">{done.text}</Text>
                        ) : (
                          <RoleButton
                            allowed={canNudge}
                            size="xs"
                            variant="light"
                            aria-label={`Nudge ${i.owner.name}: ${i.title}`}
                            loading={nudge.isPending && nudge.variables?.id === i.id}
                            onClick={() => send(i)}
                          >
                            Nudge
                          </RoleButton>
                        );
                      },
                    },
                  ]}
                />
              </Card>
              <CompletionCard title="Completion per training" rows={r.training} what="training" />
              <CompletionCard title="Completion per policy" rows={r.policies} what="policy" />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}

function CompletionCard({ title, rows, what }: { title: string; rows: Completion[]; what: string }) {
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      <DataTable
        caption={`Your team's completion per ${what}`}
        rows={rows}
        rowKey={(c) => c.id}
        empty={`Nobody in your team was asked for a ${what}.`}
        columns={[
          { key: 'name', header: 'Name', render: (c) => c.name, sortValue: (c) => c.name },
          { key: 'asked', header: 'Asked', render: (c) => c.asked },
          { key: 'done', header: 'Done', render: (c) => c.done },
          { key: 'overdue', header: 'Overdue', render: (c) => c.overdue },
          {
            key: 'rate',
            header: 'Completion',
            sortValue: (c) => c.rate,
            render: (c) => (
              <Stack gap={2}>
                <Text size="sm">{percent(c.rate)}</Text>
                <Progress
                  value={c.rate ?? 0}
                  aria-label={`${c.name}: ${percent(c.rate)} complete`}
                  size="sm"
                />
              </Stack>
            ),
          },
        ]}
      />
    </Card>
  );
}
