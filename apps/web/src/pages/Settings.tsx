import {
  Card,
  Checkbox,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMembers } from '../api/lookups';
import type { Body, Reply } from '../api/types';
import { DateTime } from '../components/format';
import { LadderEditor, type Rung } from '../components/LadderEditor';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { ProblemAlert, QueryState } from '../components/states';
import { fieldErrors } from '../components/validation';
import { hasRole, ROLES, useSession } from '../session';
import { settingsProblems } from './settings-rules';

export type Settings = Reply<'/workspaces/{ws}/settings', 'get'>;
export type SettingsBody = Body<'/workspaces/{ws}/settings', 'patch'>;

/** Workspace settings: escalation contacts, deadlines and cadence, quiet hours, default ladder, compliance thresholds. */
export function SettingsPage() {
  const { workspace_id: ws } = useSession();
  const settings = useQuery({
    queryKey: ['settings', ws],
    queryFn: () => unwrap(api.GET('/workspaces/{ws}/settings', { params: { path: { ws } } })),
  });
  return (
    <Stack>
      <Title order={1}>Workspace settings</Title>
      <QueryState query={settings} label="settings">
        {(s) => <SettingsForm key={s.updated_at} settings={s} />}
      </QueryState>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder role="group" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

const num = (v: number | string) => (v === '' ? Number.NaN : Number(v));

function SettingsForm({ settings: s }: { settings: Settings }) {
  const session = useSession();
  const ws = session.workspace_id;
  const isAdmin = hasRole(session, ROLES.configure);
  const members = useMembers();
  const people = memberOptions((members.data?.data ?? []).filter((m) => m.status === 'ACTIVE'));
  const [director, setDirector] = useState(s.director_contact_id);
  const [vpExec, setVpExec] = useState(s.vp_exec_contact_id);
  const [cxo, setCxo] = useState(s.cxo_contact_id);
  const [approver, setApprover] = useState(s.policy_approver_id);
  const [ackDays, setAckDays] = useState<number | string>(s.ack_deadline_days);
  const [certDays, setCertDays] = useState<number | string>(s.cert_expiring_days);
  const [offsets, setOffsets] = useState<string[]>(s.reminder_offsets);
  const [intervalHours, setIntervalHours] = useState<number | string>(s.reminder_interval_hours);
  const [digestHour, setDigestHour] = useState<number | string>(s.digest_hour_utc);
  const [quiet, setQuiet] = useState(s.quiet_hours !== null);
  const [quietStart, setQuietStart] = useState(s.quiet_hours?.start ?? '22:00');
  const [quietEnd, setQuietEnd] = useState(s.quiet_hours?.end ?? '07:00');
  const [skipWeekends, setSkipWeekends] = useState(s.skip_weekends);
  const [periodic, setPeriodic] = useState(s.periodic_ack !== null);
  const [month, setMonth] = useState<number | string>(s.periodic_ack?.month ?? 1);
  const [day, setDay] = useState<number | string>(s.periodic_ack?.day ?? 15);
  const [ownThresholds, setOwnThresholds] = useState(s.compliance_thresholds !== null);
  const [atRisk, setAtRisk] = useState<number | string>(s.compliance_thresholds?.at_risk ?? 1);
  const [nonCompliant, setNonCompliant] = useState<number | string>(
    s.compliance_thresholds?.non_compliant ?? 5,
  );
  const [ladder, setLadder] = useState<Rung[]>((s.default_ladder as Rung[] | null) ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useApiMutation(
    (body: SettingsBody) =>
      unwrap(api.PATCH('/workspaces/{ws}/settings', { params: { path: { ws } }, body })),
    { success: 'Settings saved', invalidate: [['settings']] },
  );
  const shown = { ...fieldErrors(save.error), ...errors };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: SettingsBody = {
      director_contact_id: director,
      vp_exec_contact_id: vpExec,
      cxo_contact_id: cxo,
      policy_approver_id: approver,
      ack_deadline_days: num(ackDays),
      cert_expiring_days: num(certDays),
      reminder_offsets: offsets,
      reminder_interval_hours: num(intervalHours),
      digest_hour_utc: num(digestHour),
      quiet_hours: quiet ? { start: quietStart, end: quietEnd } : null,
      skip_weekends: skipWeekends,
      periodic_ack: periodic ? { month: num(month), day: num(day) } : null,
      compliance_thresholds: ownThresholds
        ? {
            at_risk: num(atRisk),
            non_compliant: num(nonCompliant),
            ...(s.compliance_thresholds?.categories
              ? { categories: s.compliance_thresholds.categories }
              : {}),
          }
        : null,
      default_ladder: ladder.length ? ladder : null,
    };
    const found = settingsProblems(body);
    setErrors(found);
    if (!Object.keys(found).length) save.mutate(body);
  };
  const contact = (label: string, value: string | null, set: (v: string | null) => void, field: string) => (
    <Select
      label={label}
      data={people}
      value={value}
      onChange={set}
      clearable
      searchable
      error={shown[field]}
    />
  );
  return (
    <form onSubmit={submit} noValidate aria-label="Workspace settings">
      <Stack>
        <Text size="sm" c="dimmed">
          Last changed <DateTime value={s.updated_at} />. {isAdmin ? '' : 'Only admins change settings.'}
        </Text>
        <Section title="Escalation contacts">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {contact('Director (L3)', director, setDirector, 'director_contact_id')}
            {contact('VP / exec (L4)', vpExec, setVpExec, 'vp_exec_contact_id')}
            {contact('CXO', cxo, setCxo, 'cxo_contact_id')}
            {contact('Policy approver', approver, setApprover, 'policy_approver_id')}
          </SimpleGrid>
        </Section>
        <Section title="Deadlines and reminders">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label="Acknowledgement deadline (days)"
              min={1}
              max={365}
              value={ackDays}
              onChange={setAckDays}
              error={shown.ack_deadline_days}
            />
            <NumberInput
              label="Certification expiring soon (days)"
              min={1}
              max={365}
              value={certDays}
              onChange={setCertDays}
              error={shown.cert_expiring_days}
            />
            <TagsInput
              label="Reminder offsets before a deadline"
              description="ISO-8601 durations, e.g. P7D, P1D, PT0S (at the deadline); Enter after each"
              value={offsets}
              onChange={(v) => setOffsets(v.map((x) => x.trim().toUpperCase()))}
              error={
                shown.reminder_offsets ??
                Object.entries(shown).find(([k]) => k.startsWith('reminder_offsets.'))?.[1]
              }
            />
            <NumberInput
              label="Overdue reminder interval (hours)"
              min={1}
              max={720}
              value={intervalHours}
              onChange={setIntervalHours}
              error={shown.reminder_interval_hours}
            />
            <NumberInput
              label="Daily digest hour (UTC)"
              min={0}
              max={23}
              value={digestHour}
              onChange={setDigestHour}
              error={shown.digest_hour_utc}
            />
          </SimpleGrid>
        </Section>
        <Section title="Quiet hours">
          <Stack>
            <Checkbox
              label="Hold notifications during quiet hours"
              checked={quiet}
              onChange={(e) => setQuiet(e.currentTarget.checked)}
            />
            {quiet && (
              <Group>
                <TextInput
                  label="Quiet from"
                  description="HH:MM, member's time zone"
                  value={quietStart}
                  onChange={(e) => setQuietStart(e.currentTarget.value.trim())}
                  error={shown['quiet_hours.start']}
                  w={180}
                />
                <TextInput
                  label="Quiet until"
                  description="HH:MM"
                  value={quietEnd}
                  onChange={(e) => setQuietEnd(e.currentTarget.value.trim())}
                  error={shown['quiet_hours.end']}
                  w={180}
                />
              </Group>
            )}
            <Checkbox
              label="Skip weekends"
              checked={skipWeekends}
              onChange={(e) => setSkipWeekends(e.currentTarget.checked)}
            />
          </Stack>
        </Section>
        <Section title="Yearly policy acknowledgement">
          <Checkbox
            label="Ask everyone to acknowledge their policies once a year"
            checked={periodic}
            onChange={(e) => setPeriodic(e.currentTarget.checked)}
          />
          {periodic && (
            <Group mt="sm">
              <NumberInput
                label="Month"
                min={1}
                max={12}
                value={month}
                onChange={setMonth}
                error={shown['periodic_ack.month']}
                w={120}
              />
              <NumberInput
                label="Day"
                min={1}
                max={28}
                value={day}
                onChange={setDay}
                error={shown['periodic_ack.day']}
                w={120}
              />
            </Group>
          )}
        </Section>
        <Section title="Compliance thresholds">
          <Checkbox
            label="Use workspace thresholds (default: at risk from 1 item, non-compliant from 5)"
            checked={ownThresholds}
            onChange={(e) => setOwnThresholds(e.currentTarget.checked)}
          />
          {ownThresholds && (
            <Group mt="sm">
              <NumberInput
                label="At risk from (items)"
                min={1}
                value={atRisk}
                onChange={setAtRisk}
                error={shown['compliance_thresholds.at_risk']}
                w={200}
              />
              <NumberInput
                label="Non-compliant from (items)"
                min={1}
                value={nonCompliant}
                onChange={setNonCompliant}
                error={shown['compliance_thresholds.non_compliant']}
                w={220}
              />
            </Group>
          )}
        </Section>
        <Section title="Default escalation ladder">
          <Text size="sm" c="dimmed" mb="xs">
            Used by obligations with no ladder of their own and no matching matrix. No level: no escalation by
            default.
          </Text>
          <LadderEditor
            value={ladder}
            onChange={setLadder}
            errors={shown}
            field="default_ladder"
            delayHelp="After the deadline, e.g. PT24H"
          />
        </Section>
        {save.error ? <ProblemAlert error={save.error} title="The settings were not saved" /> : null}
        <Group>
          <RoleButton allowed={isAdmin} type="submit" loading={save.isPending}>
            Save settings
          </RoleButton>
          {Object.keys(errors).length > 0 && (
            <Text size="sm" c="red" role="alert">
              Check the highlighted fields.
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
