import { Button, Card, Group, Modal, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMemberNames, useMembers, useTeams } from '../api/lookups';
import { DataTable } from '../components/DataTable';
import { DateTime, LevelBadge, StatusBadge } from '../components/format';
import { ObligationDrawer } from '../components/Ladder';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import { ReminderEvidence } from './ReminderEvidence';

const OPEN = new Set(['PENDING', 'NOTIFIED', 'ACKNOWLEDGED', 'ESCALATED', 'OVERDUE']);
const invalidate = [['reminders'], ['reports'], ['ladder']] as const;

type Dialog = { kind: 'complete' | 'skip' | 'reassign'; id: string } | null;

/** A reminder's instances: acknowledge, complete (with evidence), skip with a reason, reassign, details. */
export function ReminderInstances({
  reminder,
}: {
  reminder: { id: string; title: string; requires_evidence: boolean };
}) {
  const session = useSession();
  const ws = session.workspace_id;
  const names = useMemberNames();
  const teams = useTeams();
  const teamName = (id: string | null) =>
    id ? (teams.data?.data.find((t) => t.id === id)?.name ?? '—') : '—';
  const [dialog, setDialog] = useState<Dialog>(null);
  const [detail, setDetail] = useState<string | null>(null);
  const instances = useQuery({
    queryKey: ['reminders', reminder.id, 'instances'],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/reminders/{id}/instances', {
          params: { path: { ws, id: reminder.id }, query: { limit: 50 } },
        }),
      ),
    refetchInterval: 5_000,
  });
  const acknowledge = useApiMutation(
    (id: string) =>
      unwrap(
        api.POST('/workspaces/{ws}/reminders/instances/{id}/acknowledge', {
          params: { path: { ws, id } },
          body: {},
        }),
      ),
    { success: 'Instance acknowledged', invalidate },
  );
  const canAct = hasRole(session, ROLES.act);
  const canAssign = hasRole(session, ROLES.assign);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Instances of {reminder.title}
        {reminder.requires_evidence ? ' (evidence required)' : ''}
      </Title>
      <QueryState query={instances} label="instances">
        {(r) => (
          <DataTable
            caption="Instances of the selected reminder"
            rows={r.data}
            rowKey={(i) => i.id}
            empty="No instance yet: the first is created when it is due."
            columns={[
              {
                key: 'due',
                header: 'Due',
                render: (i) => <DateTime value={i.due_date} />,
                sortValue: (i) => i.due_date,
              },
              { key: 'status', header: 'Status', render: (i) => <StatusBadge status={i.status} /> },
              {
                key: 'level',
                header: 'Level',
                render: (i) => <LevelBadge level={i.current_escalation_level} />,
              },
              { key: 'owner', header: 'Owner', render: (i) => names(i.assigned_owner_id) },
              { key: 'team', header: 'Team', render: (i) => teamName(i.assigned_team_id) },
              {
                key: 'evidence',
                header: 'Evidence',
                render: (i) =>
                  i.status === 'COMPLETED' ? (
                    <ReminderEvidence instanceId={i.id} links={i.evidence_links} />
                  ) : (
                    '—'
                  ),
              },
              {
                key: 'actions',
                header: 'Actions',
                render: (i) => (
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setDetail(i.id)}
                      aria-label="Instance details"
                    >
                      Details
                    </Button>
                    {OPEN.has(i.status) && (
                      <>
                        <RoleButton
                          allowed={canAct && i.status !== 'ACKNOWLEDGED'}
                          size="xs"
                          variant="light"
                          onClick={() => acknowledge.mutate(i.id)}
                        >
                          Acknowledge
                        </RoleButton>
                        <RoleButton
                          allowed={canAct}
                          size="xs"
                          variant="light"
                          onClick={() => setDialog({ kind: 'complete', id: i.id })}
                        >
                          Complete
                        </RoleButton>
                        <RoleButton
                          allowed={canAct}
                          size="xs"
                          variant="light"
                          color="gray"
                          onClick={() => setDialog({ kind: 'skip', id: i.id })}
                        >
                          Skip
                        </RoleButton>
                        <RoleButton
                          allowed={canAssign}
                          size="xs"
                          variant="light"
                          color="grape"
                          onClick={() => setDialog({ kind: 'reassign', id: i.id })}
                        >
                          Reassign
                        </RoleButton>
                      </>
                    )}
                  </Group>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      {dialog && (
        <InstanceDialog
          dialog={dialog}
          evidence={reminder.requires_evidence}
          onClose={() => setDialog(null)}
        />
      )}
      <ObligationDrawer ws={ws} kind="reminder_instance" id={detail} onClose={() => setDetail(null)}>
        {(() => {
          const i = instances.data?.data.find((x) => x.id === detail);
          if (!i) return null;
          return (
            <Stack gap={2}>
              <Text size="sm">
                Assigned to {names(i.assigned_owner_id)} / team {teamName(i.assigned_team_id)}
                {i.routed_via ? ` (routed via ${i.routed_via})` : ''}
              </Text>
              {i.completed_at && (
                <Text size="sm">
                  Completed <DateTime value={i.completed_at} /> by {names(i.completed_by_id)}
                  {i.completed_notes ? `: ${i.completed_notes}` : ''}
                </Text>
              )}
              {i.skip_reason && <Text size="sm">Skipped: {i.skip_reason}</Text>}
              {i.evidence_links.map((e) => (
                <Text size="sm" key={JSON.stringify(e)}>
                  Evidence: {String(e.title ?? e.url ?? e.document_id)}
                </Text>
              ))}
            </Stack>
          );
        })()}
      </ObligationDrawer>
    </Card>
  );
}

function InstanceDialog({
  dialog,
  evidence,
  onClose,
}: {
  dialog: NonNullable<Dialog>;
  evidence: boolean;
  onClose: () => void;
}) {
  const { workspace_id: ws } = useSession();
  const members = useMembers();
  const teams = useTeams();
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const [text, setText] = useState('');
  const [owner, setOwner] = useState<string | null>(null);
  const [team, setTeam] = useState<string | null>(null);
  const params = { path: { ws, id: dialog.id } };
  const run = useApiMutation(
    () => {
      if (dialog.kind === 'skip')
        return unwrap(
          api.POST('/workspaces/{ws}/reminders/instances/{id}/skip', {
            params,
            body: { reason: text.trim() },
          }),
        );
      if (dialog.kind === 'reassign')
        return unwrap(
          api.POST('/workspaces/{ws}/reminders/instances/{id}/reassign', {
            params,
            body: { owner_id: owner, team_id: team, reason: text.trim() || null },
          }),
        );
      return unwrap(
        api.POST('/workspaces/{ws}/reminders/instances/{id}/complete', {
          params,
          body: {
            notes: text.trim() || null,
            ...(url.trim() && { evidence_links: [{ url: url.trim(), title: label.trim() || 'Evidence' }] }),
          },
        }),
      );
    },
    { success: (i) => `Instance ${i.status.toLowerCase()}`, invalidate, onSuccess: onClose },
  );
  const valid =
    dialog.kind === 'skip'
      ? text.trim() !== ''
      : dialog.kind === 'reassign'
        ? owner !== null || team !== null
        : !evidence || url.trim() !== '';
  const title = { complete: 'Complete instance', skip: 'Skip instance', reassign: 'Reassign instance' }[
    dialog.kind
  ];
  return (
    <Modal opened onClose={onClose} title={title}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) run.mutate(undefined);
        }}
      >
        <Stack>
          {dialog.kind === 'complete' && (
            <>
              <TextInput
                label="Evidence link (URL)"
                required={evidence}
                description={evidence ? 'This reminder requires evidence' : undefined}
                value={url}
                onChange={(e) => setUrl(e.currentTarget.value)}
              />
              <TextInput
                label="Evidence title"
                value={label}
                onChange={(e) => setLabel(e.currentTarget.value)}
              />
            </>
          )}
          {dialog.kind === 'reassign' && (
            <>
              <Select
                label="New owner"
                clearable
                searchable
                data={memberOptions(members.data?.data ?? [])}
                value={owner}
                onChange={setOwner}
              />
              <Select
                label="New team"
                clearable
                data={(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
                value={team}
                onChange={setTeam}
              />
            </>
          )}
          <Textarea
            label={
              dialog.kind === 'skip' ? 'Reason' : dialog.kind === 'reassign' ? 'Reason (optional)' : 'Notes'
            }
            required={dialog.kind === 'skip'}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <Button type="submit" loading={run.isPending} disabled={!valid}>
            {title.split(' ')[0]}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
