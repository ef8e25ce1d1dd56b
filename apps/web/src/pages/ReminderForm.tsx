import {
  Alert,
  Button,
  Checkbox,
  Group,
  List,
  Loader,
  Modal,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMembers, useTeams } from '../api/lookups';
import type { Body } from '../api/types';
import { viewerTimeZone } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { ProblemAlert } from '../components/states';
import { useSession } from '../session';

type ReminderBody = Body<'/workspaces/{ws}/reminders', 'post'>;
type Frequency = ReminderBody['frequency'];
export const FREQUENCIES: Frequency[] = [
  'ONCE',
  'DAILY',
  'WEEKLY',
  'BIWEEKLY',
  'MONTHLY',
  'QUARTERLY',
  'SEMI_ANNUAL',
  'YEARLY',
  'CUSTOM',
];
const CATEGORIES: NonNullable<ReminderBody['category']>[] = [
  'COMPLIANCE',
  'SECURITY',
  'AUDIT',
  'OPERATIONAL',
  'TRAINING',
  'REVIEW',
  'CUSTOM',
];
const PRIORITIES: NonNullable<ReminderBody['priority']>[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
/** Zones offered first; any IANA zone the browser knows can be picked. */
const zones = (): string[] => {
  const all = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return [...new Set([viewerTimeZone(), 'UTC', ...all])];
};

/**
 * The next occurrences of the schedule being typed, as the server computes them
 * (POST …/reminders/preview runs the planner's rules): the browser never does zone arithmetic.
 */
function useSchedulePreview(schedule: {
  frequency: Frequency;
  cron: string;
  timezone: string;
  start: string;
}) {
  const { workspace_id: ws } = useSession();
  const [debounced] = useDebouncedValue(schedule, 250);
  const ready = debounced.start !== '' && (debounced.frequency !== 'CUSTOM' || debounced.cron.trim() !== '');
  const query = useQuery({
    queryKey: ['reminder-preview', debounced],
    queryFn: () =>
      unwrap(
        api.POST('/workspaces/{ws}/reminders/preview', {
          params: { path: { ws } },
          body: {
            frequency: debounced.frequency,
            cron_expression: debounced.frequency === 'CUSTOM' ? debounced.cron.trim() : null,
            timezone: debounced.timezone,
            start_local: debounced.start,
            count: 6,
          },
        }),
      ),
    enabled: ready,
    retry: false,
    placeholderData: (prev) => prev,
  });
  /** The answer is for the schedule on screen (not an earlier one kept while typing). */
  const current = JSON.stringify(debounced) === JSON.stringify(schedule) && !query.isPlaceholderData;
  return { query, current };
}

/** Create a reminder; the next occurrences in the reminder's time zone update as the schedule changes. */
export function CreateReminderModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return opened ? <ReminderForm onClose={onClose} /> : null;
}

