import {
  Button,
  Modal,
  MultiSelect,
  NumberInput,
  Stack,
  Switch,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useTeams } from '../api/lookups';
import type { Body, Reply } from '../api/types';
import { LadderEditor, ladderProblems, newRung, type Rung } from '../components/LadderEditor';
import { useApiMutation } from '../components/mutation';
import { ProblemAlert } from '../components/states';
import { fieldErrors, isIntIn, textProblem } from '../components/validation';
import { useSession } from '../session';

export type Matrix = Reply<'/workspaces/{ws}/escalation-matrices', 'get'>['data'][number];
type MatrixBody = Body<'/workspaces/{ws}/escalation-matrices', 'post'>;

/** The API's matrix rules (escalation/routes.ts matrixBody) beyond the ladder's. */
function matrixProblems(b: MatrixBody): Record<string, string> {
  const out: Record<string, string> = { ...ladderProblems(b.rules, 'rules', 1) };
  const name = textProblem(b.name, 200);
  if (name) out.name = name;
  if ((b.description ?? '').length > 2000) out.description = 'At most 2000 characters';
  const sev = b.severity_levels ?? [];
  if (sev.length > 20 || sev.some((s) => s.length > 32))
    out.severity_levels = 'At most 20, each 1–32 characters';
  const forms = b.form_ids ?? [];
  if (forms.length > 100 || forms.some((f) => f.length > 100))
    out.form_ids = 'At most 100, each 1–100 characters';
  if (!isIntIn(b.priority_order ?? 0, 0, 10000)) out.priority_order = 'A whole number from 0 to 10000';
  return out;
}

/** Create or edit an escalation matrix: where it applies (teams, forms, severities) and its L1..L4 ladder. */
export function MatrixModal({
  matrix,
  opened,
  onClose,
}: {
  matrix: Matrix | null;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={matrix ? `Edit ${matrix.name}` : 'New escalation matrix'}
      size="xl"
    >
      {opened && <MatrixForm key={matrix?.id ?? 'new'} matrix={matrix} onDone={onClose} />}
    </Modal>
  );
}

function MatrixForm({ matrix, onDone }: { matrix: Matrix | null; onDone: () => void }) {
  const { workspace_id: ws } = useSession();
  const teams = useTeams();
  const [name, setName] = useState(matrix?.name ?? '');
  const [description, setDescription] = useState(matrix?.description ?? '');
  const [teamIds, setTeamIds] = useState<string[]>(matrix?.team_ids ?? []);
  const [severities, setSeverities] = useState<string[]>(matrix?.severity_levels ?? []);
  const [forms, setForms] = useState<string[]>(matrix?.form_ids ?? []);
  const [priority, setPriority] = useState<number | string>(matrix?.priority_order ?? 0);
  const [active, setActive] = useState(matrix?.is_active ?? true);
  const [rules, setRules] = useState<Rung[]>((matrix?.rules as Rung[] | undefined) ?? [newRung(0)]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useApiMutation(
    (body: MatrixBody) =>
      matrix
        ? unwrap(
            api.PATCH('/workspaces/{ws}/escalation-matrices/{id}', {
              params: { path: { ws, id: matrix.id } },
              body,
            }),
          )
        : unwrap(api.POST('/workspaces/{ws}/escalation-matrices', { params: { path: { ws } }, body })),
    {
      success: (m) => (matrix ? `Saved ${m.name}` : `Created ${m.name}`),
      invalidate: [['matrices']],
      onSuccess: onDone,
    },
  );
  const shown = { ...fieldErrors(save.error), ...errors };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: MatrixBody = {
      name: name.trim(),
      description: description.trim() || null,
      team_ids: teamIds,
      severity_levels: severities,
      form_ids: forms,
      priority_order: Number(priority),
      is_active: active,
      rules,
    };
    const found = matrixProblems(body);
    setErrors(found);
    if (Object.keys(found).length === 0) save.mutate(body);
  };
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
        <Textarea
          label="Description"
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={shown.description}
        />
        <MultiSelect
          label="Teams"
          description="Tickets of these teams (empty: any team)"
          data={(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
          value={teamIds}
          onChange={setTeamIds}
          error={shown.team_ids}
          searchable
        />
        <TagsInput
          label="Severities"
          description="Tickets of these severities (empty: any); press Enter after each"
          value={severities}
          onChange={setSeverities}
          error={shown.severity_levels}
        />
        <TagsInput
          label="Forms"
          description="Tickets from these form ids (empty: any)"
          value={forms}
          onChange={setForms}
          error={shown.form_ids}
        />
        <NumberInput
          label="Priority order"
          description="Among equally specific matches, the lowest wins"
          min={0}
          max={10000}
          value={priority}
          onChange={setPriority}
          error={shown.priority_order}
        />
        <Switch label="Active" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
        <LadderEditor
          value={rules}
          onChange={setRules}
          errors={shown}
          field="rules"
          withStatus
          delayHelp="After the ticket opens, e.g. PT30M, PT24H, P2D"
        />
        {save.error ? <ProblemAlert error={save.error} title="The matrix was not saved" /> : null}
        <Button type="submit" loading={save.isPending}>
          {matrix ? 'Save matrix' : 'Create matrix'}
        </Button>
      </Stack>
    </form>
  );
}
