import { Anchor, Button, Card, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, ProblemError, unwrap } from '../api/client';
import type { Reply } from '../api/types';
import { formatBytes, sendWithProgress } from '../api/upload';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime, StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { DropArea, type UploadState, UploadStatus } from '../components/UploadProgress';
import { hasRole, ROLES, useSession } from '../session';

export type Questionnaire = Reply<'/workspaces/{ws}/questionnaires/{id}', 'get'>;

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XLS_MIME = 'application/vnd.ms-excel';
/** The API's UPLOAD_LIMIT_BYTES default; a larger file is refused (413) with the configured limit. */
const ACCEPT = `.xlsx,.xls,${XLSX_MIME},${XLS_MIME}`;

export function QuestionnairesPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const canWrite = hasRole(session, ROLES.assign);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [upload, setUpload] = useState<UploadState>({ phase: 'idle' });
  const [deleting, setDeleting] = useState<Questionnaire | null>(null);
  const paging = useCursorPaging('questionnaires');
  const list = useQuery({
    queryKey: ['questionnaires', ws, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/questionnaires', {
          params: { path: { ws }, query: { limit: 25, cursor: paging.cursor } },
        }),
      ),
  });

  const send = async (file: File) => {
    if (!/\.(xlsx|xls)$/i.test(file.name)) {
      setUpload({ phase: 'failed', file: file.name, message: 'Choose an Excel workbook (.xlsx or .xls).' });
      return;
    }
    const total = file.size;
    setUpload({ phase: 'sending', file: file.name, progress: { loaded: 0, total } });
    const query = new URLSearchParams({ filename: file.name });
    if (name.trim()) query.set('name', name.trim());
    try {
      const q = await sendWithProgress<Questionnaire>({
        method: 'POST',
        url: `/workspaces/${ws}/questionnaires/upload?${query}`,
        headers: { 'Content-Type': /\.xls$/i.test(file.name) ? XLS_MIME : XLSX_MIME },
        body: file,
        sameOrigin: true,
        onProgress: (progress) =>
          setUpload({
            phase: progress.loaded >= progress.total ? 'processing' : 'sending',
            file: file.name,
            progress,
          }),
      });
      setUpload({
        phase: 'done',
        file: file.name,
        message: `uploaded, ${q.question_count} question(s) parsed`,
      });
      setName('');
      await qc.invalidateQueries({ queryKey: ['questionnaires'] });
      navigate(`/questionnaires/${q.id}`);
    } catch (err) {
      const p = err instanceof ProblemError ? err : null;
      const message = p
        ? [p.detail, ...p.errors.map((e) => `${e.field}: ${e.message}`)].join(' · ')
        : String(err);
      setUpload({ phase: 'failed', file: file.name, message });
    }
  };
  const busy = upload.phase === 'sending' || upload.phase === 'processing' || upload.phase === 'preparing';

  return (
    <Stack>
      <Title order={1}>Questionnaires</Title>
      {/* A read-only member (an auditor) is shown no import form at all. */}
      {!session.read_only && (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Import a questionnaire
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            An Excel workbook of security questions (.xlsx or .xls, up to {formatBytes(10 * 1024 * 1024)}).
            Its rows are parsed and kept; the file itself is not stored. Analyze it to get reminder
            suggestions.
          </Text>
          <Stack gap="sm">
            <TextInput
              label="Name (optional)"
              description="Defaults to the file name"
              value={name}
              maxLength={200}
              disabled={!canWrite || busy}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <DropArea
              label="Questionnaire file"
              hint="Drop an .xlsx or .xls file here, or"
              accept={ACCEPT}
              disabled={!canWrite || busy}
              disabledReason={canWrite ? 'Uploading…' : 'Only admins and managers may import questionnaires'}
              onFile={send}
            />
            <UploadStatus state={upload} processingLabel="Parsing the workbook…" />
          </Stack>
        </Card>
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Imported questionnaires
        </Title>
        <QueryState query={list} label="questionnaires">
          {(r) => (
            <>
              <DataTable
                caption="Imported questionnaires, newest first"
                rows={r.data}
                rowKey={(q) => q.id}
                empty="No questionnaire yet. Drop a workbook above."
                columns={[
                  {
                    key: 'name',
                    header: 'Name',
                    sortValue: (q) => q.name,
                    render: (q) => (
                      <Anchor component={Link} to={`/questionnaires/${q.id}`}>
                        {q.name}
                      </Anchor>
                    ),
                  },
                  { key: 'file', header: 'File', render: (q) => q.file_name },
                  { key: 'size', header: 'Size', render: (q) => formatBytes(q.size_bytes) },
                  {
                    key: 'status',
                    header: 'Status',
                    render: (q) => <StatusBadge status={q.status} />,
                    sortValue: (q) => q.status,
                  },
                  {
                    key: 'questions',
                    header: 'Questions',
                    render: (q) => q.question_count,
                    sortValue: (q) => q.question_count,
                  },
                  {
                    key: 'created',
                    header: 'Imported',
                    render: (q) => <DateTime value={q.created_at} />,
                    sortValue: (q) => q.created_at,
                  },
                  { key: 'analyzed', header: 'Analyzed', render: (q) => <DateTime value={q.analyzed_at} /> },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (q) => (
                      <RoleButton
                        allowed={canWrite}
                        size="xs"
                        variant="subtle"
                        color="red"
                        aria-label={`Delete ${q.name}`}
                        reason="Only admins and managers may delete questionnaires"
                        onClick={() => setDeleting(q)}
                      >
                        Delete
                      </RoleButton>
                    ),
                  },
                ]}
              />
              <Pager paging={paging} nextCursor={r.next_cursor} label="Questionnaires" />
            </>
          )}
        </QueryState>
      </Card>
      <DeleteQuestionnaireModal questionnaire={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

export function DeleteQuestionnaireModal({
  questionnaire,
  onClose,
  onDeleted,
}: {
  questionnaire: Questionnaire | null;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const { workspace_id: ws } = useSession();
  const remove = useApiMutation(
    (id: string) =>
      unwrap(api.DELETE('/workspaces/{ws}/questionnaires/{id}', { params: { path: { ws, id } } })),
    {
      success: 'Questionnaire deleted',
      invalidate: [['questionnaires'], ['suggestions']],
      onSuccess: () => {
        onClose();
        onDeleted?.();
      },
    },
  );
  return (
    <Modal opened={questionnaire !== null} onClose={onClose} title="Delete questionnaire">
      <Stack>
        <Text size="sm">
          Delete <b>{questionnaire?.name}</b>? Its parsed questions and pending suggestions go; reminders
          already accepted from it stay.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => questionnaire && remove.mutate(questionnaire.id)}
          >
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
