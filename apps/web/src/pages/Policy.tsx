import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
  Typography,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import Markdown from 'react-markdown';
import { Link, useParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { useMemberNames } from '../api/lookups';
import { DataTable } from '../components/DataTable';
import { DateTime, StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { DiffView } from '../components/PolicyDiff';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import { PolicyAcknowledgement, PolicyRoles, PolicyUpgradePrompts } from './PolicyExtras';

export function PolicyPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const names = useMemberNames();
  const policies = useQuery({ queryKey: ['policies'], queryFn: () => unwrap(api.GET('/api/policies')) });
  const versions = useQuery({
    queryKey: ['policies', id, 'versions'],
    queryFn: () =>
      unwrap(api.GET('/api/policies/{policy_id}/versions', { params: { path: { policy_id: id } } })),
  });
  const settings = useQuery({
    queryKey: ['settings', session.workspace_id],
    queryFn: () =>
      unwrap(api.GET('/workspaces/{ws}/settings', { params: { path: { ws: session.workspace_id } } })),
  });
  const policy = policies.data?.data.find((p) => p.id === id);
  const latest = policy?.latest_version;
  const active = policy?.active_version;
  const pending = latest?.status === 'PENDING_APPROVAL' ? latest : null;
  // Only the designated approver or members with access role APPROVER approve (admins are not, unless designated).
  const isApprover =
    session.access_role === 'APPROVER' || settings.data?.policy_approver_id === session.member_id;
  const diff = useQuery({
    queryKey: ['policies', id, 'diff', active?.number, pending?.number],
    queryFn: () =>
      unwrap(
        api.GET('/api/policies/{policy_id}/diff', {
          params: { path: { policy_id: id }, query: { from: active?.number ?? 0, to: pending?.number ?? 0 } },
        }),
      ),
    enabled: Boolean(active && pending),
  });
  const invalidate = [['policies'], ['reports']] as const;
  const approve = useApiMutation(
    (versionId: string) =>
      unwrap(
        api.POST('/api/policies/{policy_id}/approve', {
          params: { path: { policy_id: id } },
          body: { version_id: versionId },
        }),
      ),
    { success: (r) => `Approved; ${r.requested} acknowledgement request(s) sent`, invalidate },
  );
  const [rejecting, setRejecting] = useState(false);
  const [editing, setEditing] = useState(false);

  if (policies.isSuccess && !policy)
    return (
      <Alert color="red" title="Policy not found">
        No policy with id {id} in this workspace.
      </Alert>
    );
  return (
    <Stack>
      <Anchor component={Link} to="/policies" size="sm">
        ← All policies
      </Anchor>
      <QueryState query={policies} label="the policy">
        {() =>
          policy ? (
            <>
              <Group justify="space-between">
                <Title order={1}>{policy.name}</Title>
                <StatusBadge status={policy.status} />
              </Group>
              <PolicyUpgradePrompts policyId={policy.id} />
              {pending && (
                <Card withBorder>
                  <Group justify="space-between" mb="sm">
                    <Title order={2} size="h4">
                      Version {pending.number} awaits approval
                    </Title>
                    <Group>
                      <RoleButton
                        allowed={isApprover}
                        reason="Only the designated policy approver or an APPROVER may approve"
                        color="red"
                        variant="light"
                        onClick={() => setRejecting(true)}
                      >
                        Reject
                      </RoleButton>
                      <RoleButton
                        allowed={isApprover}
                        reason="Only the designated policy approver or an APPROVER may approve"
                        onClick={() => approve.mutate(pending.id)}
                        loading={approve.isPending}
                      >
                        Approve version {pending.number}
                      </RoleButton>
                    </Group>
                  </Group>
                  {pending.change_summary && <Text size="sm">Change: {pending.change_summary}</Text>}
                  {active ? (
                    <QueryState query={diff} label="the diff">
                      {(d) => <DiffView diff={d} />}
                    </QueryState>
                  ) : (
                    <Text size="sm" c="dimmed">
                      First version: nothing to compare with.
                    </Text>
                  )}
                </Card>
              )}
              <Card withBorder>
                <Group justify="space-between" mb="sm">
                  <Title order={2} size="h4">
                    {latest ? `Version ${latest.number}` : 'No version'}{' '}
                    <StatusBadge status={latest?.status} />
                  </Title>
                  <RoleButton
                    allowed={hasRole(session, ROLES.configure)}
                    variant="default"
                    onClick={() => setEditing(true)}
                  >
                    Edit (new version)
                  </RoleButton>
                </Group>
                <Typography>
                  <Markdown>{latest?.content ?? ''}</Markdown>
                </Typography>
              </Card>
              <PolicyRoles policy={policy} />
              <PolicyAcknowledgement policyId={policy.id} />
              <Card withBorder>
                <Title order={2} size="h4" mb="sm">
                  Version history
                </Title>
                <QueryState query={versions} label="versions">
                  {(r) => (
                    <DataTable
                      caption="Versions of this policy"
                      rows={[...r.data].reverse()}
                      rowKey={(v) => v.id}
                      columns={[
                        {
                          key: 'n',
                          header: 'Version',
                          render: (v) => `v${v.number}`,
                          sortValue: (v) => v.number,
                        },
                        { key: 'status', header: 'Status', render: (v) => <StatusBadge status={v.status} /> },
                        {
                          key: 'summary',
                          header: 'Change',
                          render: (v) => v.change_summary ?? v.rejection_reason ?? '—',
                        },
                        {
                          key: 'decided',
                          header: 'Decided by',
                          render: (v) => (v.decided_by_id ? names(v.decided_by_id) : '—'),
                        },
                        {
                          key: 'at',
                          header: 'Created',
                          render: (v) => <DateTime value={v.created_at} />,
                          sortValue: (v) => v.created_at,
                        },
                      ]}
                    />
                  )}
                </QueryState>
              </Card>
              {pending && (
                <RejectModal
                  opened={rejecting}
                  onClose={() => setRejecting(false)}
                  policyId={id}
                  versionId={pending.id}
                />
              )}
              <EditModal
                opened={editing}
                onClose={() => setEditing(false)}
                policyId={id}
                content={latest?.content ?? ''}
              />
            </>
          ) : null
        }
      </QueryState>
    </Stack>
  );
}

function RejectModal(props: { opened: boolean; onClose: () => void; policyId: string; versionId: string }) {
  const [reason, setReason] = useState('');
  const reject = useApiMutation(
    () =>
      unwrap(
        api.POST('/api/policies/{policy_id}/reject', {
          params: { path: { policy_id: props.policyId } },
          body: { version_id: props.versionId, reason: reason.trim() },
        }),
      ),
    { success: 'Version rejected', invalidate: [['policies']], onSuccess: props.onClose },
  );
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Reject version">
      <Stack>
        <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button
          color="red"
          disabled={!reason.trim()}
          loading={reject.isPending}
          onClick={() => reject.mutate(undefined)}
        >
          Reject
        </Button>
      </Stack>
    </Modal>
  );
}

