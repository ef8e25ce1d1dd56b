import {
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMembers } from '../api/lookups';
import type { Body, Reply } from '../api/types';
import { useApiMutation } from '../components/mutation';
import { ProblemAlert } from '../components/states';
import { fieldErrors, isIntIn, textProblem } from '../components/validation';
import { useSession } from '../session';

export type Team = Reply<'/workspaces/{ws}/teams', 'get'>['data'][number];
type TeamBody = Body<'/workspaces/{ws}/teams', 'post'>;

/** `YYYY-MM-DDTHH:mm` in the viewer's zone, for a datetime-local input. */
const localInput = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** Create or edit a team: name, description, lead, members (replaced as a list) and its on-call rotation. */
export function TeamModal({
  team,
  opened,
  onClose,
}: {
  team: Team | null;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={team ? `Edit ${team.name}` : 'New team'} size="lg">
      {opened && <TeamForm key={team?.id ?? 'new'} team={team} onDone={onClose} />}
    </Modal>
  );
}

function TeamForm({ team, onDone }: { team: Team | null; onDone: () => void }) {
  const { workspace_id: ws } = useSession();
  const members = useMembers();
  const options = memberOptions((members.data?.data ?? []).filter((m) => m.status === 'ACTIVE'));
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const [lead, setLead] = useState<string | null>(team?.lead_id ?? null);
  const [memberIds, setMemberIds] = useState<string[]>(team?.member_ids ?? []);
  const [onCall, setOnCall] = useState(team?.on_call != null);
  const [rotation, setRotation] = useState<string[]>(team?.on_call?.member_ids ?? []);
  const [period, setPeriod] = useState<number | string>(team?.on_call?.period_days ?? 7);
  const [starts, setStarts] = useState(localInput(team?.on_call?.starts_at ?? new Date().toISOString()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useApiMutation(
    (body: TeamBody) =>
      team
        ? unwrap(api.PATCH('/workspaces/{ws}/teams/{id}', { params: { path: { ws, id: team.id } }, body }))
        : unwrap(api.POST('/workspaces/{ws}/teams', { params: { path: { ws } }, body })),
    {
      success: (t) => (team ? `Saved ${t.name}` : `Created ${t.name}`),
      invalidate: [['teams'], ['members']],
      onSuccess: onDone,
    },
  );
  const shown = { ...fieldErrors(save.error), ...errors };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The API's rules (people/routes.ts teamBody): name 1–200, description at most 2000, an
    // on-call rotation of 1–100 members, 1–365 days each, from a date and time.
    const found: Record<string, string> = {};
    const n = textProblem(name, 200);
    if (n) found.name = n;
    if (description.length > 2000) found.description = 'At most 2000 characters';
    if (onCall) {
      if (rotation.length < 1 || rotation.length > 100)
        found['on_call.member_ids'] = 'Choose 1 to 100 members';
      if (!isIntIn(period, 1, 365)) found['on_call.period_days'] = 'A whole number of days from 1 to 365';
      if (Number.isNaN(new Date(starts).getTime())) found['on_call.starts_at'] = 'A date and time';
    }
    setErrors(found);
    if (Object.keys(found).length) return;
    save.mutate({
      name: name.trim(),
      description: description.trim() || null,
      lead_id: lead,
      member_ids: memberIds,
      on_call: onCall
        ? { member_ids: rotation, period_days: Number(period), starts_at: new Date(starts).toISOString() }
        : null,
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Team name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={shown.name}
        />
        <Textarea
          label="Description"
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={shown.description}
        />
        <Select
          label="Team lead"
          data={options}
          value={lead}
          onChange={setLead}
          clearable
          searchable
          error={shown.lead_id}
        />
        <MultiSelect
          label="Team members"
          data={options}
          value={memberIds}
          onChange={setMemberIds}
          searchable
          error={shown.member_ids}
        />
        <Checkbox
          label="On-call rotation"
          checked={onCall}
          onChange={(e) => setOnCall(e.currentTarget.checked)}
        />
        {onCall && (
          <Group align="flex-start">
            <MultiSelect
              label="Rotation, in order"
              data={options}
              value={rotation}
              onChange={setRotation}
              searchable
              error={shown['on_call.member_ids']}
              w={300}
            />
            <NumberInput
              label="Days each"
              min={1}
              max={365}
              value={period}
              onChange={setPeriod}
              error={shown['on_call.period_days']}
              w={110}
            />
            <TextInput
              label="Starts"
              type="datetime-local"
              value={starts}
              onChange={(e) => setStarts(e.currentTarget.value)}
              error={shown['on_call.starts_at']}
            />
          </Group>
        )}
        {save.error ? <ProblemAlert error={save.error} title="The team was not saved" /> : null}
        <Button type="submit" loading={save.isPending}>
          {team ? 'Save team' : 'Create team'}
        </Button>
      </Stack>
    </form>
  );
}
