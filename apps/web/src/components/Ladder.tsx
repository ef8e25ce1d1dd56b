import { Anchor, Badge, Card, Drawer, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import { useTeams } from '../api/lookups';
import type { Reply } from '../api/types';
import { DateTime, LevelBadge, StatusBadge } from './format';
import { QueryState } from './states';

export type ObligationKind =
  | 'training_assignment'
  | 'member_certification'
  | 'reminder_instance'
  | 'acknowledgement_request'
  | 'ticket';
type LadderReply = Reply<'/workspaces/{ws}/obligations/{kind}/{id}/ladder', 'get'>;
type Target = { type?: unknown; id?: unknown; ids?: unknown };

const STATE_COLOR = { FIRED: 'orange', PENDING: 'blue', STOPPED: 'gray' } as const;

function describeTarget(t: Target, teamName: (id: string) => string) {
  if (t.type === 'TEAM' && typeof t.id === 'string') return `team ${teamName(t.id)}`;
  if (t.type === 'MEMBERS' && Array.isArray(t.ids)) return `${t.ids.length} named member(s)`;
  return String(t.type ?? '?')
    .replaceAll('_', ' ')
    .toLowerCase();
}

/** The query of an obligation's ladder (GET …/obligations/{kind}/{id}/ladder), refreshed as it climbs. */
export function useLadder(ws: string, kind: ObligationKind, id: string | null) {
  return useQuery({
    queryKey: ['ladder', kind, id],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/obligations/{kind}/{id}/ladder', {
          params: { path: { ws, kind, id: id ?? '' } },
        }),
      ),
    enabled: id !== null,
    refetchInterval: 5_000,
  });
}

/**
 * One obligation's escalation ladder, as the engine plans it: each level L1..L4 with its
 * delay, target, whom it notified (fired) or would notify (pending) and when, plus a link to
 * the obligation's workflow in the Temporal Web UI (the URL comes from the API).
 */
export function Ladder({ ws, kind, id }: { ws: string; kind: ObligationKind; id: string }) {
  const ladder = useLadder(ws, kind, id);
  return (
    <QueryState query={ladder} label="the escalation ladder">
      {(l) => <LadderView ladder={l} />}
    </QueryState>
  );
}

export function LadderView({ ladder: l }: { ladder: LadderReply }) {
  const teams = useTeams();
  const teamName = (tid: string) => teams.data?.data.find((t) => t.id === tid)?.name ?? tid.slice(0, 8);
  const clock = l.clock === 'OPENED' ? 'opening' : 'the deadline';
  return (
    <Stack gap="xs" data-testid="ladder">
      <Group gap="xs">
        <Text size="sm">Current level</Text>
        <LevelBadge level={l.current_level} />
        {l.escalation_acknowledged && <Badge color="teal">escalation acknowledged</Badge>}
        {l.next_step && (
          <Text size="sm">
            Next: {l.next_step.action.toLowerCase().replaceAll('_', ' ')}
            {l.next_step.level ? ` ${l.next_step.level}` : ''} at <DateTime value={l.next_step.at} />
          </Text>
        )}
      </Group>
      {l.levels.length === 0 ? (
        <Text size="sm">No escalation ladder applies.</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="Escalation ladder" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Level</Table.Th>
                <Table.Th>After {clock}</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Notifies</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {l.levels.map((r) => (
                <Table.Tr key={r.level} data-testid={`ladder-${r.level}`}>
                  <Table.Td>
                    <LevelBadge level={r.level} />
                  </Table.Td>
                  <Table.Td>{r.after}</Table.Td>
                  <Table.Td>
                    {describeTarget(r.target as Target, teamName)} via {r.channels.join(', ')}
                  </Table.Td>
                  <Table.Td>{r.notified.join(', ') || 'nobody resolves'}</Table.Td>
                  <Table.Td>
                    <DateTime value={r.fired_at ?? r.at} />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATE_COLOR[r.state]} variant="light">
                      {r.state === 'FIRED'
                        ? r.acknowledged
                          ? 'fired, acknowledged'
                          : 'fired'
                        : r.state.toLowerCase()}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="sm">
        Workflow{' '}
        <Anchor href={l.workflow.url} target="_blank" rel="noopener noreferrer" data-testid="workflow-link">
          {l.workflow.id}
        </Anchor>{' '}
        in the Temporal Web UI (namespace {l.workflow.namespace})
      </Text>
    </Stack>
  );
}

/** A card with the ladder, for a detail page. */
export function LadderCard({ ws, kind, id }: { ws: string; kind: ObligationKind; id: string }) {
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Escalation ladder
      </Title>
      <Ladder ws={ws} kind={kind} id={id} />
    </Card>
  );
}

/**
 * The detail drawer of one obligation (training assignment, reminder instance, acknowledgement,
 * certification): its status and deadline, the kind's own details, and its ladder.
 */
export function ObligationDrawer({
  ws,
  kind,
  id,
  onClose,
  children,
}: {
  ws: string;
  kind: ObligationKind;
  id: string | null;
  onClose: () => void;
  children?: ReactNode;
}) {
  const ladder = useLadder(ws, kind, id);
  return (
    <Drawer
      opened={id !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={ladder.data?.title ?? 'Obligation'}
      closeButtonProps={{ 'aria-label': 'Close details' }}
    >
      {id && (
        <Stack>
          {ladder.data && (
            <Group gap="xs">
              <StatusBadge status={ladder.data.status} />
              <Text size="sm">
                Owner {ladder.data.owner_name ?? '—'}, due <DateTime value={ladder.data.due_at} />
              </Text>
            </Group>
          )}
          {children}
          <Title order={3} size="h5">
            Escalation ladder
          </Title>
          <QueryState query={ladder} label="the escalation ladder">
            {(l) => <LadderView ladder={l} />}
          </QueryState>
        </Stack>
      )}
    </Drawer>
  );
}
