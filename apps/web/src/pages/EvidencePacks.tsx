import { Anchor, Card, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useMemberNames } from '../api/lookups';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime, StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

const day = (d: Date) => d.toISOString().slice(0, 10);
const size = (n: number | null) =>
  n === null
    ? '—'
    : n < 1024
      ? `${n} B`
      : n < 1048576
        ? `${(n / 1024).toFixed(1)} KB`
        : `${(n / 1048576).toFixed(1)} MB`;

/** Evidence packs: one zip of a period's policies, acknowledgements, training, certifications, reminders, escalations and audit log. */
export function EvidencePacksPage() {
  const session = useSession();
  const names = useMemberNames();
  const today = new Date();
  const [from, setFrom] = useState(day(new Date(today.getTime() - 90 * 86_400_000)));
  const [to, setTo] = useState(day(new Date(today.getTime() + 86_400_000)));
  const paging = useCursorPaging('packs');
  const packs = useQuery({
    queryKey: ['evidence-packs', paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/compliance/evidence-packs', { params: { query: { limit: 50, cursor: paging.cursor } } }),
      ),
    // While a pack is being written, follow its progress.
    refetchInterval: (q) =>
      q.state.data?.data.some((p) => p.status === 'PENDING' || p.status === 'RUNNING') ? 2_000 : false,
  });
  const request = useApiMutation(
    () =>
      unwrap(
        api.POST('/compliance/evidence-packs', {
          body: {
            from: new Date(`${from}T00:00:00Z`).toISOString(),
            to: new Date(`${to}T00:00:00Z`).toISOString(),
          },
        }),
      ),
    { success: 'Evidence pack requested: it is being written', invalidate: [['evidence-packs']] },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate(undefined);
  };
  return (
    <Stack>
      <Title order={1}>Evidence packs</Title>
      <Text size="sm">
        A pack is one zip for a period (UTC days, from inclusive, to exclusive) with a manifest of every
        file's SHA-256 and the audit log's chain proof.
      </Text>
      <Card withBorder component="form" onSubmit={submit}>
        <Group align="end">
          <TextInput
            type="date"
            label="From (UTC)"
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            required
          />
          <TextInput
            type="date"
            label="To (UTC, exclusive)"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            required
          />
          <RoleButton
            allowed={hasRole(session, ROLES.audit)}
            reason="Admins and auditors request evidence packs"
            type="submit"
            loading={request.isPending}
          >
            Request evidence pack
          </RoleButton>
        </Group>
      </Card>
      <Card withBorder>
        <QueryState query={packs} label="evidence packs">
          {(r) => (
            <>
              <DataTable
                caption="Evidence packs, newest first"
                rows={r.data}
                rowKey={(p) => p.id}
                empty="No evidence pack yet."
                columns={[
                  {
                    key: 'period',
                    header: 'Period',
                    render: (p) => (
                      <>
                        <DateTime value={p.from} date /> – <DateTime value={p.to} date />
                      </>
                    ),
                  },
                  { key: 'status', header: 'Status', render: (p) => <StatusBadge status={p.status} /> },
                  {
                    key: 'progress',
                    header: 'Progress',
                    render: (p) =>
                      `${p.progress.done}${p.progress.total === null ? '' : ` / ${p.progress.total}`}`,
                  },
                  { key: 'by', header: 'Requested by', render: (p) => names(p.requested_by_id) },
                  { key: 'created', header: 'Requested', render: (p) => <DateTime value={p.created_at} /> },
                  { key: 'size', header: 'Size', render: (p) => size(p.size_bytes) },
                  {
                    key: 'sha',
                    header: 'SHA-256',
                    render: (p) => (p.sha256 ? <Code title={p.sha256}>{p.sha256.slice(0, 12)}…</Code> : '—'),
                  },
                  {
                    key: 'download',
                    header: 'Download',
                    render: (p) =>
                      p.download_url ? (
                        <Anchor href={p.download_url} size="sm">
                          Download zip
                        </Anchor>
                      ) : (
                        (p.error ?? '—')
                      ),
                  },
                ]}
              />
              <Pager paging={paging} nextCursor={r.next_cursor} label="Evidence packs" />
            </>
          )}
        </QueryState>
      </Card>
    </Stack>
  );
}
