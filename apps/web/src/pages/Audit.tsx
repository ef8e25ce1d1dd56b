import { Alert, Button, Card, Code, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMemberNames, useMembers } from '../api/lookups';
import type { Reply } from '../api/types';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { ProblemAlert, QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

type Entry = Reply<'/compliance/audit-logs', 'get'>['data'][number];
type ActionType = Entry['action_type'];

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The hash-chained audit log: filters, paging and a verify-the-chain button. */
export function AuditPage() {
  const session = useSession();
  const allowed = hasRole(session, ROLES.audit);
  const names = useMemberNames();
  const members = useMembers();
  const [action, setAction] = useState<ActionType | null>(null);
  const [actor, setActor] = useState<string | null>(null);
  const [targetType, setTargetType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const paging = useCursorPaging(`${action}:${actor}:${targetType}:${from}:${to}`);
  const logs = useQuery({
    queryKey: ['audit', action, actor, targetType, from, to, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/compliance/audit-logs', {
          params: {
            query: {
              limit: 50,
              cursor: paging.cursor,
              action_type: action ?? undefined,
              actor_id: actor ?? undefined,
              target_type: targetType.trim() || undefined,
              from: toIso(from),
              to: toIso(to),
            },
          },
        }),
      ),
    enabled: allowed,
  });
  const verify = useApiMutation(() => unwrap(api.GET('/compliance/audit-logs/verify')));
  const actions = [...new Set((logs.data?.data ?? []).map((e) => e.action_type))].sort();

  if (!allowed)
    return (
      <Stack>
        <Title order={1}>Audit log</Title>
        <Alert color="gray" title="Not available to your role">
          Admins and auditors read the audit log.
        </Alert>
      </Stack>
    );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Audit log</Title>
        <RoleButton allowed={allowed} onClick={() => verify.mutate(undefined)} loading={verify.isPending}>
          Verify the chain
        </RoleButton>
      </Group>
      {verify.data && (
        <Alert
          role="status"
          color={verify.data.ok ? 'green' : 'red'}
          title={verify.data.ok ? 'The chain is intact' : 'The chain is broken'}
          data-testid="verify-result"
        >
          {verify.data.ok
            ? `${verify.data.entries} entries verified, up to seq ${verify.data.head_seq}.`
            : `First broken entry: seq ${verify.data.first_broken_seq} (${verify.data.reason}).`}
        </Alert>
      )}
      {verify.isError && <ProblemAlert error={verify.error} title="Could not verify the chain" />}
      <Card withBorder>
        <Group mb="sm" align="flex-end">
          <Select
            label="Action"
            clearable
            searchable
            data={action && !actions.includes(action) ? [action, ...actions] : actions}
            value={action}
            onChange={(v) => setAction(v as ActionType | null)}
            w={240}
          />
          <Select
            label="Actor"
            clearable
            searchable
            data={memberOptions(members.data?.data ?? [])}
            value={actor}
            onChange={setActor}
            w={240}
          />
          <TextInput
            label="Target type"
            value={targetType}
            onChange={(e) => setTargetType(e.currentTarget.value)}
            w={160}
          />
          <TextInput
            label="From"
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
          />
          <TextInput
            label="To"
            type="datetime-local"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
          />
          <Button
            variant="subtle"
            onClick={() => [setAction(null), setActor(null), setTargetType(''), setFrom(''), setTo('')]}
          >
            Clear
          </Button>
        </Group>
        <QueryState query={logs} label="audit entries">
          {(r) => (
            <>
              <DataTable
                caption="Audit log entries, newest first"
                rows={r.data}
                rowKey={(e) => e.id}
                empty="No entry matches."
                columns={[
                  { key: 'seq', header: 'Seq', render: (e) => e.seq, sortValue: (e) => e.seq },
                  {
                    key: 'at',
                    header: 'When',
                    render: (e) => <DateTime value={e.created_at} />,
                    sortValue: (e) => e.created_at,
                  },
                  {
                    key: 'actor',
                    header: 'Actor',
                    render: (e) => (e.actor_id ? names(e.actor_id) : 'system'),
                  },
                  {
                    key: 'action',
                    header: 'Action',
                    render: (e) => e.action_type,
                    sortValue: (e) => e.action_type,
                  },
                  {
                    key: 'target',
                    header: 'Target',
                    render: (e) => `${e.target_type}${e.target_id ? ` ${e.target_id.slice(0, 8)}` : ''}`,
                  },
                  { key: 'desc', header: 'Description', render: (e) => e.description ?? '—' },
                  {
                    key: 'hash',
                    header: 'Hash',
                    render: (e) => (
                      <Code title={e.hash} aria-label={`hash ${e.hash}`}>
                        {e.hash.slice(0, 10)}
                      </Code>
                    ),
                  },
                ]}
              />
              <Pager paging={paging} nextCursor={r.next_cursor} label="Audit log" />
            </>
          )}
        </QueryState>
        <Text size="xs" c="dimmed" mt="xs">
          Each entry's hash covers the previous entry's hash; verification recomputes the whole chain.
        </Text>
      </Card>
    </Stack>
  );
}
