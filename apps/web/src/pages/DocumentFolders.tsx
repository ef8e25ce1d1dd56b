import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NavLink,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { type FolderNode, flattenFolders } from '../api/documents';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { hasRole, ROLES, useSession } from '../session';

/** `null`: every folder; `root`: documents in no folder; else a folder id. */
export type FolderSelection = string | null;

/** The folder tree as navigation links: all documents, the top level, then nested folders. */
export function FolderTree({
  folders,
  selected,
  onSelect,
}: {
  folders: FolderNode[];
  selected: FolderSelection;
  onSelect: (s: FolderSelection) => void;
}) {
  const render = (nodes: FolderNode[]) =>
    nodes.map((f) => (
      <NavLink
        key={f.id}
        component="button"
        label={f.name}
        active={selected === f.id}
        aria-current={selected === f.id ? 'true' : undefined}
        defaultOpened
        rightSection={
          <Badge size="xs" variant="light">
            {f.document_count}
          </Badge>
        }
        onClick={() => onSelect(f.id)}
        childrenOffset={16}
      >
        {f.children?.length ? render(f.children) : undefined}
      </NavLink>
    ));
  return (
    <nav aria-label="Folders">
      <NavLink
        component="button"
        label="All documents"
        active={selected === null}
        aria-current={selected === null ? 'true' : undefined}
        onClick={() => onSelect(null)}
      />
      <NavLink
        component="button"
        label="Top level (no folder)"
        active={selected === 'root'}
        aria-current={selected === 'root' ? 'true' : undefined}
        onClick={() => onSelect('root')}
      />
      {render(folders)}
    </nav>
  );
}

/** New folder, rename/move and delete of the selected one (admins and managers). */
export function FolderActions({
  folders,
  selected,
  onSelect,
}: {
  folders: FolderNode[];
  selected: FolderSelection;
  onSelect: (s: FolderSelection) => void;
}) {
  const session = useSession();
  const allowed = hasRole(session, ROLES.assign);
  const reason = 'Only admins and managers may change folders';
  const [mode, setMode] = useState<'create' | 'edit' | 'delete' | null>(null);
  const current = flattenFolders(folders).find((f) => f.node.id === selected)?.node ?? null;
  return (
    <Group gap="xs">
      <RoleButton allowed={allowed} reason={reason} size="xs" onClick={() => setMode('create')}>
        New folder
      </RoleButton>
      {current && (
        <>
          <RoleButton
            allowed={allowed}
            reason={reason}
            size="xs"
            variant="default"
            onClick={() => setMode('edit')}
          >
            Rename or move
          </RoleButton>
          <RoleButton
            allowed={allowed}
            reason={reason}
            size="xs"
            variant="default"
            color="red"
            onClick={() => setMode('delete')}
          >
            Delete folder
          </RoleButton>
        </>
      )}
      <Modal
        opened={mode === 'create' || mode === 'edit'}
        onClose={() => setMode(null)}
        title={mode === 'edit' ? 'Rename or move the folder' : 'New folder'}
      >
        {(mode === 'create' || mode === 'edit') && (
          <FolderForm
            folders={folders}
            editing={mode === 'edit' ? current : null}
            parent={mode === 'create' && selected !== 'root' ? selected : null}
            onDone={(id) => {
              setMode(null);
              if (id) onSelect(id);
            }}
          />
        )}
      </Modal>
      <Modal opened={mode === 'delete'} onClose={() => setMode(null)} title="Delete the folder">
        {current && mode === 'delete' && (
          <DeleteFolder
            folder={current}
            onDone={() => {
              setMode(null);
              onSelect(current.parent_id);
            }}
          />
        )}
      </Modal>
    </Group>
  );
}

function FolderForm({
  folders,
  editing,
  parent,
  onDone,
}: {
  folders: FolderNode[];
  editing: FolderNode | null;
  parent: string | null;
  onDone: (id?: string) => void;
}) {
  const { workspace_id: ws } = useSession();
  const [name, setName] = useState(editing?.name ?? '');
  const [parentId, setParentId] = useState<string | null>(editing ? editing.parent_id : parent);
  const save = useApiMutation(
    async (v: { name: string; parent_id: string | null }) =>
      editing
        ? unwrap(
            api.PATCH('/workspaces/{ws}/compliance/documents/folders/{id}', {
              params: { path: { ws, id: editing.id } },
              body: v,
            }),
          )
        : unwrap(
            api.POST('/workspaces/{ws}/compliance/documents/folders', { params: { path: { ws } }, body: v }),
          ),
    {
      success: editing ? 'Folder saved' : 'Folder created',
      invalidate: [['folders']],
      onSuccess: (f) => onDone(f.id),
    },
  );
  // a folder may not move into itself or below itself
  const below = (id: string) => {
    const subtree = flattenFolders(
      flattenFolders(folders).find((f) => f.node.id === editing?.id)?.node.children ?? [],
    );
    return id === editing?.id || subtree.some((f) => f.node.id === id);
  };
  const options = flattenFolders(folders)
    .filter((f) => !below(f.node.id))
    .map((f) => ({ value: f.node.id, label: f.path }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) save.mutate({ name: name.trim(), parent_id: parentId });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label="Name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Select
          label="Inside"
          placeholder="Top level"
          clearable
          searchable
          data={options}
          value={parentId}
          onChange={setParentId}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
            {editing ? 'Save' : 'Create'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteFolder({ folder, onDone }: { folder: FolderNode; onDone: () => void }) {
  const { workspace_id: ws } = useSession();
  const [force, setForce] = useState(false);
  const remove = useApiMutation(
    () =>
      unwrap(
        api.DELETE('/workspaces/{ws}/compliance/documents/folders/{id}', {
          params: { path: { ws, id: folder.id }, query: force ? { force: 'true' } : {} },
        }),
      ),
    {
      success: (r) => `${r.folders_deleted} folder(s) deleted, ${r.documents_moved} document(s) moved up`,
      invalidate: [['folders'], ['documents']],
      onSuccess: onDone,
    },
  );
  const empty = folder.document_count === 0 && !(folder.children?.length ?? 0);
  return (
    <Stack>
      <Title order={3} size="h5">
        {folder.name}
      </Title>
      <Text size="sm">
        Documents are never deleted here. {empty ? 'The folder is empty.' : 'The folder is not empty: '}
        {!empty && 'with the box below, its sub-folders go too and its documents move to its parent.'}
      </Text>
      {!empty && (
        <Checkbox
          label="Delete sub-folders too and move their documents up"
          checked={force}
          onChange={(e) => setForce(e.currentTarget.checked)}
        />
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button
          color="red"
          loading={remove.isPending}
          disabled={!empty && !force}
          onClick={() => remove.mutate(undefined)}
        >
          Delete
        </Button>
      </Group>
    </Stack>
  );
}
