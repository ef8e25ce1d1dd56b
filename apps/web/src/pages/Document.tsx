import {
  Anchor,
  Button,
  Card,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import {
  CHANGE_REASON,
  type ComplianceDocument,
  type FolderNode,
  flattenFolders,
  mayChangeDocument,
  uploadDocument,
} from '../api/documents';
import { useMemberNames } from '../api/lookups';
import { formatBytes } from '../api/upload';
import { DateTime, StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { DropArea, type UploadState, UploadStatus } from '../components/UploadProgress';
import { useSession } from '../session';
import { LinksCard, TagsCard } from './DocumentLinks';
import { problemText } from './Documents';
import { MetadataCard, VersionsCard } from './DocumentVersions';

export function DocumentPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const ws = session.workspace_id;
  const [shown, setShown] = useState<number | null>(null);
  const doc = useQuery({
    queryKey: ['documents', ws, id],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/compliance/documents/{doc_id}', { params: { path: { ws, doc_id: id } } }),
      ),
    // the extraction workflow fills the metadata in within seconds
    refetchInterval: (q) =>
      q.state.data?.versions.some((v) => v.extraction_status === 'PENDING') ? 2_000 : false,
  });
  return (
    <Stack>
      <Anchor component={Link} to="/documents" size="sm">
        ← All documents
      </Anchor>
      <QueryState query={doc} label="document">
        {(d) => {
          const version = d.versions.find((v) => v.version === (shown ?? d.version)) ?? d.versions[0];
          return (
            <>
              <DocumentHeader doc={d} />
              <NewVersionCard doc={d} onUploaded={() => setShown(null)} />
              <VersionsCard doc={d} shown={version?.version ?? d.version} onShow={setShown} />
              {version && <MetadataCard version={version} />}
              <TagsCard doc={d} />
              <LinksCard doc={d} />
            </>
          );
        }}
      </QueryState>
    </Stack>
  );
}

