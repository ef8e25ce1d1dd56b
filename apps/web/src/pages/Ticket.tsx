import { Alert, Anchor, Card, Group, Stack, Text, Timeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { useMemberNames, useTeams } from '../api/lookups';
import { DateTime, LevelBadge, StatusBadge } from '../components/format';
import { LadderCard } from '../components/Ladder';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

type Target = { type: string; id?: string; ids?: string[] };

const describeTarget = (t: Target, teamName: (id: string) => string) =>
  t.type === 'TEAM' && t.id
    ? `team ${teamName(t.id)}`
    : t.type === 'MEMBERS'
      ? `${t.ids?.length ?? 0} member(s)`
      : t.type.replace('_', ' ').toLowerCase();

/** A ticket, its ladder (with its workflow in the Temporal Web UI) and the timeline of escalations it fired (refreshed every few seconds). */
export function TicketPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const ws = session.workspace_id;
  const names = useMemberNames();
  const teams = useTeams();
  const teamName = (tid: string) => teams.data?.data.find((t) => t.id === tid)?.name ?? tid.slice(0, 8);
  const ticket = useQuery({
    queryKey: ['tickets', id],
    queryFn: () =>
      unwrap(api.GET('/workspaces/{ws}/tickets/{ticket_id}', { params: { path: { ws, ticket_id: id } } })),
    refetchInterval: 3_000,
  });
  const escalations = useQuery({
    queryKey: ['tickets', id, 'escalations'],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/tickets/{ticket_id}/escalations', {
          params: { path: { ws, ticket_id: id } },
        }),
      ),
    refetchInterval: 3_000,
  });
  const invalidate = [['tickets'], ['ladder']] as const;
  const acknowledge = useApiMutation(
    (escalationId: string) =>
      unwrap(
        api.POST('/workspaces/{ws}/tickets/{ticket_id}/escalations/{id}/acknowledge', {
          params: { path: { ws, ticket_id: id, id: escalationId } },
        }),
      ),
    { success: 'Escalation acknowledged: the ladder stops climbing', invalidate },
  );
  const setStatus = useApiMutation(
    (status: 'ACKNOWLEDGED' | 'RESOLVED' | 'CLOSED') =>
      unwrap(
        api.PATCH('/workspaces/{ws}/tickets/{ticket_id}', {
          params: { path: { ws, ticket_id: id } },
          body: { status },
        }),
      ),
    { success: (t) => `Ticket ${t.status.toLowerCase()}`, invalidate },
  );
  const canAct = hasRole(session, ROLES.act);
  return (
    <Stack>
      <Anchor component={Link} to="/escalation" size="sm">
        ← All tickets
      </Anchor>
      <QueryState query={ticket} label="the ticket">
        {(t) => {
          return (
            <>
              <Group justify="space-between">
                <Title order={1}>{t.title}</Title>
                <Group>
                  <StatusBadge status={t.status} />
                  <LevelBadge level={t.current_escalation_level} />
                </Group>
              </Group>
              {t.description && <Text>{t.description}</Text>}
              <Group>
                <RoleButton
                  allowed={canAct && t.status === 'OPEN'}
                  variant="default"
                  onClick={() => setStatus.mutate('ACKNOWLEDGED')}
                >
                  Acknowledge ticket
                </RoleButton>
                <RoleButton
                  allowed={canAct && (t.status === 'OPEN' || t.status === 'ACKNOWLEDGED')}
                  variant="default"
                  onClick={() => setStatus.mutate('RESOLVED')}
                >
                  Resolve
                </RoleButton>
              </Group>
              <Text size="sm">Ladder from {t.ladder_source.toLowerCase()}</Text>
              <LadderCard ws={ws} kind="ticket" id={t.id} />
              <Card withBorder>
                <Title order={2} size="h4" mb="sm">
                  Timeline
                </Title>
                <QueryState query={escalations} label="escalations">
                  {(r) => (
                    <Timeline
                      active={r.data.length}
                      bulletSize={20}
                      lineWidth={2}
                      aria-label="Ticket timeline"
                    >
                      <Timeline.Item title="Ticket opened">
                        <Text size="xs" c="dimmed">
                          <DateTime value={t.created_at} />
                        </Text>
                      </Timeline.Item>
                      {r.data.map((e) => (
                        <Timeline.Item key={e.id} title={`Escalated to ${e.level}`} data-testid="escalation">
                          <Text size="sm">
                            {describeTarget(e.target, teamName)}:{' '}
                            {e.target_member_ids.map(names).join(', ') || 'nobody resolved'}
                          </Text>
                          <Text size="xs" c="dimmed">
                            <DateTime value={e.fired_at} /> via {e.channels.join(', ')}
                          </Text>
                          {e.acknowledged_at ? (
                            <Text size="xs">
                              Acknowledged by {names(e.acknowledged_by_id)}{' '}
                              <DateTime value={e.acknowledged_at} />
                            </Text>
                          ) : (
                            <RoleButton
                              allowed={canAct}
                              size="xs"
                              mt={4}
                              variant="light"
                              onClick={() => acknowledge.mutate(e.id)}
                              aria-label={`Acknowledge escalation ${e.level}`}
                            >
                              Acknowledge
                            </RoleButton>
                          )}
                        </Timeline.Item>
                      ))}
                    </Timeline>
                  )}
                </QueryState>
                {t.status === 'OPEN' && escalations.data?.data.length === 0 && (
                  <Alert mt="sm" color="blue" role="status">
                    No escalation yet; this page updates as the ladder climbs.
                  </Alert>
                )}
              </Card>
            </>
          );
        }}
      </QueryState>
    </Stack>
  );
}
