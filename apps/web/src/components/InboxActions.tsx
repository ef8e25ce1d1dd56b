import { Anchor, Button, Group, Modal, NumberInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { uploadDocument } from '../api/documents';
import type { Reply } from '../api/types';
import { hasRole, ROLES, useSession } from '../session';
import { useApiMutation } from './mutation';
import { RoleButton } from './RoleButton';
import { ProblemAlert } from './states';

export type InboxItem = Reply<'/workspaces/{ws}/me/obligations', 'get'>['data'][number];
const INBOX = [['me', 'obligations']] as const;

/** What the member can do about one inbox item, by kind. */
export function ItemActions({ item }: { item: InboxItem }) {
  if (item.kind === 'acknowledgement_request')
    return (
      <Anchor component={Link} to={`/acknowledge/${item.id}`} size="sm">
        Read and acknowledge
      </Anchor>
    );
  if (item.kind === 'training_assignment') return <TrainingActions item={item} />;
  if (item.kind === 'reminder_instance') return <ReminderActions item={item} />;
  return null;
}

function TrainingActions({ item }: { item: InboxItem }) {
  const session = useSession();
  const allowed = hasRole(session, ROLES.act);
  const [progress, setProgress] = useState<number | string>('');
  const act = useApiMutation(
    (action: 'start' | 'complete') =>
      unwrap(
        action === 'start'
          ? api.POST('/compliance/assignments/{id}/start', { params: { path: { id: item.id } }, body: {} })
          : api.POST('/compliance/assignments/{id}/complete', {
              params: { path: { id: item.id } },
              body: {},
            }),
      ),
    { success: (a) => `Training ${a.status === 'COMPLETED' ? 'completed' : 'started'}`, invalidate: INBOX },
  );
  const save = useApiMutation(
    (value: number) =>
      unwrap(
        api.PATCH('/compliance/assignments/{id}', {
          params: { path: { id: item.id } },
          body: { progress_percentage: value },
        }),
      ),
    { success: (a) => `Progress ${a.progress_percentage}%`, invalidate: INBOX },
  );
  const started = item.status === 'IN_PROGRESS';
  return (
    <Group gap="xs" wrap="nowrap">
      {!started && (
        <RoleButton size="xs" allowed={allowed} loading={act.isPending} onClick={() => act.mutate('start')}>
          Start
        </RoleButton>
      )}
      <NumberInput
        size="xs"
        w={90}
        min={0}
        max={100}
        suffix="%"
        aria-label={`Progress of ${item.title}`}
        placeholder="%"
        value={progress}
        onChange={setProgress}
      />
      <RoleButton
        size="xs"
        variant="default"
        allowed={allowed}
        loading={save.isPending}
        onClick={() => typeof progress === 'number' && save.mutate(progress)}
      >
        Save progress
      </RoleButton>
      <RoleButton size="xs" allowed={allowed} onClick={() => act.mutate('complete')}>
        Complete
      </RoleButton>
    </Group>
  );
}

function ReminderActions({ item }: { item: InboxItem }) {
  const session = useSession();
  const allowed = hasRole(session, ROLES.act);
  const [open, setOpen] = useState<'complete' | 'skip' | null>(null);
  return (
    <Group gap="xs" wrap="nowrap">
      <RoleButton size="xs" allowed={allowed} onClick={() => setOpen('complete')}>
        Complete…
      </RoleButton>
      <RoleButton size="xs" variant="default" allowed={allowed} onClick={() => setOpen('skip')}>
        Skip…
      </RoleButton>
      {open === 'complete' && <CompleteModal item={item} onClose={() => setOpen(null)} />}
      {open === 'skip' && <SkipModal item={item} onClose={() => setOpen(null)} />}
    </Group>
  );
}

function CompleteModal({ item, onClose }: { item: InboxItem; onClose: () => void }) {
  const session = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [url, setUrl] = useState('');
  const [notes, setNotes] = useState('');
  const complete = useApiMutation(
    async () => {
      const links: Array<{ document_id?: string; url?: string; title?: string }> = [];
      if (file)
        links.push({
          document_id: (await uploadDocument(session.workspace_id, file, { title: file.name })).id,
          title: file.name,
        });
      if (url.trim()) links.push({ url: url.trim(), title: 'Evidence link' });
      return unwrap(
        api.POST('/workspaces/{ws}/reminders/instances/{id}/complete', {
          params: { path: { ws: session.workspace_id, id: item.id } },
          body: {
            ...(notes.trim() && { notes: notes.trim() }),
            ...(links.length && { evidence_links: links }),
          },
        }),
      );
    },
    { success: 'Control completed', invalidate: INBOX, onSuccess: onClose },
  );
  return (
    <Modal opened onClose={onClose} title={`Complete: ${item.title}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          complete.mutate(undefined);
        }}
      >
        <Stack>
          <Text size="sm">
            Attach the evidence: a file (uploaded straight to storage) or a link to a document.
          </Text>
          <label>
            <Text size="sm" fw={500}>
              Evidence file
            </Text>
            <input type="file" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          </label>
          <TextInput
            label="Or a link to the evidence"
            placeholder="https://…"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
          <Textarea label="Notes" value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
          {complete.isError && <ProblemAlert error={complete.error} title="Not completed" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={complete.isPending}>
              Complete with evidence
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function SkipModal({ item, onClose }: { item: InboxItem; onClose: () => void }) {
  const session = useSession();
  const [reason, setReason] = useState('');
  const skip = useApiMutation(
    () =>
      unwrap(
        api.POST('/workspaces/{ws}/reminders/instances/{id}/skip', {
          params: { path: { ws: session.workspace_id, id: item.id } },
          body: { reason: reason.trim() },
        }),
      ),
    { success: 'Control skipped', invalidate: INBOX, onSuccess: onClose },
  );
  return (
    <Modal opened onClose={onClose} title={`Skip: ${item.title}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) skip.mutate(undefined);
        }}
      >
        <Stack>
          <Textarea
            label="Reason for skipping"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={skip.isPending}>
              Skip this time
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Acknowledges an escalation addressed to the member: the climb stops. */
export function EscalationAck({ id }: { id: string }) {
  const session = useSession();
  const ack = useApiMutation(
    () =>
      unwrap(
        api.POST('/workspaces/{ws}/me/escalations/{id}/acknowledge', {
          params: { path: { ws: session.workspace_id, id } },
          body: {},
        }),
      ),
    { success: 'Escalation acknowledged', invalidate: INBOX },
  );
  return (
    <RoleButton
      size="xs"
      allowed={hasRole(session, ROLES.act)}
      loading={ack.isPending}
      onClick={() => ack.mutate(undefined)}
    >
      Acknowledge
    </RoleButton>
  );
}