function DocumentHeader({ doc: d }: { doc: ComplianceDocument }) {
  const session = useSession();
  const ws = session.workspace_id;
  const canWrite = mayChangeDocument(session, d);
  const names = useMemberNames();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const folders = useQuery({
    queryKey: ['folders', ws],
    queryFn: () =>
      unwrap(api.GET('/workspaces/{ws}/compliance/documents/folders', { params: { path: { ws } } })),
  });
  const flat = flattenFolders((folders.data?.data ?? []) as unknown as FolderNode[]);
  const path = { ws, doc_id: d.id };
  const move = useApiMutation(
    (folder_id: string | null) =>
      unwrap(
        api.POST('/workspaces/{ws}/compliance/documents/{doc_id}/move', {
          params: { path },
          body: { folder_id },
        }),
      ),
    { success: 'Document moved', invalidate: [['documents'], ['folders']] },
  );
  const archive = useApiMutation(
    () =>
      unwrap(
        api.POST('/workspaces/{ws}/compliance/documents/{doc_id}/archive', { params: { path }, body: {} }),
      ),
    { success: 'Document archived', invalidate: [['documents']] },
  );
  const restore = useApiMutation(
    () =>
      unwrap(
        api.PATCH('/workspaces/{ws}/compliance/documents/{doc_id}', {
          params: { path },
          body: { status: 'ACTIVE' },
        }),
      ),
    { success: 'Document restored', invalidate: [['documents']] },
  );
  const remove = useApiMutation(
    () => unwrap(api.DELETE('/workspaces/{ws}/compliance/documents/{doc_id}', { params: { path } })),
    {
      success: 'Document deleted (its versions stay for audit)',
      invalidate: [['documents'], ['folders']],
      onSuccess: () => navigate('/documents'),
    },
  );
  const reason = CHANGE_REASON;
  const live = d.status !== 'DELETED';
  return (
    <>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{d.title}</Title>
          {d.description && <Text size="sm">{d.description}</Text>}
        </Stack>
        <Group gap="xs">
          {d.download_url && (
            <Button component="a" href={d.download_url} variant="default">
              Download v{d.version}
            </Button>
          )}
          <RoleButton
            allowed={canWrite && live}
            reason={reason}
            variant="default"
            onClick={() => setEditing(true)}
          >
            Edit
          </RoleButton>
          {d.status === 'ACTIVE' ? (
            <RoleButton
              allowed={canWrite}
              reason={reason}
              variant="default"
              onClick={() => archive.mutate(undefined)}
            >
              Archive
            </RoleButton>
          ) : d.status === 'ARCHIVED' ? (
            <RoleButton
              allowed={canWrite}
              reason={reason}
              variant="default"
              onClick={() => restore.mutate(undefined)}
            >
              Restore
            </RoleButton>
          ) : null}
          {live && (
            <RoleButton
              allowed={canWrite}
              reason={reason}
              color="red"
              variant="default"
              onClick={() => setDeleting(true)}
            >
              Delete
            </RoleButton>
          )}
        </Group>
      </Group>
      <Card withBorder>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Fact label="Status">
            <StatusBadge status={d.status} />
          </Fact>
          <Fact label="Current version">
            v{d.version}: {d.file_name} ({formatBytes(d.size_bytes)})
          </Fact>
          <Fact label="Owner">{names(d.uploaded_by_id)}</Fact>
          <Fact label="Updated">
            <DateTime value={d.updated_at} />
          </Fact>
        </SimpleGrid>
        <Group mt="sm" align="flex-end">
          <Select
            label="Folder"
            placeholder="Top level"
            clearable
            searchable
            w={320}
            disabled={!canWrite || !live}
            value={d.folder_id}
            data={flat.map((f) => ({ value: f.node.id, label: f.path }))}
            onChange={(v) => v !== d.folder_id && move.mutate(v)}
          />
        </Group>
      </Card>
      <Modal opened={editing} onClose={() => setEditing(false)} title="Edit the document">
        {editing && <EditForm doc={d} onDone={() => setEditing(false)} />}
      </Modal>
      <Modal opened={deleting} onClose={() => setDeleting(false)} title="Delete the document">
        <Stack>
          <Text size="sm">
            Delete <b>{d.title}</b>? It leaves the lists; its versions, links and stored files are kept for
            audit.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(false)}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(undefined)}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function EditForm({ doc, onDone }: { doc: ComplianceDocument; onDone: () => void }) {
  const { workspace_id: ws } = useSession();
  const [title, setTitle] = useState(doc.title);
  const [description, setDescription] = useState(doc.description ?? '');
  const save = useApiMutation(
    (body: { title: string; description: string | null }) =>
      unwrap(
        api.PATCH('/workspaces/{ws}/compliance/documents/{doc_id}', {
          params: { path: { ws, doc_id: doc.id } },
          body,
        }),
      ),
    { success: 'Document saved', invalidate: [['documents']], onSuccess: onDone },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim()) save.mutate({ title: title.trim(), description: description.trim() || null });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
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
          minRows={3}
          maxLength={5000}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!title.trim()}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function NewVersionCard({ doc, onUploaded }: { doc: ComplianceDocument; onUploaded: () => void }) {
  const session = useSession();
  const canWrite = mayChangeDocument(session, doc) && doc.status === 'ACTIVE';
  const qc = useQueryClient();
  const [upload, setUpload] = useState<UploadState>({ phase: 'idle' });
  const send = async (file: File) => {
    try {
      const d = await uploadDocument(session.workspace_id, file, { document_id: doc.id }, (phase, progress) =>
        setUpload({ phase, file: file.name, progress }),
      );
      setUpload({ phase: 'done', file: file.name, message: `uploaded as version ${d.version}` });
      await qc.invalidateQueries({ queryKey: ['documents'] });
      onUploaded();
    } catch (err) {
      setUpload({ phase: 'failed', file: file.name, message: problemText(err) });
    }
  };
  const busy = upload.phase === 'preparing' || upload.phase === 'sending' || upload.phase === 'processing';
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Upload a new version
      </Title>
      <Stack gap="sm">
        <DropArea
          label="New version file"
          hint={`Drop the file that replaces v${doc.version} here (earlier versions are kept), or`}
          disabled={!canWrite || busy}
          disabledReason={
            busy
              ? 'Uploading…'
              : doc.status !== 'ACTIVE'
                ? `A ${doc.status.toLowerCase()} document takes no new version`
                : CHANGE_REASON
          }
          onFile={send}
        />
        <UploadStatus state={upload} processingLabel="Registering the version…" />
      </Stack>
    </Card>
  );
}
