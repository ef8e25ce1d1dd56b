import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { api, unwrap } from '../api/client';
import {
  CHANGE_REASON,
  type ComplianceDocument,
  type DocumentVersion,
  type ExtractedMetadata,
  mayChangeDocument,
} from '../api/documents';
import { useMemberNames } from '../api/lookups';
import { formatBytes } from '../api/upload';
import { DataTable } from '../components/DataTable';
import { DateTime } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { useSession } from '../session';

const EXTRACTION_COLORS = { PENDING: 'blue', DONE: 'green', FAILED: 'red' } as const;

/** Where a version's metadata extraction stands. */
export function ExtractionBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span>—</span>;
  return (
    <Badge variant="light" color={EXTRACTION_COLORS[status as keyof typeof EXTRACTION_COLORS] ?? 'gray'}>
      {status}
    </Badge>
  );
}

/** Every version, newest first, with downloads and a re-run of the extraction. */
export function VersionsCard({
  doc,
  shown,
  onShow,
}: {
  doc: ComplianceDocument;
  shown: number;
  onShow: (version: number) => void;
}) {
  const session = useSession();
  const ws = session.workspace_id;
  const names = useMemberNames();
  const canWrite = mayChangeDocument(session, doc) && doc.status !== 'DELETED';
  const rerun = useApiMutation(
    (version: number) =>
      unwrap(
        api.POST('/workspaces/{ws}/compliance/documents/{doc_id}/versions/{version}/extract', {
          params: { path: { ws, doc_id: doc.id, version } },
          body: {},
        }),
      ),
    { success: 'Extraction started again', invalidate: [['documents']] },
  );
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Versions
      </Title>
      <DataTable
        caption="Versions of this document, newest first"
        rows={doc.versions}
        rowKey={(v) => v.id}
        columns={[
          { key: 'version', header: 'Version', render: (v) => `v${v.version}`, sortValue: (v) => v.version },
          {
            key: 'file',
            header: 'File',
            render: (v) =>
              v.download_url ? (
                <Anchor href={v.download_url} target="_blank" rel="noreferrer">
                  {v.file_name}
                </Anchor>
              ) : (
                v.file_name
              ),
          },
          { key: 'type', header: 'Type', render: (v) => v.mime_type },
          { key: 'size', header: 'Size', render: (v) => formatBytes(v.size_bytes) },
          {
            key: 'sha',
            header: 'sha256',
            render: (v) => (
              <Text size="xs" ff="monospace" title={v.sha256}>
                {v.sha256.slice(0, 12)}…
              </Text>
            ),
          },
          { key: 'by', header: 'Uploaded by', render: (v) => names(v.uploaded_by_id) },
          { key: 'at', header: 'Uploaded', render: (v) => <DateTime value={v.created_at} /> },
          {
            key: 'extraction',
            header: 'Extraction',
            render: (v) => (
              <Stack gap={2}>
                <ExtractionBadge status={v.extraction_status} />
                {v.extraction_error && (
                  <Text size="xs" c="red">
                    {v.extraction_error}
                  </Text>
                )}
              </Stack>
            ),
          },
          {
            key: 'actions',
            header: 'Actions',
            render: (v) => (
              <Group gap={4} wrap="nowrap">
                <Button
                  size="xs"
                  variant={shown === v.version ? 'filled' : 'default'}
                  aria-label={`Show the metadata of v${v.version}`}
                  aria-pressed={shown === v.version}
                  onClick={() => onShow(v.version)}
                >
                  Metadata
                </Button>
                {v.extraction_status !== 'PENDING' && (
                  <RoleButton
                    allowed={canWrite}
                    reason={CHANGE_REASON}
                    size="xs"
                    variant="subtle"
                    aria-label={`Extract v${v.version} again`}
                    loading={rerun.isPending && rerun.variables === v.version}
                    onClick={() => rerun.mutate(v.version)}
                  >
                    Extract again
                  </RoleButton>
                )}
              </Group>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** What extraction found in one version: format, pages, language, extract, SOC 2 criteria, summary. */
export function MetadataCard({ version: v }: { version: DocumentVersion }) {
  const m: ExtractedMetadata | null = v.metadata;
  return (
    <Card withBorder component="section" aria-labelledby="metadata-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="metadata-title">
          Extracted metadata of v{v.version}
        </Title>
        <Group gap="xs">
          <Text size="sm">Extraction:</Text>
          <ExtractionBadge status={v.extraction_status} />
          {v.extracted_at && (
            <Text size="xs" c="dimmed">
              <DateTime value={v.extracted_at} />
            </Text>
          )}
        </Group>
      </Group>
      {v.extraction_status === 'PENDING' && (
        <Text size="sm" c="dimmed" role="status">
          The file is being read; this takes a few seconds.
        </Text>
      )}
      {v.extraction_status === 'FAILED' && (
        <Text size="sm" c="red">
          {v.extraction_error ?? 'Extraction failed'}; the file itself is kept.
        </Text>
      )}
      {m && <MetadataDetails m={m} />}
    </Card>
  );
}

function MetadataDetails({ m }: { m: ExtractedMetadata }) {
  const facts: Array<[string, string | number | null | undefined]> = [
    ['Format', m.format],
    ['Content type', m.content_type],
    ['Declared type', m.declared_type],
    ['Page count', m.page_count],
    ['Pages read', m.pages_read],
    ['Sheets', m.sheet_count],
    ['Rows', m.row_count],
    ['Words', m.word_count],
    ['Characters', m.char_count],
    ['Language', m.language],
    ['Title', m.title],
    ['Author', m.author],
    [
      'Image',
      m.image ? `${m.image.width ?? '?'} × ${m.image.height ?? '?'} ${m.image.type ?? ''}` : undefined,
    ],
  ];
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 4 }} component="dl" spacing="xs" m={0}>
        {facts
          .filter(([, value]) => value !== undefined && value !== null && value !== '')
          .map(([label, value]) => (
            <div key={label}>
              <Text component="dt" size="xs" c="dimmed">
                {label}
              </Text>
              <Text component="dd" size="sm" m={0}>
                {String(value)}
              </Text>
            </div>
          ))}
      </SimpleGrid>
      {m.type_matches === false && (
        <Text size="sm" c="orange">
          The bytes are not of the declared type.
        </Text>
      )}
      {m.summary && (
        <div>
          <Text size="xs" c="dimmed">
            Summary ({m.summary_source === 'LLM' ? `model ${m.summary_model ?? ''}` : 'first sentences'})
          </Text>
          <Text size="sm">{m.summary}</Text>
        </div>
      )}
      {m.extract && (
        <section aria-label="Text extract">
          <Text size="xs" c="dimmed">
            Extract{m.text_truncated ? ' (only part of the text was read)' : ''}
          </Text>
          <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {m.extract}
          </Code>
        </section>
      )}
      {m.sheets && m.sheets.length > 0 && (
        <Text size="sm">
          Sheets: {m.sheets.map((s) => `${s.name} (${s.rows} × ${s.columns})`).join(', ')}
        </Text>
      )}
      <div>
        <Text size="xs" c="dimmed" mb={4}>
          SOC 2 criteria detected{m.domains?.length ? ` (${m.domains.join(', ')})` : ''}
        </Text>
        {m.criteria?.length ? (
          <Table aria-label="SOC 2 criteria detected in the text" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Criterion</Table.Th>
                <Table.Th scope="col">Category</Table.Th>
                <Table.Th scope="col">Score</Table.Th>
                <Table.Th scope="col">Matches</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {m.criteria.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <b>{c.id}</b> {c.name}
                  </Table.Td>
                  <Table.Td>{c.category}</Table.Td>
                  <Table.Td>{c.score}</Table.Td>
                  <Table.Td>{c.matches.slice(0, 5).join(', ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm">None found.</Text>
        )}
      </div>
    </Stack>
  );
}
