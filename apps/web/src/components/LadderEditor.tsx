import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { memberOptions, useMembers, useTeams } from '../api/lookups';
import type { Body } from '../api/types';
import { durationMs, durationProblem } from './validation';

export type Rung = Body<'/workspaces/{ws}/escalation-matrices', 'post'>['rules'][number];
type Target = Rung['target'];
type TargetType = Target['type'];

export const LEVELS = ['L1', 'L2', 'L3', 'L4'] as const;
const TARGETS: Array<{ value: TargetType; label: string }> = [
  { value: 'TEAM_LEAD', label: 'Team lead' },
  { value: 'MANAGER', label: 'Manager' },
  { value: 'DIRECTOR', label: 'Director (settings contact)' },
  { value: 'VP_EXEC', label: 'VP / exec (settings contact)' },
  { value: 'CXO', label: 'CXO (settings contact)' },
  { value: 'MEMBERS', label: 'Named members' },
  { value: 'TEAM', label: 'A team' },
];
const CHANNELS = ['email', 'slack', 'log'] as const;
const DEFAULT_AFTER = ['PT24H', 'PT48H', 'PT72H', 'PT96H'];

export const newRung = (index: number): Rung => ({
  level: LEVELS[Math.min(index, 3)] ?? 'L4',
  after: DEFAULT_AFTER[index] ?? 'PT96H',
  target: { type: index === 0 ? 'TEAM_LEAD' : 'MANAGER' },
  channels: ['email'],
});

const targetOf = (type: TargetType, previous: Target): Target =>
  type === 'MEMBERS'
    ? { type, ids: previous.type === 'MEMBERS' ? previous.ids : [] }
    : type === 'TEAM'
      ? { type, id: previous.type === 'TEAM' ? previous.id : '' }
      : { type };

/**
 * The API's ladder rules (escalation/api-schemas.ts): `min`–4 levels, in increasing order, each
 * `after` between 1 second and 5 years and no earlier than the level before, 1–3 channels,
 * MEMBERS naming 1–50 members and TEAM a team. Messages keyed like the API's fields (`rules.1.after`).
 */
export function ladderProblems(rungs: Rung[], field: string, min: number): Record<string, string> {
  const out: Record<string, string> = {};
  if (rungs.length < min) out[field] = `At least ${min} level`;
  if (rungs.length > 4) out[field] = 'At most 4 levels';
  rungs.forEach((r, i) => {
    const at = `${field}.${i}`;
    const problem = durationProblem(r.after);
    if (problem) out[`${at}.after`] = problem;
    const prev = rungs[i - 1];
    if (prev) {
      if (LEVELS.indexOf(r.level) <= LEVELS.indexOf(prev.level))
        out[`${at}.level`] = 'Levels must be in increasing order (L1 before L2 ...)';
      if (!problem && durationMs(r.after) < durationMs(prev.after))
        out[`${at}.after`] = `Earlier than ${prev.level}'s after`;
    }
    if (r.channels.length < 1) out[`${at}.channels`] = 'Choose at least one channel';
    if (r.target.type === 'MEMBERS' && (r.target.ids.length < 1 || r.target.ids.length > 50))
      out[`${at}.target.ids`] = 'Choose 1 to 50 members';
    if (r.target.type === 'TEAM' && !r.target.id) out[`${at}.target.id`] = 'Choose a team';
    if (r.status !== undefined && r.status.length > 32) out[`${at}.status`] = 'At most 32 characters';
  });
  return out;
}

/** Edits a ladder: each level's name, delay, target and channels (and, for matrices, a ticket status). */
export function LadderEditor({
  value,
  onChange,
  errors,
  field,
  withStatus = false,
  delayHelp,
}: {
  value: Rung[];
  onChange: (rungs: Rung[]) => void;
  errors: Record<string, string>;
  field: string;
  withStatus?: boolean;
  delayHelp: string;
}) {
  const members = useMembers();
  const teams = useTeams();
  const set = (i: number, patch: Partial<Rung>) =>
    onChange(value.map((r, j) => (j === i ? ({ ...r, ...patch } as Rung) : r)));
  return (
    <Stack gap="xs">
      {errors[field] && (
        <Text c="red" size="sm" role="alert">
          {errors[field]}
        </Text>
      )}
      {value.map((r, i) => {
        const at = `${field}.${i}`;
        const name = `Level ${i + 1}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: levels are positions in the ladder
          <Card withBorder key={i} p="sm" role="group" aria-label={name}>
            <Group align="flex-start" wrap="wrap">
              <Select
                label={`${name} name`}
                data={[...LEVELS]}
                value={r.level}
                onChange={(v) => v && set(i, { level: v as Rung['level'] })}
                error={errors[`${at}.level`]}
                allowDeselect={false}
                w={110}
              />
              <TextInput
                label={`${name} after`}
                description={delayHelp}
                value={r.after}
                onChange={(e) => set(i, { after: e.currentTarget.value.trim().toUpperCase() })}
                error={errors[`${at}.after`]}
                w={170}
              />
              <Select
                label={`${name} target`}
                data={TARGETS}
                value={r.target.type}
                onChange={(v) => v && set(i, { target: targetOf(v as TargetType, r.target) })}
                allowDeselect={false}
                w={220}
              />
              {r.target.type === 'MEMBERS' && (
                <MultiSelect
                  label={`${name} members`}
                  data={memberOptions(members.data?.data ?? [])}
                  value={r.target.ids}
                  onChange={(ids) => set(i, { target: { type: 'MEMBERS', ids } })}
                  error={errors[`${at}.target.ids`]}
                  searchable
                  w={260}
                />
              )}
              {r.target.type === 'TEAM' && (
                <Select
                  label={`${name} team`}
                  data={(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
                  value={r.target.id || null}
                  onChange={(id) => set(i, { target: { type: 'TEAM', id: id ?? '' } })}
                  error={errors[`${at}.target.id`]}
                  w={220}
                />
              )}
              <Checkbox.Group
                label={`${name} channels`}
                value={r.channels}
                onChange={(v) => set(i, { channels: v as Rung['channels'] })}
                error={errors[`${at}.channels`]}
              >
                <Group gap="xs" mt={6}>
                  {CHANNELS.map((c) => (
                    <Checkbox key={c} value={c} label={c} />
                  ))}
                </Group>
              </Checkbox.Group>
              {withStatus && (
                <TextInput
                  label={`${name} ticket status`}
                  description="Only while the ticket has this status"
                  value={r.status ?? ''}
                  onChange={(e) => {
                    const status = e.currentTarget.value.trim();
                    const { status: _old, ...rest } = r;
                    onChange(value.map((x, j) => (j === i ? (status ? { ...rest, status } : rest) : x)));
                  }}
                  error={errors[`${at}.status`]}
                  w={170}
                />
              )}
              <ActionIcon
                variant="subtle"
                color="red"
                mt={24}
                aria-label={`Remove ${name}`}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                ✕
              </ActionIcon>
            </Group>
          </Card>
        );
      })}
      <Group>
        <Button
          variant="default"
          size="xs"
          disabled={value.length >= 4}
          onClick={() => onChange([...value, newRung(value.length)])}
        >
          Add level
        </Button>
      </Group>
    </Stack>
  );
}
