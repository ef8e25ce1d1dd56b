import {
  Anchor,
  Badge,
  Card,
  Grid,
  Group,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ProblemError, unwrap } from '../api/client';
import { type FolderNode, flattenFolders, uploadDocument } from '../api/documents';
import type { Reply } from '../api/types';
import { formatBytes } from '../api/upload';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime, StatusBadge } from '../components/format';
import { QueryState } from '../components/states';
import { DropArea, type UploadState, UploadStatus } from '../components/UploadProgress';
import { hasRole, ROLES, useSession } from '../session';
import { FolderActions, FolderTree } from './DocumentFolders';
import { ExtractionBadge } from './DocumentVersions';

const STATUSES = ['ACTIVE', 'ARCHIVED', 'DELETED'] as const;
type Status = (typeof STATUSES)[number];
type Doc = Reply<'/workspaces/{ws}/compliance/documents', 'get'>['data'][number];

export const problemText = (err: unknown) => {
  const p = err instanceof ProblemError ? err : null;
  return p ? [p.detail, ...p.errors.map((e) => `${e.field}: ${e.message}`)].join(' · ') : String(err);
};

export function DocumentsPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const canUpload = hasRole(session, ROLES.act);
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const folder = params.get('folder');
  const selectFolder = (f: string | null) => setParams(f ? { folder: f } : {});
  const [status, setStatus] = useState<Status>('ACTIVE');
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const [family, setFamily] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [upload, setUpload] = useState<UploadState>({ phase: 'idle' });
  const folders = useQuery({
    queryKey: ['folders', ws],
    queryFn: () =>
      unwrap(api.GET('/workspaces/{ws}/compliance/documents/folders', { params: { path: { ws } } })),
  });
  const tagList = useQuery({
    queryKey: ['documents', ws, 'tags'],
    queryFn: () =>
      unwrap(api.GET('/workspaces/{ws}/compliance/documents/tags/all', { params: { path: { ws } } })),
  });
  const filterKey = `${folder}:${status}:${search}:${tag}:${family}`;
  const paging = useCursorPaging(filterKey);
  const docs = useQuery({
    queryKey: ['documents', ws, filterKey, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/compliance/documents', {
          params: {
            path: { ws },
            query: {
              limit: 25,
              cursor: paging.cursor,
              status,
              folder_id: folder ?? undefined,
              search: search.trim() || undefined,
              tags: tag ?? undefined,
              mime_type: family ?? undefined,
            },
          },
        }),
      ),
    // extraction runs in the background: refresh while a version is still PENDING
    refetchInterval: (q) =>
      q.state.data?.data.some((d) => d.versions[0]?.extraction_status === 'PENDING') ? 2_000 : false,
  });
  const tree = (folders.data?.data ?? []) as unknown as FolderNode[];
  const folderName = (id: string | null) =>
    id ? (flattenFolders(tree).find((f) => f.node.id === id)?.path ?? id.slice(0, 8)) : 'Top level';
  const here = folder === null ? 'All documents' : folder === 'root' ? 'Top level' : folderName(folder);
  const target = folder && folder !== 'root' ? folder : null;

  const send = async (file: File) => {
    try {
      const doc = await uploadDocument(
        ws,
        file,
        {
          folder_id: target,
          ...(title.trim() ? { title: title.trim() } : {}),
          ...(tags.length ? { tags } : {}),
        },
        (phase, progress) => setUpload({ phase, file: file.name, progress }),
      );
      setUpload({
        phase: 'done',
        file: file.name,
        message: `uploaded as “${doc.title}” in ${folderName(doc.folder_id)}`,
      });
      setTitle('');
      setTags([]);
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['documents'] }),
        qc.invalidateQueries({ queryKey: ['folders'] }),
      ]);
    } catch (err) {
      setUpload({ phase: 'failed', file: file.name, message: problemText(err) });
    }
  };
  const busy = upload.phase === 'preparing' || upload.phase === 'sending' || upload.phase === 'processing';

  return (
    <Stack>
      <Title order={1}>Documents</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              Folders
            </Title>
            <QueryState query={folders} label="folders">
              {() => <FolderTree folders={tree} selected={folder} onSelect={selectFolder} />}
            </QueryState>
            <Stack mt="sm">
              <FolderActions folders={tree} selected={folder} onSelect={selectFolder} />
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                Upload to {target ? folderName(target) : 'the top level'}
              </Title>
              <Stack gap="sm">
                <Group grow align="flex-start">
                  <TextInput
                    label="Title (optional)"
                    description="Defaults to the file name"
                    maxLength={300}
                    value={title}
                    disabled={!canUpload || busy}
                    onChange={(e) => setTitle(e.currentTarget.value)}
                  />
                  <TagsInput
                    label="Tags (optional)"
                    description="Press Enter after each"
                    value={tags}
                    onChange={setTags}
                    maxTags={20}
                    disabled={!canUpload || busy}
                    data={(tagList.data?.data ?? []).map((t) => t.tag)}
                  />
                </Group>
                <DropArea
                  label="Document file"
                  hint="Drop a file here (PDF, Word, spreadsheet, CSV, text, image), or"
                  disabled={!canUpload || busy}
                  disabledReason={canUpload ? 'Uploading…' : 'Your access role may not upload documents'}
                  onFile={send}
                />
                <UploadStatus state={upload} processingLabel="Registering the file…" />
              </Stack>
            </Card>
            <Card withBorder>
              <Group justify="space-between" mb="sm" align="flex-end">
                <Title order={2} size="h4">
                  {here}
                </Title>
                <Group gap="xs" align="flex-end">
                  <TextInput
                    label="Search"
                    placeholder="Title or file name"
                    size="xs"
                    value={search}
                    onChange={(e) => setSearch(e.currentTarget.value)}
                  />
                  <Select
                    label="Tag"
                    size="xs"
                    clearable
                    searchable
                    w={140}
                    value={tag}
                    onChange={setTag}
                    data={(tagList.data?.data ?? []).map((t) => ({
                      value: t.tag,
                      label: `${t.tag} (${t.count})`,
                    }))}
                  />
                  <Select
                    label="Type"
                    size="xs"
                    clearable
                    w={130}
                    value={family}
                    onChange={setFamily}
                    data={[
                      { value: 'application/pdf', label: 'PDF' },
                      { value: 'image/*', label: 'Images' },
                      { value: 'text/*', label: 'Text and CSV' },
                      { value: 'application/*', label: 'Other files' },
                    ]}
                  />
                  <Select
                    label="Status"
                    size="xs"
                    w={120}
                    allowDeselect={false}
                    value={status}
                    onChange={(v) => v && setStatus(v as Status)}
                    data={STATUSES.map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase() }))}
                  />
                </Group>
              </Group>
              <QueryState query={docs} label="documents">
                {(r) => (
                  <>
                    <DataTable
                      caption={`Documents: ${here}`}
                      rows={r.data}
                      rowKey={(d) => d.id}
                      empty="No document here. Drop a file above."
                      columns={[
                        {
                          key: 'title',
                          header: 'Title',
                          sortValue: (d) => d.title,
                          render: (d) => (
                            <Anchor component={Link} to={`/documents/${d.id}`}>
                              {d.title}
                            </Anchor>
                          ),
                        },
                        { key: 'file', header: 'File', render: (d) => d.file_name },
                        ...(folder === null
                          ? [{ key: 'folder', header: 'Folder', render: (d: Doc) => folderName(d.folder_id) }]
                          : []),
                        {
                          key: 'version',
                          header: 'Version',
                          render: (d) => `v${d.version}`,
                          sortValue: (d) => d.version,
                        },
                        {
                          key: 'size',
                          header: 'Size',
                          render: (d) => formatBytes(d.size_bytes),
                          sortValue: (d) => d.size_bytes,
                        },
                        {
                          key: 'tags',
                          header: 'Tags',
                          render: (d) =>
                            d.tags.length ? (
                              <Group gap={4}>
                                {d.tags.map((t) => (
                                  <Badge key={t} size="xs" variant="outline">
                                    {t}
                                  </Badge>
                                ))}
                              </Group>
                            ) : (
                              '—'
                            ),
                        },
                        {
                          key: 'extraction',
                          header: 'Extraction',
                          render: (d) => <ExtractionBadge status={d.versions[0]?.extraction_status} />,
                        },
                        ...(status !== 'ACTIVE'
                          ? [
                              {
                                key: 'status',
                                header: 'Status',
                                render: (d: Doc) => <StatusBadge status={d.status} />,
                              },
                            ]
                          : []),
                        {
                          key: 'updated',
                          header: 'Updated',
                          render: (d) => <DateTime value={d.updated_at} />,
                          sortValue: (d) => d.updated_at,
                        },
                      ]}
                    />
                    <Pager paging={paging} nextCursor={r.next_cursor} label="Documents" />
                  </>
                )}
              </QueryState>
              <Text size="xs" c="dimmed" mt="xs">
                Extraction reads each version’s text in the background: page count, an extract and the SOC 2
                criteria it mentions.
              </Text>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