function EditModal(props: { opened: boolean; onClose: () => void; policyId: string; content: string }) {
  const [content, setContent] = useState(props.content);
  const [summary, setSummary] = useState('');
  const save = useApiMutation(
    (submit: boolean) =>
      unwrap(
        api.PUT('/api/policies/{policy_id}', {
          params: { path: { policy_id: props.policyId } },
          body: { content, submit, ...(summary.trim() ? { change_summary: summary.trim() } : {}) },
        }),
      ),
    {
      success: (v) =>
        v.status === 'PENDING_APPROVAL'
          ? `Version ${v.number} submitted for approval`
          : `Draft v${v.number} saved`,
      invalidate: [['policies']],
      onSuccess: props.onClose,
    },
  );
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Edit policy" size="xl">
      <Stack>
        <Tabs defaultValue="write">
          <Tabs.List>
            <Tabs.Tab value="write">Markdown</Tabs.Tab>
            <Tabs.Tab value="preview">Preview</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="write" pt="xs">
            <Textarea
              label="Content (Markdown)"
              autosize
              minRows={12}
              maxRows={24}
              value={content}
              onChange={(e) => setContent(e.currentTarget.value)}
            />
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="xs">
            <Typography>
              <Markdown>{content}</Markdown>
            </Typography>
          </Tabs.Panel>
        </Tabs>
        <TextInput
          label="Change summary"
          value={summary}
          onChange={(e) => setSummary(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button
            variant="default"
            loading={save.isPending}
            onClick={() => save.mutate(false)}
            disabled={!content.trim()}
          >
            Save draft
          </Button>
          <Button loading={save.isPending} onClick={() => save.mutate(true)} disabled={!content.trim()}>
            Submit for approval
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
