import { Button, Card, Group, Progress, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMemberNames, useMembers } from '../api/lookups';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime, LevelBadge, percent, StatusBadge } from '../components/format';
import { ObligationDrawer } from '../components/Ladder';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import {
  BulkAssignModal,
  CreateTrainingModal,
  EditTrainingModal,
  type TrainingDefinition,
  WaiveModal,
} from './TrainingForms';

const STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'OVERDUE', 'WAIVED'] as const;
type Status = (typeof STATUSES)[number];

export function TrainingPage() {
  const session = useSession();
  const canConfigure = hasRole(session, ROLES.configure);
  const canAssign = hasRole(session, ROLES.assign);
  const names = useMemberNames();
  const members = useMembers();
  const [creating, setCreating] = useState(false);
  const [bulk, setBulk] = useState(false);
  const [waiving, setWaiving] = useState<string | null>(null);
  const [editing, setEditing] = useState<TrainingDefinition | null>(null);
  const [detail, setDetail] = useState<string | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [trainingFilter, setTrainingFilter] = useState<string | null>(null);
  const [memberFilter, setMemberFilter] = useState<string | null>(null);
  const trainings = useQuery({
    queryKey: ['trainings'],
    queryFn: () => unwrap(api.GET('/compliance/mandatory-training')),
    refetchInterval: 5_000,
  });
  const paging = useCursorPaging(`${status}:${trainingFilter}:${memberFilter}`);
  const assignments = useQuery({
    queryKey: ['assignments', status, trainingFilter, memberFilter, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/compliance/assignments', {
          params: {
            query: {
              limit: 25,
              cursor: paging.cursor,
              status: status ?? undefined,
              mandatory_training_id: trainingFilter ?? undefined,
              developer_id: memberFilter ?? undefined,
            },
          },
        }),
      ),
    refetchInterval: 5_000,
  });
  const trainingName = (id: string) => trainings.data?.data.find((t) => t.id === id)?.name ?? id.slice(0, 8);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Training</Title>
        <Group>
          <RoleButton allowed={canAssign} variant="default" onClick={() => setBulk(true)}>
            Bulk assign
          </RoleButton>
          <RoleButton allowed={canConfigure} onClick={() => setCreating(true)}>
            New training
          </RoleButton>
        </Group>
      </Group>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Definitions
        </Title>
        <QueryState query={trainings} label="trainings">
          {(r) => (
            <DataTable
              caption="Mandatory trainings with assignment statistics"
              rows={r.data}
              rowKey={(t) => t.id}
              empty="No training yet. Create one to assign it."
              columns={[
                { key: 'name', header: 'Name', render: (t) => t.name, sortValue: (t) => t.name },
                {
                  key: 'scope',
                  header: 'Applies to',
                  render: (t) =>
                    t.applies_to_type === 'ALL'
                      ? 'Everyone'
                      : `${t.applies_to_type} (${t.applies_to_ids.length})`,
                },
                {
                  key: 'assigned',
                  header: 'Assigned',
                  render: (t) => t.stats.assigned,
                  sortValue: (t) => t.stats.assigned,
                },
                {
                  key: 'overdue',
                  header: 'Overdue',
                  render: (t) => t.stats.overdue,
                  sortValue: (t) => t.stats.overdue,
                },
                {
                  key: 'rate',
                  header: 'Completion',
                  sortValue: (t) => t.stats.completion_rate,
                  render: (t) => (
                    <Group gap="xs" wrap="nowrap">
                      <Progress
                        value={t.stats.completion_rate ?? 0}
                        w={80}
                        aria-label={`Completion of ${t.name}`}
                      />
                      <Text size="sm">{percent(t.stats.completion_rate)}</Text>
                    </Group>
                  ),
                },
                {
                  key: 'active',
                  header: 'Status',
                  render: (t) => <StatusBadge status={t.is_active ? 'ACTIVE' : 'INACTIVE'} />,
                },
                {
                  key: 'edit',
                  header: 'Actions',
                  render: (t) => (
                    <RoleButton
                      allowed={canConfigure}
                      size="xs"
                      variant="light"
                      onClick={() => setEditing(t)}
                      aria-label={`Edit ${t.name}`}
                    >
                      Edit
                    </RoleButton>
                  ),
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Assignments
        </Title>
        <Group mb="sm" align="flex-end">
          <Select
            label="Status"
            clearable
            data={[...STATUSES]}
            value={status}
            onChange={(v) => setStatus(v as Status | null)}
            w={180}
          />
          <Select
            label="Training"
            clearable
            searchable
            data={(trainings.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={trainingFilter}
            onChange={setTrainingFilter}
            w={240}
          />
          <Select
            label="Person"
            clearable
            searchable
            data={memberOptions(members.data?.data ?? [])}
            value={memberFilter}
            onChange={setMemberFilter}
            w={260}
          />
        </Group>
        <QueryState query={assignments} label="assignments">
          {(r) => (
            <>
              <DataTable
                caption="Training assignments"
                rows={r.data}
                rowKey={(a) => a.id}
                empty="No assignment matches."
                columns={[
                  {
                    key: 'who',
                    header: 'Person',
                    render: (a) => names(a.developer_id),
                    sortValue: (a) => names(a.developer_id),
                  },
                  {
                    key: 'training',
                    header: 'Training',
                    render: (a) => trainingName(a.mandatory_training_id),
                    sortValue: (a) => trainingName(a.mandatory_training_id),
                  },
                  {
                    key: 'status',
                    header: 'Status',
                    render: (a) => <StatusBadge status={a.status} />,
                    sortValue: (a) => a.status,
                  },
                  {
                    key: 'due',
                    header: 'Due',
                    render: (a) => <DateTime value={a.due_date} />,
                    sortValue: (a) => a.due_date,
                  },
                  {
                    key: 'level',
                    header: 'Escalation',
                    render: (a) => <LevelBadge level={a.current_escalation_level} />,
                    sortValue: (a) => a.current_escalation_level,
                  },
                  {
                    key: 'progress',
                    header: 'Progress',
                    render: (a) => `${a.progress_percentage}%`,
                    sortValue: (a) => a.progress_percentage,
                  },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (a) => (
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => setDetail(a.id)}
                          aria-label={`Details of ${trainingName(a.mandatory_training_id)} for ${names(a.developer_id)}`}
                        >
                          Details
                        </Button>
                        {a.status === 'COMPLETED' || a.status === 'WAIVED' ? null : (
                          <RoleButton
                            allowed={canAssign}
                            size="xs"
                            variant="light"
                            color="orange"
                            onClick={() => setWaiving(a.id)}
                            aria-label={`Waive ${trainingName(a.mandatory_training_id)} for ${names(a.developer_id)}`}
                          >
                            Waive
                          </RoleButton>
                        )}
                      </Group>
                    ),
                  },
                ]}
              />
              <Pager paging={paging} nextCursor={r.next_cursor} label="Assignments" />
            </>
          )}
        </QueryState>
      </Card>
      <CreateTrainingModal opened={creating} onClose={() => setCreating(false)} />
      <BulkAssignModal opened={bulk} onClose={() => setBulk(false)} trainings={trainings.data?.data ?? []} />
      <WaiveModal assignmentId={waiving} onClose={() => setWaiving(null)} />
      <EditTrainingModal training={editing} onClose={() => setEditing(null)} />
      <ObligationDrawer
        ws={session.workspace_id}
        kind="training_assignment"
        id={detail}
        onClose={() => setDetail(null)}
      />
    </Stack>
  );
}
