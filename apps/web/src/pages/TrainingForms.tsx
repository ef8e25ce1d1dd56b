import {
  Alert,
  Button,
  Checkbox,
  List,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMemberNames, useMembers, useOrgRoles, useTeams } from '../api/lookups';
import type { Body } from '../api/types';
import { useApiMutation } from '../components/mutation';

type Scope = 'ALL' | 'TEAM' | 'ROLE' | 'INDIVIDUAL';

/** A training definition as the list returns it (the fields the form edits). */
export interface TrainingDefinition {
  id: string;
  name: string;
  description: string | null;
  applies_to_type: Scope;
  applies_to_ids: string[];
  due_days_after_assignment: number | null;
  recurring_months: number | null;
  is_active: boolean;
}

/** Create a mandatory training with its ALL / TEAM / ROLE / INDIVIDUAL scope. */
export function CreateTrainingModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return opened ? <TrainingModal onClose={onClose} /> : null;
}

/** Edit a training definition with the same form (a wider scope assigns the newly matching members). */
export function EditTrainingModal({
  training,
  onClose,
}: {
  training: TrainingDefinition | null;
  onClose: () => void;
}) {
  return training ? <TrainingModal key={training.id} training={training} onClose={onClose} /> : null;
}

function TrainingModal({ training, onClose }: { training?: TrainingDefinition; onClose: () => void }) {
  const members = useMembers();
  const teams = useTeams();
  const roles = useOrgRoles();
  const [name, setName] = useState(training?.name ?? '');
  const [description, setDescription] = useState(training?.description ?? '');
  const [scope, setScope] = useState<Scope>(training?.applies_to_type ?? 'ALL');
  const [ids, setIds] = useState<string[]>(training?.applies_to_ids ?? []);
  const [dueDays, setDueDays] = useState<number | string>(
    training ? (training.due_days_after_assignment ?? '') : 30,
  );
  const [recurring, setRecurring] = useState<number | string>(training?.recurring_months ?? '');
  const [active, setActive] = useState(training?.is_active ?? true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useApiMutation(
    (body: Parameters<typeof createTraining>[0]) =>
      training
        ? unwrap(
            api.PATCH('/compliance/mandatory-training/{id}', {
              params: { path: { id: training.id } },
              body: { ...body, is_active: active },
            }),
          )
        : createTraining(body),
    {
      success: (t) =>
        training
          ? `Saved ${t.name}: ${t.assigned} new assignment(s)`
          : `Created ${t.name}: ${t.assigned} assignment(s)`,
      invalidate: [['trainings'], ['assignments'], ['reports']],
      onSuccess: onClose,
    },
  );
  const options =
    scope === 'TEAM'
      ? (teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))
      : scope === 'ROLE'
        ? (roles.data?.data ?? []).map((r) => ({ value: r.id, label: r.name }))
        : memberOptions(members.data?.data ?? []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The API's rules (training/routes.ts): name 1–300 characters, due days 0–3650, months 1–120,
    // and a scope other than ALL names at least one id.
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Name is required';
    else if (name.trim().length > 300) found.name = 'At most 300 characters';
    if (scope !== 'ALL' && ids.length === 0)
      found.applies_to_ids = `Choose at least one ${scope.toLowerCase()}`;
    if (
      dueDays !== '' &&
      !(Number.isInteger(Number(dueDays)) && Number(dueDays) >= 0 && Number(dueDays) <= 3650)
    )
      found.due = 'A whole number of days from 0 to 3650';
    if (
      recurring !== '' &&
      !(Number.isInteger(Number(recurring)) && Number(recurring) >= 1 && Number(recurring) <= 120)
    )
      found.recurring = 'A whole number of months from 1 to 120';
    setErrors(found);
    if (Object.keys(found).length) return;
    save.mutate({
      name: name.trim(),
      description: description.trim() || null,
      applies_to_type: scope,
      applies_to_ids: scope === 'ALL' ? [] : ids,
      due_days_after_assignment: dueDays === '' ? null : Number(dueDays),
      recurring_months: recurring === '' ? null : Number(recurring),
    });
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={training ? `Edit ${training.name}` : 'New mandatory training'}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
          />
          <Textarea
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="scope-label">
              Applies to
            </Text>
            <SegmentedControl
              aria-labelledby="scope-label"
              value={scope}
              onChange={(v) => {
                setScope(v as Scope);
                setIds([]);
              }}
              data={[
                { value: 'ALL', label: 'Everyone' },
                { value: 'TEAM', label: 'Teams' },
                { value: 'ROLE', label: 'Org roles' },
                { value: 'INDIVIDUAL', label: 'People' },
              ]}
            />
          </Stack>
          {scope !== 'ALL' && (
            <MultiSelect
              label={scope === 'TEAM' ? 'Teams' : scope === 'ROLE' ? 'Org roles' : 'People'}
              data={options}
              value={ids}
              onChange={setIds}
              searchable
              required
              error={errors.applies_to_ids}
            />
          )}
          <NumberInput
            label="Due days after assignment"
            min={0}
            max={3650}
            value={dueDays}
            onChange={setDueDays}
            error={errors.due}
          />
          <NumberInput
            label="Repeats every (months)"
            description="Leave empty for a one-off training"
            min={1}
            max={120}
            value={recurring}
            onChange={setRecurring}
            error={errors.recurring}
          />
          {training && (
            <Checkbox
              label="Active (new members in scope are assigned)"
              checked={active}
              onChange={(e) => setActive(e.currentTarget.checked)}
            />
          )}
          <Button type="submit" loading={save.isPending}>
            {training ? 'Save training' : 'Create training'}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

const createTraining = (body: Body<'/compliance/mandatory-training', 'post'>) =>
  unwrap(api.POST('/compliance/mandatory-training', { body }));

/** Assign a training to many members; the answer lists each rejected member with the reason. */
export function BulkAssignModal({
  opened,
  onClose,
  trainings,
}: {
  opened: boolean;
  onClose: () => void;
  trainings: Array<{ id: string; name: string }>;
}) {
  const members = useMembers();
  const name = useMemberNames();
  const [training, setTraining] = useState<string | null>(null);
  const [ids, setIds] = useState<string[]>([]);
  const [partial, setPartial] = useState(true);
  const assign = useApiMutation(
    (vars: { mandatory_training_id: string; developer_ids: string[]; partial: boolean }) =>
      unwrap(api.POST('/compliance/assignments/bulk', { body: vars })),
    { success: (r) => `Assigned ${r.assigned}`, invalidate: [['assignments'], ['trainings'], ['reports']] },
  );
  const result = assign.data;
  return (
    <Modal opened={opened} onClose={onClose} title="Assign a training to people" size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (training && ids.length)
            assign.mutate({ mandatory_training_id: training, developer_ids: ids, partial });
        }}
      >
        <Stack>
          <Select
            label="Training"
            required
            data={trainings.map((t) => ({ value: t.id, label: t.name }))}
            value={training}
            onChange={setTraining}
          />
          <MultiSelect
            label="People"
            required
            searchable
            data={memberOptions(members.data?.data ?? [])}
            value={ids}
            onChange={setIds}
          />
          <Checkbox
            label="Assign the valid ones even if some are rejected"
            checked={partial}
            onChange={(e) => setPartial(e.currentTarget.checked)}
          />
          {result && (
            <Alert
              color={result.rejected.length ? 'orange' : 'green'}
              title={`Assigned ${result.assigned}`}
              role="status"
            >
              {result.rejected.length > 0 && (
                <>
                  <Text size="sm">Rejected:</Text>
                  <List size="sm" aria-label="Rejected members">
                    {result.rejected.map((r) => (
                      <List.Item key={r.developer_id}>
                        {name(r.developer_id)}: {r.reason}
                      </List.Item>
                    ))}
                  </List>
                </>
              )}
            </Alert>
          )}
          <Button type="submit" loading={assign.isPending} disabled={!training || ids.length === 0}>
            Assign
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

/** Waive an assignment with the reason the API requires. */
export function WaiveModal({ assignmentId, onClose }: { assignmentId: string | null; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const waive = useApiMutation(
    (vars: { id: string; reason: string }) =>
      unwrap(
        api.POST('/compliance/assignments/{id}/waive', {
          params: { path: { id: vars.id } },
          body: { reason: vars.reason },
        }),
      ),
    {
      success: 'Assignment waived',
      invalidate: [['assignments'], ['trainings'], ['reports']],
      onSuccess: () => {
        setReason('');
        onClose();
      },
    },
  );
  return (
    <Modal opened={assignmentId !== null} onClose={onClose} title="Waive assignment">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (assignmentId && reason.trim()) waive.mutate({ id: assignmentId, reason: reason.trim() });
        }}
      >
        <Stack>
          <Textarea
            label="Reason"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Button type="submit" color="orange" loading={waive.isPending} disabled={!reason.trim()}>
            Waive
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
