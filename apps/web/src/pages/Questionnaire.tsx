import { Anchor, Badge, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import type { Reply } from '../api/types';
import { formatBytes } from '../api/upload';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime, StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import { SuggestionsCard } from './QuestionnaireSuggestions';
import { DeleteQuestionnaireModal } from './Questionnaires';

type Analysis = Reply<'/workspaces/{ws}/questionnaires/{id}/analyze', 'post'>;
type Kind = 'ALL' | 'QUESTION' | 'HEADER' | 'BLANK';

export function QuestionnairePage() {
  const { id = '' } = useParams();
  const session = useSession();
  const ws = session.workspace_id;
  const canWrite = hasRole(session, ROLES.assign);
  const navigate = useNavigate();
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [deleting, setDeleting] = useState(false);
  const meta = useQuery({
    queryKey: ['questionnaires', ws, id],
    queryFn: () => unwrap(api.GET('/workspaces/{ws}/questionnaires/{id}', { params: { path: { ws, id } } })),
  });
  const analyze = useApiMutation(
    () => unwrap(api.POST('/workspaces/{ws}/questionnaires/{id}/analyze', { params: { path: { ws, id } } })),
    {
      success: (r) => `${r.suggestions_count} suggestion(s), ${r.skipped_count} row(s) skipped`,
      invalidate: [['questionnaires'], ['suggestions', ws, id]],
      onSuccess: setAnalysis,
    },
  );

  return (
    <Stack>
      <Anchor component={Link} to="/questionnaires" size="sm">
        ← All questionnaires
      </Anchor>
      <QueryState query={meta} label="questionnaire">
        {(q) => (
          <>
            <Group justify="space-between">
              <Title order={1}>{q.name}</Title>
              <Group>
                <RoleButton
                  allowed={canWrite}
                  variant="default"
                  color="red"
                  reason="Only admins and managers may delete questionnaires"
                  onClick={() => setDeleting(true)}
                >
                  Delete
                </RoleButton>
                <RoleButton
                  allowed={canWrite}
                  loading={analyze.isPending}
                  reason="Only admins and managers may analyze questionnaires"
                  onClick={() => analyze.mutate(undefined)}
                >
                  {q.status === 'ANALYZED' ? 'Analyze again' : 'Analyze'}
                </RoleButton>
              </Group>
            </Group>
            <Card withBorder>
              <SimpleGrid cols={{ base: 2, sm: 4 }}>
                <Fact label="Status">
                  <StatusBadge status={q.status} />
                </Fact>
                <Fact label="Questions">{q.question_count}</Fact>
                <Fact label="File">
                  {q.file_name} ({formatBytes(q.size_bytes)})
                </Fact>
                <Fact label="Imported">
                  <DateTime value={q.created_at} />
                </Fact>
                <Fact label="Analyzed">
                  <DateTime value={q.analyzed_at} />
                </Fact>
                <Fact label="sha256">
                  <Text size="xs" ff="monospace" title={q.sha256}>
                    {q.sha256.slice(0, 16)}…
                  </Text>
                </Fact>
              </SimpleGrid>
            </Card>
            {analysis && <AnalysisCard analysis={analysis} />}
            <SuggestionsCard questionnaireId={id} />
            <QuestionsCard questionnaireId={id} />
            <DeleteQuestionnaireModal
              questionnaire={deleting ? q : null}
              onClose={() => setDeleting(false)}
              onDeleted={() => navigate('/questionnaires')}
            />
          </>
        )}
      </QueryState>
    </Stack>
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

function AnalysisCard({ analysis }: { analysis: Analysis }) {
  const s = analysis.skip_summary;
  return (
    <Card withBorder component="section" aria-labelledby="analysis-title">
      <Title order={2} size="h4" mb="xs" id="analysis-title">
        Analysis
      </Title>
      <Text size="sm" role="status">
        {analysis.suggestions_count} suggestion(s); {analysis.skipped_count} row(s) skipped: {s.duplicates}{' '}
        duplicate(s), {s.negatives} answered “no”, {s.blanks} blank, {s.headers} header(s).
      </Text>
      <Group gap="xs" mt="xs" role="group" aria-label="Suggestions per domain">
        {Object.entries(analysis.domains).map(([domain, n]) => (
          <Badge key={domain} variant="light">
            {domain}: {n}
          </Badge>
        ))}
      </Group>
    </Card>
  );
}

function QuestionsCard({ questionnaireId: id }: { questionnaireId: string }) {
  const { workspace_id: ws } = useSession();
  const [kind, setKind] = useState<Kind>('ALL');
  const paging = useCursorPaging(id);
  const questions = useQuery({
    queryKey: ['questions', ws, id, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/questionnaires/{id}/questions', {
          params: { path: { ws, id }, query: { limit: 100, cursor: paging.cursor } },
        }),
      ),
  });
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Parsed rows
        </Title>
        <SegmentedControl
          size="xs"
          aria-label="Show rows of kind"
          value={kind}
          onChange={(v) => setKind(v as Kind)}
          data={[
            { value: 'ALL', label: 'All' },
            { value: 'QUESTION', label: 'Questions' },
            { value: 'HEADER', label: 'Headers' },
            { value: 'BLANK', label: 'Blanks' },
          ]}
        />
      </Group>
      <QueryState query={questions} label="questions">
        {(r) => (
          <>
            <DataTable
              caption="Parsed rows of the questionnaire, in sheet and row order"
              rows={kind === 'ALL' ? r.data : r.data.filter((q) => q.kind === kind)}
              rowKey={(q) => q.id}
              empty="No row of this kind on this page."
              columns={[
                { key: 'sheet', header: 'Sheet', render: (q) => q.sheet },
                { key: 'row', header: 'Row', render: (q) => q.row_number, sortValue: (q) => q.row_number },
                { key: 'qid', header: 'ID', render: (q) => q.question_id ?? '—' },
                { key: 'text', header: 'Question', render: (q) => q.text || '—' },
                { key: 'answer', header: 'Answer', render: (q) => q.answer ?? '—' },
                { key: 'domain', header: 'Domain', render: (q) => q.domain ?? '—' },
                { key: 'kind', header: 'Kind', render: (q) => q.kind.toLowerCase() },
              ]}
            />
            <Pager paging={paging} nextCursor={r.next_cursor} label="Parsed rows" />
          </>
        )}
      </QueryState>
    </Card>
  );
}
