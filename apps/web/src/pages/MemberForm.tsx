import { Button, Checkbox, Group, Modal, MultiSelect, Select, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMembers, useOrgRoles, useTeams } from '../api/lookups';
import type { Body, Reply } from '../api/types';
import { viewerTimeZone } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { ProblemAlert } from '../components/states';
import { fieldErrors, isClock, isEmail, isTimeZone, textProblem } from '../components/validation';
import { useSession } from '../session';

export type Member = Reply<'/workspaces/{ws}/members', 'get'>['data'][number];
type MemberBody = Body<'/workspaces/{ws}/members', 'post'>;
export const ACCESS_ROLES = ['ADMIN', 'APPROVER', 'MANAGER', 'MEMBER', 'AUDITOR'] as const;

/** Create a member, or edit one: access role, manager, teams, org roles, title, time zone, status. */
export function MemberModal({
  member,
  opened,
  onClose,
}: {
  member: Member | null;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={member ? `Edit ${member.name}` : 'New member'} size="lg">
      {opened && <MemberForm key={member?.id ?? 'new'} member={member} onDone={onClose} />}
    </Modal>
  );
}

function MemberForm({ member, onDone }: { member: Member | null; onDone: () => void }) {
  const { workspace_id: ws } = useSession();
  const members = useMembers();
  const teams = useTeams();
  const roles = useOrgRoles();
  const [name, setName] = useState(member?.name ?? '');
  const [email, setEmail] = useState(member?.email ?? '');
  const [title, setTitle] = useState(member?.title ?? '');
  const [timezone, setTimezone] = useState(member?.timezone ?? viewerTimeZone());
  const [accessRole, setAccessRole] = useState<Member['access_role']>(member?.access_role ?? 'MEMBER');
  const [manager, setManager] = useState<string | null>(member?.manager_id ?? null);
  const [teamIds, setTeamIds] = useState<string[]>(member?.team_ids ?? []);
  const [roleIds, setRoleIds] = useState<string[]>(member?.role_ids ?? []);
  const [slack, setSlack] = useState(member?.slack_user_id ?? '');
  const [status, setStatus] = useState<Member['status']>(member?.status ?? 'ACTIVE');
  const prefs = member?.notification_preferences ?? {};
  const [channels, setChannels] = useState<string[]>(prefs.channels ?? []);
  const [quiet, setQuiet] = useState(Boolean(prefs.quiet_hours));
  const [quietStart, setQuietStart] = useState(prefs.quiet_hours?.start ?? '22:00');
  const [quietEnd, setQuietEnd] = useState(prefs.quiet_hours?.end ?? '07:00');
  const [skipWeekends, setSkipWeekends] = useState(prefs.skip_weekends ?? false);
  const [digest, setDigest] = useState(prefs.daily_digest ?? true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useApiMutation(
    (body: MemberBody & { status?: Member['status'] }) =>
      member
        ? unwrap(
            api.PATCH('/workspaces/{ws}/members/{id}', { params: { path: { ws, id: member.id } }, body }),
          )
        : unwrap(api.POST('/workspaces/{ws}/members', { params: { path: { ws } }, body })),
    {
      success: (m) => (member ? `Saved ${m.name}` : `Added ${m.name}`),
      invalidate: [['members'], ['teams']],
      onSuccess: onDone,
    },
  );
  const shown = { ...fieldErrors(save.error), ...errors };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The API's rules (people/routes.ts memberBody): name 1–200, an email of at most 320
    // characters, an IANA time zone, title at most 200, a manager other than the member.
    const found: Record<string, string> = {};
    const n = textProblem(name, 200);
    if (n) found.name = n;
    if (!isEmail(email.trim()) || email.trim().length > 320) found.email = 'A valid email address';
    if (!isTimeZone(timezone)) found.timezone = 'Not an IANA time zone';
    if (title.length > 200) found.title = 'At most 200 characters';
    if (slack.length > 64) found.slack_user_id = 'At most 64 characters';
    if (member && manager === member.id) found.manager_id = 'A member cannot manage themselves';
    if (quiet && !isClock(quietStart)) found['notification_preferences.quiet_hours.start'] = 'Expected HH:MM';
    if (quiet && !isClock(quietEnd)) found['notification_preferences.quiet_hours.end'] = 'Expected HH:MM';
    setErrors(found);
    if (Object.keys(found).length) return;
    save.mutate({
      name: name.trim(),
      email: email.trim(),
      title: title.trim() || null,
      timezone,
      access_role: accessRole,
      manager_id: manager,
      team_ids: teamIds,
      role_ids: roleIds,
      slack_user_id: slack.trim() || null,
      notification_preferences: {
        ...(channels.length ? { channels: channels as Array<'email' | 'slack'> } : {}),
        quiet_hours: quiet ? { start: quietStart, end: quietEnd } : null,
        skip_weekends: skipWeekends,
        daily_digest: digest,
      },
      ...(member ? { status } : {}),
    });
  };
  const managers = memberOptions(
    (members.data?.data ?? []).filter((m) => m.id !== member?.id && m.status === 'ACTIVE'),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={shown.name}
        />
        <TextInput
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={shown.email}
        />
        <TextInput
          label="Job title"
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={shown.title}
        />
        <TextInput
          label="Time zone"
          description="IANA name, e.g. Europe/Paris"
          value={timezone}
          onChange={(e) => setTimezone(e.currentTarget.value.trim())}
          error={shown.timezone}
        />
        <Select
          label="Access role"
          data={[...ACCESS_ROLES]}
          value={accessRole}
          onChange={(v) => v && setAccessRole(v as Member['access_role'])}
          allowDeselect={false}
          error={shown.access_role}
        />
        <Select
          label="Manager"
          data={managers}
          value={manager}
          onChange={setManager}
          clearable
          searchable
          error={shown.manager_id}
        />
        <MultiSelect
          label="Teams"
          data={(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
          value={teamIds}
          onChange={setTeamIds}
          searchable
          error={shown.team_ids}
        />
        <MultiSelect
          label="Org roles"
          data={(roles.data?.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          value={roleIds}
          onChange={setRoleIds}
          searchable
          error={shown.role_ids}
        />
        <TextInput
          label="Slack user id"
          value={slack}
          onChange={(e) => setSlack(e.currentTarget.value)}
          error={shown.slack_user_id}
        />
        <Checkbox.Group
          label="Notification channels"
          description="None chosen: the workspace's defaults"
          value={channels}
          onChange={setChannels}
        >
          <Group gap="md" mt={6}>
            <Checkbox value="email" label="Email" />
            <Checkbox value="slack" label="Slack" />
          </Group>
        </Checkbox.Group>
        <Checkbox
          label="Own quiet hours"
          checked={quiet}
          onChange={(e) => setQuiet(e.currentTarget.checked)}
        />
        {quiet && (
          <Group>
            <TextInput
              label="Member quiet from"
              description="HH:MM in the member's time zone"
              value={quietStart}
              onChange={(e) => setQuietStart(e.currentTarget.value.trim())}
              error={shown['notification_preferences.quiet_hours.start']}
            />
            <TextInput
              label="Member quiet until"
              description="HH:MM"
              value={quietEnd}
              onChange={(e) => setQuietEnd(e.currentTarget.value.trim())}
              error={shown['notification_preferences.quiet_hours.end']}
            />
          </Group>
        )}
        <Checkbox
          label="No notifications on weekends"
          checked={skipWeekends}
          onChange={(e) => setSkipWeekends(e.currentTarget.checked)}
        />
        <Checkbox
          label="Daily digest of open items"
          checked={digest}
          onChange={(e) => setDigest(e.currentTarget.checked)}
        />
        {member && (
          <Select
            label="Status"
            data={['ACTIVE', 'INACTIVE']}
            value={status}
            onChange={(v) => v && setStatus(v as Member['status'])}
            allowDeselect={false}
          />
        )}
        {save.error ? <ProblemAlert error={save.error} title="The member was not saved" /> : null}
        <Button type="submit" loading={save.isPending}>
          {member ? 'Save member' : 'Add member'}
        </Button>
      </Stack>
    </form>
  );
}
