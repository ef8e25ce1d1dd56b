import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useMemberNames } from '../api/lookups';
import { DataTable } from '../components/DataTable';
import { StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import {
  invalidate,
  MappingModal,
  type Owner,
  OwnerModal,
  type Rule,
  RuleModal,
  useTeamOptions,
} from './ReminderRoutingForms';

/** Routing of new instances: control owners, domain → team mappings and assignment rules (admins edit). */
export function ReminderRouting() {
  const session = useSession();
  const ws = session.workspace_id;
  const canEdit = hasRole(session, ROLES.configure);
  const names = useMemberNames();
  const teams = useTeamOptions();
  const [owner, setOwner] = useState<Owner | 'new' | null>(null);
  const [rule, setRule] = useState<Rule | 'new' | null>(null);
  const [mapping, setMapping] = useState(false);
  const p = { params: { path: { ws } } };
  const owners = useQuery({
    queryKey: ['reminder-routing', 'owners'],
    queryFn: () => unwrap(api.GET('/workspaces/{ws}/reminders/control-owners', p)),
  });
  const mappings = useQuery({
    queryKey: ['reminder-routing', 'mappings'],
    queryFn: () => unwrap(api.GET('/workspaces/{ws}/reminders/domain-team-mappings', p)),
  });
  const rules = useQuery({
    queryKey: ['reminder-routing', 'rules'],
    queryFn: () => unwrap(api.GET('/workspaces/{ws}/reminders/assignment-rules', p)),
  });
  const remove = useApiMutation(
    (v: { what: 'control-owners' | 'domain-team-mappings' | 'assignment-rules'; id: string }) => {
      const params = { path: { ws, id: v.id } };
      if (v.what === 'control-owners')
        return unwrap(api.DELETE('/workspaces/{ws}/reminders/control-owners/{id}', { params }));
      if (v.what === 'domain-team-mappings')
        return unwrap(api.DELETE('/workspaces/{ws}/reminders/domain-team-mappings/{id}', { params }));
      return unwrap(api.DELETE('/workspaces/{ws}/reminders/assignment-rules/{id}', { params }));
    },
    { success: 'Deleted', invalidate },
  );
  const del = (what: Parameters<typeof remove.mutate>[0]['what'], id: string, label: string) => (
    <RoleButton
      allowed={canEdit}
      size="xs"
      variant="light"
      color="red"
      aria-label={`Delete ${label}`}
      onClick={() => window.confirm(`Delete ${label}?`) && remove.mutate({ what, id })}
    >
      Delete
    </RoleButton>
  );
  const edit = (label: string, onClick: () => void) => (
    <RoleButton allowed={canEdit} size="xs" variant="light" aria-label={`Edit ${label}`} onClick={onClick}>
      Edit
    </RoleButton>
  );
  const section = (title: string, add: () => void, body: ReactNode) => (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        <RoleButton allowed={canEdit} size="xs" onClick={add}>
          Add
        </RoleButton>
      </Group>
      {body}
    </Card>
  );
  return (
    <Stack>
      <Text size="sm">
        A reminder's assignment strategy picks the owner of each new instance: DOMAIN_MAPPING uses the control
        owners and domain mappings, CUSTOM_RULE the first matching rule by priority; each falls back to the
        reminder's default owner, then its default team.
      </Text>
      {section(
        'Control owners',
        () => setOwner('new'),
        <QueryState query={owners} label="control owners">
          {(r) => (
            <DataTable
              caption="Control owners"
              rows={r.data}
              rowKey={(o) => o.id}
              empty="No control owner yet."
              columns={[
                {
                  key: 'control',
                  header: 'Control',
                  render: (o) => o.control_id,
                  sortValue: (o) => o.control_id,
                },
                { key: 'domain', header: 'Domain', render: (o) => o.domain ?? '—' },
                { key: 'primary', header: 'Primary', render: (o) => names(o.primary_owner_id) },
                { key: 'backup', header: 'Backup', render: (o) => names(o.backup_owner_id) },
                { key: 'team', header: 'Team', render: (o) => teams.name(o.team_id) },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (o) => (
                    <Group gap={4} wrap="nowrap">
                      {edit(`control ${o.control_id}`, () => setOwner(o))}
                      {del('control-owners', o.id, `control ${o.control_id}`)}
                    </Group>
                  ),
                },
              ]}
            />
          )}
        </QueryState>,
      )}
      {section(
        'Domain → team mappings',
        () => setMapping(true),
        <QueryState query={mappings} label="domain mappings">
          {(r) => (
            <DataTable
              caption="Domain to team mappings"
              rows={r.data}
              rowKey={(m) => m.id}
              empty="No domain mapping yet."
              columns={[
                { key: 'domain', header: 'Domain', render: (m) => m.domain, sortValue: (m) => m.domain },
                { key: 'team', header: 'Team', render: (m) => teams.name(m.team_id) },
                {
                  key: 'priority',
                  header: 'Priority',
                  render: (m) => m.priority,
                  sortValue: (m) => m.priority,
                },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (m) => del('domain-team-mappings', m.id, `mapping ${m.domain}`),
                },
              ]}
            />
          )}
        </QueryState>,
      )}
      {section(
        'Assignment rules',
        () => setRule('new'),
        <QueryState query={rules} label="assignment rules">
          {(r) => (
            <DataTable
              caption="Assignment rules"
              rows={r.data}
              rowKey={(x) => x.id}
              empty="No assignment rule yet."
              columns={[
                { key: 'name', header: 'Rule', render: (x) => x.name, sortValue: (x) => x.name },
                {
                  key: 'priority',
                  header: 'Priority',
                  render: (x) => x.priority,
                  sortValue: (x) => x.priority,
                },
                {
                  key: 'when',
                  header: 'When',
                  render: (x) =>
                    Object.entries(x.rule_config.conditions)
                      .map(([k, v]) => `${k}: ${(v as string[]).join(', ')}`)
                      .join('; ') || 'always',
                },
                {
                  key: 'assign',
                  header: 'Assigns',
                  render: (x) =>
                    [
                      x.rule_config.assign.owner_id && names(x.rule_config.assign.owner_id),
                      x.rule_config.assign.team_id && `team ${teams.name(x.rule_config.assign.team_id)}`,
                      x.rule_config.assign.strategy?.toLowerCase(),
                    ]
                      .filter(Boolean)
                      .join(', '),
                },
                {
                  key: 'active',
                  header: 'Status',
                  render: (x) => <StatusBadge status={x.is_active ? 'ACTIVE' : 'INACTIVE'} />,
                },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (x) => (
                    <Group gap={4} wrap="nowrap">
                      {edit(`rule ${x.name}`, () => setRule(x))}
                      {del('assignment-rules', x.id, `rule ${x.name}`)}
                    </Group>
                  ),
                },
              ]}
            />
          )}
        </QueryState>,
      )}
      {owner && <OwnerModal owner={owner === 'new' ? null : owner} onClose={() => setOwner(null)} />}
      {rule && <RuleModal rule={rule === 'new' ? null : rule} onClose={() => setRule(null)} />}
      {mapping && <MappingModal onClose={() => setMapping(false)} />}
    </Stack>
  );
}
