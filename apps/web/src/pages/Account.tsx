import { Badge, Card, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { listSessions, revokeSession } from '../api/auth';
import { DataTable } from '../components/DataTable';
import { DateTime } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

/** The member's own sign-in sessions, with revoke. */
export function AccountPage() {
  const session = useSession();
  const sessions = useQuery({ queryKey: ['auth', 'sessions'], queryFn: listSessions });
  const revoke = useApiMutation((id: string) => revokeSession(id), {
    success: 'Session revoked',
    invalidate: [['auth', 'sessions']],
  });
  return (
    <Stack>
      <Title order={1}>My sessions</Title>
      <Text size="sm">
        Signed in as {session.name} ({session.email}); this session expires{' '}
        <DateTime value={session.expires_at} />.
      </Text>
      <Card withBorder>
        <QueryState query={sessions} label="sessions">
          {(rows) => (
            <DataTable
              caption="Your sign-in sessions"
              rows={rows}
              rowKey={(s) => s.id}
              columns={[
                {
                  key: 'id',
                  header: 'Session',
                  render: (s) => (
                    <>
                      {s.id.slice(0, 8)}{' '}
                      {(s.current || s.id === session.session_id) && <Badge variant="light">this one</Badge>}
                    </>
                  ),
                },
                { key: 'agent', header: 'Browser', render: (s) => s.user_agent ?? '—' },
                { key: 'created', header: 'Started', render: (s) => <DateTime value={s.created_at} /> },
                { key: 'expires', header: 'Expires', render: (s) => <DateTime value={s.expires_at} /> },
                {
                  key: 'revoke',
                  header: 'Actions',
                  render: (s) =>
                    s.id === session.session_id ? null : (
                      <RoleButton
                        allowed={hasRole(session, ROLES.act)}
                        reason="Auditors write nothing; sign out to end your own session"
                        size="xs"
                        variant="light"
                        color="red"
                        onClick={() => revoke.mutate(s.id)}
                      >
                        Revoke
                      </RoleButton>
                    ),
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
    </Stack>
  );
}
