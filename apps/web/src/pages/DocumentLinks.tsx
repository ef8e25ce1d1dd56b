import { ActionIcon, Badge, Card, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import {
  CHANGE_REASON,
  type ComplianceDocument,
  LINK_ENTITY_TYPES,
  mayChangeDocument,
} from '../api/documents';
import { DataTable } from '../components/DataTable';
import { DateTime } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { useSession } from '../session';

const entityLabel = (t: string) => t.charAt(0) + t.slice(1).toLowerCase().replaceAll('_', ' ');

/** The document's tags: remove one, add some (lower-cased by the API, at most 20). */
export function TagsCard({ doc }: { doc: ComplianceDocument }) {
  const session = useSession();
  const ws = session.workspace_id;
  const canWrite = mayChangeDocument(session, doc) && doc.status !== 'DELETED';
  const [draft, setDraft] = useState('');
  const path = { ws, doc_id: doc.id };
  const add = useApiMutation(
    (tags: string[]) =>
      unwrap(
        api.POST('/workspaces/{ws}/compliance/documents/{doc_id}/tags', { params: { path }, body: { tags } }),
      ),
    { success: 'Tags added', invalidate: [['documents']], onSuccess: () => setDraft('') },
  );
  const remove = useApiMutation(
    (tag: string) =>
      unwrap(
        api.DELETE('/workspaces/{ws}/compliance/documents/{doc_id}/tags/{tag}', {
          params: { path: { ...path, tag } },
        }),
      ),
    { success: 'Tag removed', invalidate: [['documents']] },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const tags = draft
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (tags.length) add.mutate(tags);
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Tags
      </Title>
      <Group gap="xs" mb="sm" role="group" aria-label="Tags of this document">
        {doc.tags.length === 0 && (
          <Text size="sm" c="dimmed">
            No tag yet.
          </Text>
        )}
        {doc.tags.map((t) => (
          <Badge
            key={t}
            variant="outline"
            rightSection={
              canWrite ? (
                <ActionIcon
                  size="xs"
                  variant="transparent"
                  aria-label={`Remove the tag ${t}`}
                  onClick={() => remove.mutate(t)}
                >
                  ×
                </ActionIcon>
              ) : undefined
            }
          >
            {t}
          </Badge>
        ))}
      </Group>
      <form onSubmit={submit}>
        <Group align="flex-end" gap="xs">
          <TextInput
            label="Add tags"
            description="Comma-separated"
            size="xs"
            value={draft}
            disabled={!canWrite}
            onChange={(e) => setDraft(e.currentTarget.value)}
          />
          <RoleButton
            allowed={canWrite}
            reason={CHANGE_REASON}
            type="submit"
            size="xs"
            loading={add.isPending}
          >
            Add
          </RoleButton>
        </Group>
      </form>
    </Card>
  );
}

/** Links to compliance entities (reminders, certifications, trainings, policies, tickets…). */
export function LinksCard({ doc }: { doc: ComplianceDocument }) {
  const session = useSession();
  const ws = session.workspace_id;
  const canWrite = mayChangeDocument(session, doc) && doc.status !== 'DELETED';
  const [type, setType] = useState<string | null>('REMINDER');
  const [entity, setEntity] = useState('');
  const path = { ws, doc_id: doc.id };
  const links = useQuery({
    queryKey: ['documents', ws, doc.id, 'links'],
    queryFn: () =>
      unwrap(api.GET('/workspaces/{ws}/compliance/documents/{doc_id}/links', { params: { path } })),
  });
  const add = useApiMutation(
    (body: { entity_type: (typeof LINK_ENTITY_TYPES)[number]; entity_id: string }) =>
      unwrap(api.POST('/workspaces/{ws}/compliance/documents/{doc_id}/links', { params: { path }, body })),
    {
      success: 'Link added',
      invalidate: [['documents', ws, doc.id, 'links']],
      onSuccess: () => setEntity(''),
    },
  );
  const remove = useApiMutation(
    (linkId: string) =>
      unwrap(
        api.DELETE('/workspaces/{ws}/compliance/documents/{doc_id}/links/{link_id}', {
          params: { path: { ...path, link_id: linkId } },
        }),
      ),
    { success: 'Link removed', invalidate: [['documents', ws, doc.id, 'links']] },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (type && entity.trim())
      add.mutate({ entity_type: type as (typeof LINK_ENTITY_TYPES)[number], entity_id: entity.trim() });
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Linked to
      </Title>
      <Stack>
        <QueryState query={links} label="links">
          {(r) => (
            <DataTable
              caption="Compliance entities this document is linked to"
              rows={r.data}
              rowKey={(l) => l.id}
              empty="Not linked to anything yet."
              columns={[
                { key: 'type', header: 'Kind', render: (l) => entityLabel(l.entity_type) },
                {
                  key: 'id',
                  header: 'Entity',
                  render: (l) => (
                    <Text size="xs" ff="monospace">
                      {l.entity_id}
                    </Text>
                  ),
                },
                { key: 'at', header: 'Linked', render: (l) => <DateTime value={l.created_at} /> },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (l) => (
                    <RoleButton
                      allowed={canWrite}
                      reason={CHANGE_REASON}
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove the link to ${entityLabel(l.entity_type)} ${l.entity_id}`}
                      onClick={() => remove.mutate(l.id)}
                    >
                      Remove
                    </RoleButton>
                  ),
                },
              ]}
            />
          )}
        </QueryState>
        <form onSubmit={submit}>
          <Group align="flex-end" gap="xs">
            <Select
              label="Kind"
              size="xs"
              allowDeselect={false}
              value={type}
              onChange={setType}
              disabled={!canWrite}
              data={LINK_ENTITY_TYPES.map((t) => ({ value: t, label: entityLabel(t) }))}
            />
            <TextInput
              label="Entity id"
              description="The id of the reminder, certification, policy…"
              size="xs"
              w={320}
              value={entity}
              disabled={!canWrite}
              onChange={(e) => setEntity(e.currentTarget.value)}
            />
            <RoleButton
              allowed={canWrite}
              reason={CHANGE_REASON}
              type="submit"
              size="xs"
              loading={add.isPending}
            >
              Link
            </RoleButton>
          </Group>
        </form>
      </Stack>
    </Card>
  );
}