function ReminderForm({ onClose }: { onClose: () => void }) {
  const { workspace_id: ws } = useSession();
  const members = useMembers();
  const teams = useTeams();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [frequency, setFrequency] = useState<Frequency>('WEEKLY');
  const [cron, setCron] = useState('');
  const [timezone, setTimezone] = useState(viewerTimeZone());
  const [start, setStart] = useState('');
  const [category, setCategory] = useState<ReminderBody['category']>('COMPLIANCE');
  const [priority, setPriority] = useState<ReminderBody['priority']>('MEDIUM');
  const [owner, setOwner] = useState<string | null>(null);
  const [team, setTeam] = useState<string | null>(null);
  const [domain, setDomain] = useState('');
  const [control, setControl] = useState('');
  const [evidence, setEvidence] = useState(false);
  const { query: preview, current } = useSchedulePreview({ frequency, cron, timezone, start });
  const create = useApiMutation(
    (body: ReminderBody) =>
      unwrap(api.POST('/workspaces/{ws}/reminders', { params: { path: { ws } }, body })),
    { success: (r) => `Reminder ${r.title} created`, invalidate: [['reminders']], onSuccess: onClose },
  );
  const startDate = current ? preview.data?.start_date : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || !startDate || preview.isError) return;
    create.mutate({
      title: title.trim(),
      description: description.trim() || null,
      category,
      priority,
      frequency,
      cron_expression: frequency === 'CUSTOM' ? cron.trim() : null,
      start_date: startDate,
      timezone,
      default_owner_id: owner,
      default_team_id: team,
      domain: domain.trim() || null,
      control_id: control.trim() || null,
      requires_evidence: evidence,
    });
  };
  return (
    <Modal opened onClose={onClose} title="New reminder" size="xl">
      <form onSubmit={submit} noValidate>
        <Group align="flex-start" grow wrap="wrap">
          <Stack miw={280}>
            <TextInput
              label="Title"
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
            />
            <Textarea
              label="Description"
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <Group grow>
              <Select
                label="Category"
                data={CATEGORIES}
                value={category}
                onChange={(v) => v && setCategory(v as ReminderBody['category'])}
              />
              <Select
                label="Priority"
                data={PRIORITIES}
                value={priority}
                onChange={(v) => v && setPriority(v as ReminderBody['priority'])}
              />
            </Group>
            <Select
              label="Frequency"
              required
              data={FREQUENCIES}
              value={frequency}
              onChange={(v) => v && setFrequency(v as Frequency)}
            />
            {frequency === 'CUSTOM' && (
              <TextInput
                label="Cron expression"
                description="minute hour day-of-month month day-of-week, in the reminder's time zone"
                required
                value={cron}
                onChange={(e) => setCron(e.currentTarget.value)}
              />
            )}
            <Select
              label="Time zone"
              required
              searchable
              data={zones()}
              value={timezone}
              onChange={(v) => v && setTimezone(v)}
            />
            <TextInput
              label={`First due (${timezone})`}
              type="datetime-local"
              required
              value={start}
              onChange={(e) => setStart(e.currentTarget.value)}
            />
            <Group grow>
              <Select
                label="Owner"
                clearable
                searchable
                data={memberOptions(members.data?.data ?? [])}
                value={owner}
                onChange={setOwner}
              />
              <Select
                label="Team"
                clearable
                data={(teams.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
                value={team}
                onChange={setTeam}
              />
            </Group>
            <Group grow>
              <TextInput label="Domain" value={domain} onChange={(e) => setDomain(e.currentTarget.value)} />
              <TextInput
                label="Control id"
                value={control}
                onChange={(e) => setControl(e.currentTarget.value)}
              />
            </Group>
            <Checkbox
              label="Evidence required to complete"
              checked={evidence}
              onChange={(e) => setEvidence(e.currentTarget.checked)}
            />
          </Stack>
          <Stack miw={260} gap="xs">
            <Text fw={600} id="preview-label">
              Next occurrences ({timezone})
            </Text>
            {!start ? (
              <Text size="sm" c="dimmed">
                Pick the first due date to see the schedule.
              </Text>
            ) : preview.isError ? (
              <ProblemAlert error={preview.error} title="This schedule is not valid" />
            ) : preview.data ? (
              <List size="sm" aria-labelledby="preview-label" data-testid="schedule-preview">
                {preview.data.occurrences.map((o) => (
                  <List.Item key={o.at}>
                    <time dateTime={o.at}>{o.local}</time>
                  </List.Item>
                ))}
              </List>
            ) : (
              <Loader size="sm" aria-label="Loading the preview" />
            )}
            {preview.data && preview.data.occurrences.length === 0 && (
              <Alert color="orange">This schedule has no occurrence ahead.</Alert>
            )}
          </Stack>
        </Group>
        <Button
          mt="md"
          type="submit"
          loading={create.isPending}
          disabled={!title.trim() || !startDate || preview.isError}
        >
          Create reminder
        </Button>
      </form>
    </Modal>
  );
}
