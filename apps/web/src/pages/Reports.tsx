import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/DataTable';
import { DateTime, LevelBadge, percent, StatusBadge } from '../components/format';
import { QueryState } from '../components/states';

/** A CSV export of a report: the same rows as its JSON (the browser downloads the attachment). */
export function CsvLink({ href, label }: { href: string; label: string }) {
  return (
    <Anchor href={`${href}${href.includes('?') ? '&' : '?'}format=csv`} download size="sm">
      Download CSV<VisuallyHidden> of {label}</VisuallyHidden>
    </Anchor>
  );
}

function ReportCard({ title, csv, children }: { title: string; csv: string; children: ReactNode }) {
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {title}
        </Title>
        <CsvLink href={csv} label={title.toLowerCase()} />
      </Group>
      {children}
    </Card>
  );
}

const Stat = ({ label, value }: { label: string; value: ReactNode }) => (
  <Stack gap={0}>
    <Text size="xs" c="dimmed">
      {label}
    </Text>
    <Text fw={700}>{value}</Text>
  </Stack>
);

/** The workspace's compliance reports (overview, overdue items, expiring certifications), each as CSV too. */
export function ReportsPage() {
  const overview = useQuery({
    queryKey: ['reports', 'overview'],
    queryFn: () => unwrap(api.GET('/compliance/reports/overview')),
  });
  const overdue = useQuery({
    queryKey: ['reports', 'overdue'],
    queryFn: () => unwrap(api.GET('/compliance/reports/overdue', { params: { query: { limit: 200 } } })),
  });
  const expiring = useQuery({
    queryKey: ['reports', 'expiring', 30],
    queryFn: () =>
      unwrap(
        api.GET('/compliance/reports/expiring-certifications', { params: { query: { days_ahead: 30 } } }),
      ),
  });
  return (
    <Stack>
      <Title order={1}>Reports</Title>
      <Text size="sm">Every report downloads as CSV with the same rows as shown.</Text>
      <ReportCard title="Compliance overview" csv="/compliance/reports/overview">
        <QueryState query={overview} label="the compliance overview">
          {(o) => (
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
              <Stat label="Compliance score" value={percent(o.compliance_score)} />
              <Stat label="Active members" value={o.members.active} />
              <Stat label="Training completion" value={percent(o.training.completion_rate)} />
              <Stat
                label="Required certifications held"
                value={percent(o.certifications.required_coverage_rate)}
              />
              <Stat label="Reminder completion" value={percent(o.reminders.completion_rate)} />
              <Stat label="Policy acknowledgement" value={percent(o.policies.acknowledgement_rate)} />
            </SimpleGrid>
          )}
        </QueryState>
      </ReportCard>
      <ReportCard title="Overdue items" csv="/compliance/reports/overdue?limit=1000">
        <QueryState query={overdue} label="overdue items">
          {(r) => (
            <DataTable
              caption="Overdue items across kinds"
              rows={r.data}
              rowKey={(i) => `${i.kind}/${i.id}`}
              empty="Nothing is overdue."
              columns={[
                { key: 'kind', header: 'Kind', render: (i) => i.kind },
                { key: 'title', header: 'Item', render: (i) => i.title, sortValue: (i) => i.title },
                { key: 'owner', header: 'Owner', render: (i) => i.owner_name ?? '—' },
                {
                  key: 'due',
                  header: 'Due',
                  render: (i) => <DateTime value={i.due_at} />,
                  sortValue: (i) => i.due_at,
                },
                {
                  key: 'days',
                  header: 'Days overdue',
                  render: (i) => i.days_overdue,
                  sortValue: (i) => i.days_overdue,
                },
                {
                  key: 'level',
                  header: 'Escalation',
                  render: (i) => <LevelBadge level={i.escalation_level} />,
                },
              ]}
            />
          )}
        </QueryState>
      </ReportCard>
      <ReportCard
        title="Certifications expiring in 30 days"
        csv="/compliance/reports/expiring-certifications?days_ahead=30"
      >
        <QueryState query={expiring} label="expiring certifications">
          {(r) => (
            <DataTable
              caption="Certifications expiring within 30 days"
              rows={r.data}
              rowKey={(c) => c.id}
              empty="No certification expires in the next 30 days."
              columns={[
                { key: 'name', header: 'Certification', render: (c) => c.certification_name },
                { key: 'holder', header: 'Holder', render: (c) => c.developer_name ?? '—' },
                { key: 'status', header: 'Status', render: (c) => <StatusBadge status={c.status} /> },
                {
                  key: 'expiry',
                  header: 'Expires',
                  render: (c) => <DateTime value={c.expiry_date} date />,
                  sortValue: (c) => c.expiry_date,
                },
                { key: 'days', header: 'Days left', render: (c) => c.days_until_expiry },
              ]}
            />
          )}
        </QueryState>
      </ReportCard>
    </Stack>
  );
}
