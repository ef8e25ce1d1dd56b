import {
  Button,
  Card,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import type { Body, Reply } from '../api/types';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

type Suggestion = Reply<'/workspaces/{ws}/reminders/suggestions', 'get'>['data'][number];
type AcceptBody = NonNullable<Body<'/workspaces/{ws}/reminders/suggestions/{id}/accept', 'post'>>;
type Filter = 'ALL' | 'PENDING' | 'ACCEPTED' | 'REJECTED';

const FREQUENCIES = ['ONCE', 'DAILY', 'WEEKLY', 'BIWEEKLY', 'MONTHLY', 'QUARTERLY', 'SEMI_ANNUAL', 'YEARLY'];
const CATEGORIES = ['COMPLIANCE', 'SECURITY', 'AUDIT', 'OPERATIONAL', 'TRAINING', 'REVIEW', 'CUSTOM'];
const label = (v: string) => v.charAt(0) + v.slice(1).toLowerCase().replaceAll('_', '-');

/** The reminder suggestions an analysis made from one questionnaire, to accept or reject. */
export function SuggestionsCard({ questionnaireId }: { questionnaireId: string }) {
  const session = useSession();
  const ws = session.workspace_id;
  const canDecide = hasRole(session, ROLES.assign);
  const [filter, setFilter] = useState<Filter>('ALL');
  const [accepting, setAccepting] = useState<Suggestion | null>(null);
  const [rejecting, setRejecting] = useState<Suggestion | null>(null);
  const paging = useCursorPaging(`${questionnaireId}:${filter}`);
  const suggestions = useQuery({
    queryKey: ['suggestions', ws, questionnaireId, filter, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/reminders/suggestions', {
          params: {
            path: { ws },
            query: {
              questionnaire_id: questionnaireId,
              status: filter === 'ALL' ? undefined : filter,
              limit: 50,
              cursor: paging.cursor,
            },
          },
        }),
      ),
  });
  const reason = 'Only admins and managers may decide on suggestions';
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Reminder suggestions
        </Title>
        <SegmentedControl
          size="xs"
          aria-label="Show suggestions"
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={['ALL', 'PENDING', 'ACCEPTED', 'REJECTED'].map((v) => ({ value: v, label: label(v) }))}
        />
      </Group>
      <QueryState query={suggestions} label="suggestions">
        {(r) => (
          <>
            <DataTable
              caption="Reminder suggestions from this questionnaire"
              rows={r.data}
              rowKey={(s) => s.id}
              empty="No suggestion here. Analyze the questionnaire to get some."
              columns={[
                { key: 'qid', header: 'Question', render: (s) => s.question_id ?? '—' },
                {
                  key: 'title',
                  header: 'Suggested reminder',
                  sortValue: (s) => s.suggested_title,
                  render: (s) => (
                    <Stack gap={0}>
                      <Text size="sm">{s.suggested_title}</Text>
                      {s.suggested_description && (
                        <Text size="xs" c="dimmed" lineClamp={2}>
                          {s.suggested_description}
                        </Text>
                      )}
                    </Stack>
                  ),
                },
                { key: 'domain', header: 'Domain', render: (s) => s.suggested_domain ?? '—' },
                { key: 'frequency', header: 'Frequency', render: (s) => label(s.suggested_frequency) },
                {
                  key: 'confidence',
                  header: 'Confidence',
                  sortValue: (s) => s.confidence_score,
                  render: (s) =>
                    s.confidence_score === null ? '—' : `${Math.round(s.confidence_score * 100)}%`,
                },
                {
                  key: 'status',
                  header: 'Status',
                  sortValue: (s) => s.status,
                  render: (s) => (
                    <Stack gap={2}>
                      <StatusBadge status={s.status} />
                      {s.status === 'REJECTED' && s.rejection_reason && (
                        <Text size="xs" c="dimmed">
                          Reason: {s.rejection_reason}
                        </Text>
                      )}
                      {s.status === 'ACCEPTED' && s.created_reminder_id && (
                        <Text size="xs" c="dimmed">
                          Reminder created
                        </Text>
                      )}
                    </Stack>
                  ),
                },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (s) =>
                    s.status === 'PENDING' ? (
                      <Group gap={4} wrap="nowrap">
                        <RoleButton
                          allowed={canDecide}
                          reason={reason}
                          size="xs"
                          aria-label={`Accept: ${s.suggested_title}`}
                          onClick={() => setAccepting(s)}
                        >
                          Accept
                        </RoleButton>
                        <RoleButton
                          allowed={canDecide}
                          reason={reason}
                          size="xs"
                          variant="default"
                          aria-label={`Reject: ${s.suggested_title}`}
                          onClick={() => setRejecting(s)}
                        >
                          Reject
                        </RoleButton>
                      </Group>
                    ) : null,
                },
              ]}
            />
            <Pager paging={paging} nextCursor={r.next_cursor} label="Suggestions" />
          </>
        )}
      </QueryState>
      <AcceptModal suggestion={accepting} onClose={() => setAccepting(null)} />
      <RejectModal suggestion={rejecting} onClose={() => setRejecting(null)} />
    </Card>
  );
}

