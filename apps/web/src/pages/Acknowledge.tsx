import { Alert, Card, Group, Stack, Text, Title, Typography } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import Markdown, { type Components } from 'react-markdown';
import { useParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import type { Reply } from '../api/types';
import { DateTime, StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { DiffView } from '../components/PolicyDiff';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

type PolicyToRead = Reply<'/workspaces/{ws}/me/acknowledgements/{obligation_id}', 'get'>['policies'][number];

// A policy's own headings sit below the page's: its `#` is a level-3 heading here.
const HEADINGS: Components = {
  h1: ({ children }) => <h3>{children}</h3>,
  h2: ({ children }) => <h4>{children}</h4>,
  h3: ({ children }) => <h5>{children}</h5>,
  h4: ({ children }) => <h6>{children}</h6>,
};

/**
 * Read and acknowledge: each policy of one of the member's acknowledgement obligations, its Markdown
 * rendered safely (react-markdown renders no raw HTML and drops unsafe link targets), what changed
 * since the version they last signed, and one button per policy (POST /api/acknowledge/{policy_id}).
 */
export function AcknowledgePage() {
  const { obligationId = '' } = useParams();
  const session = useSession();
  const key = ['me', 'acknowledgements', obligationId] as const;
  const ack = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/me/acknowledgements/{obligation_id}', {
          params: { path: { ws: session.workspace_id, obligation_id: obligationId } },
        }),
      ),
  });
  return (
    <Stack>
      <Title order={1}>Read and acknowledge</Title>
      <Text size="sm">
        Acknowledging as {session.name} ({session.email}). Your acknowledgement records the version, its
        content hash, your address and browser.
      </Text>
      {session.purpose === 'acknowledge' && (
        <Alert color="blue" title="Opened from your acknowledgement link">
          This sign-in only lets you read and acknowledge these policies, and ends within 30 minutes. Sign in
          with your email to use the rest of the console.
        </Alert>
      )}
      <QueryState query={ack} label="the policies to acknowledge">
        {(r) => {
          const open = r.policies.filter((p) => p.status === 'PENDING' || p.status === 'OVERDUE');
          return (
            <>
              <Text size="sm">
                Due <DateTime value={r.due_at} />. {open.length} of {r.policies.length} still to acknowledge.
              </Text>
              {open.length === 0 && (
                <Alert color="green" title="All acknowledged" role="status">
                  Thank you: every policy here is acknowledged.
                </Alert>
              )}
              {r.policies.map((p) => (
                <PolicyCard key={p.request_id} policy={p} invalidate={key} />
              ))}
            </>
          );
        }}
      </QueryState>
    </Stack>
  );
}

function PolicyCard({ policy: p, invalidate }: { policy: PolicyToRead; invalidate: readonly unknown[] }) {
  const session = useSession();
  const pending = p.status === 'PENDING' || p.status === 'OVERDUE';
  const prev = p.previous_version_number;
  const diff = useQuery({
    queryKey: ['policies', p.policy_id, 'diff', prev, p.version_number],
    queryFn: () =>
      unwrap(
        api.GET('/api/policies/{policy_id}/diff', {
          params: { path: { policy_id: p.policy_id }, query: { from: prev ?? 0, to: p.version_number } },
        }),
      ),
    enabled: prev !== null && pending,
  });
  const acknowledge = useApiMutation(
    () =>
      unwrap(
        api.POST('/api/acknowledge/{policy_id}', { params: { path: { policy_id: p.policy_id } }, body: {} }),
      ),
    {
      success: `${p.policy_name} acknowledged`,
      invalidate: [invalidate, ['me', 'obligations']],
    },
  );
  const headingId = `policy-${p.policy_id}`;
  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h3" id={headingId}>
            {p.policy_name} (version {p.version_number})
          </Title>
          <StatusBadge status={p.status} />
        </Group>
        {p.change_summary && <Text size="sm">Change: {p.change_summary}</Text>}
        {prev !== null && pending && (
          <Card withBorder bg="gray.0">
            <Text fw={600} size="sm" mb={4}>
              What changed since version {prev}, the one you acknowledged
            </Text>
            <QueryState query={diff} label="the changes">
              {(d) => <DiffView diff={d} />}
            </QueryState>
          </Card>
        )}
        <Typography>
          <Markdown components={HEADINGS}>{p.content}</Markdown>
        </Typography>
        <Text size="xs" c="dimmed">
          Content SHA-256 {p.content_sha256}
        </Text>
        {pending ? (
          <Group>
            <RoleButton
              allowed={hasRole(session, ROLES.act)}
              reason="Auditors read only"
              loading={acknowledge.isPending}
              onClick={() => acknowledge.mutate(undefined)}
            >
              I have read and acknowledge {p.policy_name}
            </RoleButton>
          </Group>
        ) : (
          <Group gap="xs">
            <Text fw={600} size="sm">
              Acknowledged
            </Text>
            {p.acknowledged_at && (
              <Text size="sm">
                on <DateTime value={p.acknowledged_at} />
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}
