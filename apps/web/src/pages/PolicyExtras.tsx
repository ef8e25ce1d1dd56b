import { Alert, Card, Group, MultiSelect, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMembers, useOrgRoles } from '../api/lookups';
import { DateTime, StatusBadge } from '../components/format';
import { Ladder } from '../components/Ladder';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

/**
 * Which org roles a policy applies to (POST /api/roles/{role}/assign_policies): adding a role
 * uses mode ADD; removing one replaces that role's list without this policy.
 */
export function PolicyRoles({
  policy,
}: {
  policy: { id: string; applies_to_all: boolean; role_ids: string[] };
}) {
  const session = useSession();
  const roles = useOrgRoles();
  const [picked, setPicked] = useState<string[] | null>(null);
  const current = picked ?? policy.role_ids;
  const save = useApiMutation(
    async () => {
      const added = current.filter((r) => !policy.role_ids.includes(r));
      const removed = policy.role_ids.filter((r) => !current.includes(r));
      for (const role_id of added)
        await unwrap(
          api.POST('/api/roles/{role_id}/assign_policies', {
            params: { path: { role_id } },
            body: { policy_ids: [policy.id], mode: 'ADD' },
          }),
        );
      for (const role_id of removed) {
        const list = await unwrap(
          api.GET('/api/roles/{role_id}/policies', { params: { path: { role_id } } }),
        );
        const keep = list.data.map((p) => String(p.id)).filter((id) => id !== policy.id);
        await unwrap(
          api.POST('/api/roles/{role_id}/assign_policies', {
            params: { path: { role_id } },
            body: { policy_ids: keep, mode: 'REPLACE' },
          }),
        );
      }
      return added.length + removed.length;
    },
    {
      success: (n) => `Role mapping saved (${n} role(s) changed)`,
      invalidate: [['policies']],
      onSuccess: () => setPicked(null),
    },
  );
  const roleName = (id: string) => roles.data?.data.find((r) => r.id === id)?.name ?? id.slice(0, 8);
  const changed = picked !== null && [...current].sort().join() !== [...policy.role_ids].sort().join();
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Applies to
      </Title>
      <Text size="sm" mb="xs">
        {policy.role_ids.length === 0
          ? policy.applies_to_all
            ? 'Everyone (no org role is mapped).'
            : 'Nobody yet.'
          : `Members with the org role(s): ${policy.role_ids.map(roleName).join(', ')}.`}
      </Text>
      <Group align="flex-end">
        <MultiSelect
          label="Org roles"
          w={420}
          searchable
          data={(roles.data?.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          value={current}
          onChange={setPicked}
          disabled={!hasRole(session, ROLES.configure)}
        />
        <RoleButton
          allowed={hasRole(session, ROLES.configure)}
          disabled={!changed}
          onClick={() => save.mutate()}
        >
          Save role mapping
        </RoleButton>
      </Group>
    </Card>
  );
}

/** Prompts to adopt a newer version of the template this policy was made from. */
export function PolicyUpgradePrompts({ policyId }: { policyId: string }) {
  const session = useSession();
  const prompts = useQuery({
    queryKey: ['policies', 'upgrade-prompts'],
    queryFn: () =>
      unwrap(api.GET('/api/policy-upgrade-prompts', { params: { query: { status: 'PENDING' } } })),
  });
  const invalidate = [['policies']] as const;
  const accept = useApiMutation(
    (id: string) => unwrap(api.POST('/api/policy-upgrade-prompts/{id}/accept', { params: { path: { id } } })),
    { success: (r) => `Draft version ${r.version.number} created from the new template`, invalidate },
  );
  const dismiss = useApiMutation(
    (id: string) =>
      unwrap(api.POST('/api/policy-upgrade-prompts/{id}/dismiss', { params: { path: { id } } })),
    { success: 'Upgrade dismissed', invalidate },
  );
  const mine = (prompts.data?.data ?? []).filter((p) => p.policy_id === policyId);
  if (mine.length === 0) return null;
  return (
    <Stack gap="xs">
      {mine.map((p) => (
        <Alert
          key={p.id}
          color="blue"
          title="A newer template version is available"
          data-testid="upgrade-prompt"
        >
          <Group justify="space-between">
            <Text size="sm">
              This policy was made from template version {p.from_version ?? '?'}; version{' '}
              {p.to_version ?? '?'} is out. Accepting creates a draft with the new text, to review and submit.
            </Text>
            <Group gap="xs">
              <RoleButton
                allowed={hasRole(session, ROLES.configure)}
                size="xs"
                onClick={() => accept.mutate(p.id)}
              >
                Adopt version {p.to_version ?? ''}
              </RoleButton>
              <RoleButton
                allowed={hasRole(session, ROLES.configure)}
                size="xs"
                variant="default"
                onClick={() => dismiss.mutate(p.id)}
              >
                Dismiss
              </RoleButton>
            </Group>
          </Group>
        </Alert>
      ))}
    </Stack>
  );
}

/** One employee's acknowledgement of this policy, with the open request's ladder. */
export function PolicyAcknowledgement({ policyId }: { policyId: string }) {
  const session = useSession();
  const members = useMembers();
  const [employee, setEmployee] = useState<string | null>(null);
  const status = useQuery({
    queryKey: ['policies', 'ack-status', employee],
    queryFn: () =>
      unwrap(
        api.GET('/api/acknowledge/status', { params: { query: { employee_id: employee ?? undefined } } }),
      ),
    enabled: employee !== null,
    refetchInterval: 5_000,
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Acknowledgement by a member
      </Title>
      <Select
        label="Member"
        w={320}
        searchable
        clearable
        data={memberOptions(members.data?.data ?? [])}
        value={employee}
        onChange={setEmployee}
      />
      {employee && (
        <QueryState query={status} label="the acknowledgement">
          {(s) => {
            const row = s.data.find((r) => r.policy_id === policyId);
            if (!row?.applies)
              return (
                <Text size="sm" mt="xs">
                  This policy does not apply to this member.
                </Text>
              );
            return (
              <Stack mt="xs" gap="xs">
                <Group gap="xs">
                  <StatusBadge status={row.status} />
                  {row.due_at && (
                    <Text size="sm">
                      due <DateTime value={row.due_at} />
                    </Text>
                  )}
                  {row.last_acknowledged_at && (
                    <Text size="sm">
                      last acknowledged <DateTime value={row.last_acknowledged_at} />
                    </Text>
                  )}
                </Group>
                {row.request_id ? (
                  <Ladder ws={session.workspace_id} kind="acknowledgement_request" id={row.request_id} />
                ) : (
                  <Text size="sm">No open request: nothing can escalate.</Text>
                )}
              </Stack>
            );
          }}
        </QueryState>
      )}
    </Card>
  );
}