function AcceptModal({ suggestion, onClose }: { suggestion: Suggestion | null; onClose: () => void }) {
  return (
    <Modal opened={suggestion !== null} onClose={onClose} title="Accept the suggestion" size="lg">
      {suggestion && <AcceptForm key={suggestion.id} suggestion={suggestion} onDone={onClose} />}
    </Modal>
  );
}

function AcceptForm({ suggestion: s, onDone }: { suggestion: Suggestion; onDone: () => void }) {
  const { workspace_id: ws } = useSession();
  const [title, setTitle] = useState(s.suggested_title);
  const [frequency, setFrequency] = useState<string | null>(s.suggested_frequency);
  const [category, setCategory] = useState<string | null>(s.suggested_category);
  const [description, setDescription] = useState(s.suggested_description ?? '');
  const accept = useApiMutation(
    (body: AcceptBody) =>
      unwrap(
        api.POST('/workspaces/{ws}/reminders/suggestions/{id}/accept', {
          params: { path: { ws, id: s.id } },
          body,
        }),
      ),
    {
      success: (r) => `Reminder “${r.reminder.title}” created`,
      invalidate: [['suggestions'], ['reminders']],
      onSuccess: onDone,
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: AcceptBody = {};
    if (title.trim() !== s.suggested_title) body.title = title.trim();
    if (frequency && frequency !== s.suggested_frequency)
      body.frequency = frequency as AcceptBody['frequency'];
    if (category && category !== s.suggested_category) body.category = category as AcceptBody['category'];
    if (description !== (s.suggested_description ?? '')) body.description = description || null;
    accept.mutate(body);
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">A recurring reminder is created from these fields (change them if needed).</Text>
        <TextInput
          label="Title"
          required
          maxLength={300}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxLength={10000}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <Group grow>
          <Select
            label="Frequency"
            required
            allowDeselect={false}
            value={frequency}
            onChange={setFrequency}
            data={FREQUENCIES.map((f) => ({ value: f, label: label(f) }))}
          />
          <Select
            label="Category"
            required
            allowDeselect={false}
            value={category}
            onChange={setCategory}
            data={CATEGORIES.map((c) => ({ value: c, label: label(c) }))}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={accept.isPending} disabled={!title.trim()}>
            Create the reminder
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RejectModal({ suggestion, onClose }: { suggestion: Suggestion | null; onClose: () => void }) {
  const { workspace_id: ws } = useSession();
  const [reason, setReason] = useState('');
  const reject = useApiMutation(
    (v: { id: string; reason: string }) =>
      unwrap(
        api.POST('/workspaces/{ws}/reminders/suggestions/{id}/reject', {
          params: { path: { ws, id: v.id } },
          body: { reason: v.reason },
        }),
      ),
    {
      success: 'Suggestion rejected',
      invalidate: [['suggestions']],
      onSuccess: () => {
        setReason('');
        onClose();
      },
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (suggestion && reason.trim()) reject.mutate({ id: suggestion.id, reason: reason.trim() });
  };
  return (
    <Modal opened={suggestion !== null} onClose={onClose} title="Reject the suggestion">
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">{suggestion?.suggested_title}</Text>
          <Textarea
            label="Reason"
            description="Kept with the suggestion; it is not suggested again"
            required
            autosize
            minRows={2}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={reject.isPending} disabled={!reason.trim()}>
              Reject
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
