import { BarChart, DonutChart } from '@mantine/charts';
import { Anchor, Card, Group, RingProgress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/DataTable';
import { DateTime, LevelBadge, percent, StatusBadge, viewerTimeZone } from '../components/format';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

const KIND_LABEL: Record<string, string> = {
  training_assignment: 'Training',
  member_certification: 'Certification',
  reminder_instance: 'Reminder',
  acknowledgement_request: 'Policy acknowledgement',
};

const LIVE = { refetchInterval: 10_000 } as const;

function weekWindow() {
  const from = new Date();
  from.setHours(0, 0, 0, 0);
  const to = new Date(from.getTime() + 7 * 86_400_000);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** The compliance officer's first page: score, overdue work, escalations, expiring, deadlines, activity. */
export function OverviewPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const overview = useQuery({
    queryKey: ['reports', 'overview'],
    queryFn: () => unwrap(api.GET('/compliance/reports/overview')),
    ...LIVE,
  });
  const overdue = useQuery({
    queryKey: ['reports', 'overdue'],
    queryFn: () => unwrap(api.GET('/compliance/reports/overdue', { params: { query: { limit: 200 } } })),
    ...LIVE,
  });
  const expiring = useQuery({
    queryKey: ['reports', 'expiring'],
    queryFn: () =>
      unwrap(
        api.GET('/compliance/reports/expiring-certifications', { params: { query: { days_ahead: 30 } } }),
      ),
  });
  const week = weekWindow();
  const calendar = useQuery({
    queryKey: ['reminders', 'calendar', week.from.slice(0, 10)],
    queryFn: () =>
      unwrap(api.GET('/workspaces/{ws}/reminders/calendar', { params: { path: { ws }, query: week } })),
  });
  const tickets = useQuery({
    queryKey: ['tickets', 'OPEN', 'overview'],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/tickets', {
          params: { path: { ws }, query: { status: 'OPEN', limit: 200 } },
        }),
      ),
    ...LIVE,
  });
  const canAudit = hasRole(session, ROLES.audit);
  const audit = useQuery({
    queryKey: ['audit', 'recent'],
    queryFn: () => unwrap(api.GET('/compliance/audit-logs', { params: { query: { limit: 8 } } })),
    enabled: canAudit,
    ...LIVE,
  });

  return (
    <Stack>
      <Title order={1}>Overview</Title>
      <QueryState query={overview} label="the compliance overview">
        {(o) => {
          const score = o.compliance_score;
          const color = score >= 90 ? 'green' : score >= 70 ? 'yellow' : 'red';
          return (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
              <Card withBorder>
                <Group>
                  <RingProgress
                    size={96}
                    thickness={10}
                    sections={[{ value: score, color }]}
                    label={
                      <Text ta="center" fw={700} aria-hidden="true">
                        {score}
                      </Text>
                    }
                    aria-hidden="true"
                  />
                  <div>
                    <Text size="sm" c="dimmed">
                      Compliance score
                    </Text>
                    <Text fw={700} size="xl" data-testid="compliance-score">
                      {score}%
                    </Text>
                    <Text size="xs">{o.members.active} active members</Text>
                  </div>
                </Group>
              </Card>
              <Stat label="Training completion" value={percent(o.training.completion_rate)}>
                {o.training.overdue} overdue of {o.training.total}
              </Stat>
              <Stat label="Policy acknowledgement" value={percent(o.policies.acknowledgement_rate)}>
                {o.policies.policies_pending_approval} policies awaiting approval
              </Stat>
              <Stat label="Open tickets" value={String(o.tickets.open)}>
                {o.tickets.escalated} escalated
              </Stat>
            </SimpleGrid>
          );
        }}
      </QueryState>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Overdue by kind
          </Title>
          <QueryState query={overdue} label="overdue items">
            {(r) => {
              const data = Object.entries(KIND_LABEL).map(([kind, label]) => ({
                kind: label,
                Overdue: r.data.filter((i) => i.kind === kind).length,
              }));
              return (
                <figure
                  aria-label={data.map((d) => `${d.kind}: ${d.Overdue}`).join(', ')}
                  style={{ margin: 0 }}
                >
                  <BarChart
                    h={200}
                    data={data}
                    dataKey="kind"
                    series={[{ name: 'Overdue', color: 'red.6' }]}
                  />
                </figure>
              );
            }}
          </QueryState>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Escalations by level
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            Overdue obligations and open tickets, by their current level
          </Text>
          <QueryState query={overdue} label="escalations">
            {(r) => {
              const levelsNow = [
                ...r.data.map((x) => x.escalation_level),
                ...(tickets.data?.data ?? []).map((t) => t.current_escalation_level),
              ];
              const levels = ['L1', 'L2', 'L3', 'L4'] as const;
              const colors = ['yellow.5', 'orange.6', 'red.6', 'red.9'];
              const data = levels
                .map((l, i) => ({
                  name: l,
                  value: levelsNow.filter((x) => x === l).length,
                  color: colors[i] ?? 'gray',
                }))
                .filter((d) => d.value > 0);
              if (data.length === 0) return <Text c="dimmed">Nothing is escalated.</Text>;
              return (
                <figure
                  aria-label={data.map((d) => `${d.name}: ${d.value}`).join(', ')}
                  style={{ margin: 0 }}
                >
                  <DonutChart data={data} withLabels withTooltip size={160} thickness={24} />
                </figure>
              );
            }}
          </QueryState>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Overdue now
        </Title>
        <QueryState query={overdue} label="overdue items">
          {(r) => (
            <DataTable
              caption="Overdue items, most overdue first"
              rows={r.data.slice(0, 20)}
              rowKey={(i) => `${i.kind}:${i.id}`}
              empty="Nothing is overdue."
              columns={[
                {
                  key: 'kind',
                  header: 'Kind',
                  render: (i) => KIND_LABEL[i.kind] ?? i.kind,
                  sortValue: (i) => i.kind,
                },
                { key: 'title', header: 'Item', render: (i) => i.title, sortValue: (i) => i.title },
                {
                  key: 'owner',
                  header: 'Owner',
                  render: (i) => i.owner_name ?? '—',
                  sortValue: (i) => i.owner_name,
                },
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
                  header: 'Level',
                  render: (i) => <LevelBadge level={i.escalation_level} />,
                  sortValue: (i) => i.escalation_level,
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Certifications expiring in 30 days
          </Title>
          <QueryState query={expiring} label="expiring certifications">
            {(r) => (
              <DataTable
                caption="Certifications expiring in the next 30 days"
                rows={r.data}
                rowKey={(c) => c.id}
                empty="No certification expires in the next 30 days."
                columns={[
                  { key: 'name', header: 'Certification', render: (c) => c.certification_name },
                  { key: 'holder', header: 'Holder', render: (c) => c.developer_name ?? '—' },
                  {
                    key: 'expiry',
                    header: 'Expires',
                    render: (c) => <DateTime value={c.expiry_date} date />,
                    sortValue: (c) => c.expiry_date,
                  },
                ]}
              />
            )}
          </QueryState>
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            This week's deadlines
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            Times in {viewerTimeZone()}
          </Text>
          <QueryState query={calendar} label="this week's deadlines">
            {(c) => (
              <DataTable
                caption="Reminders due in the next seven days"
                rows={[
                  ...c.instances.map((i) => ({
                    key: i.id,
                    title: i.title,
                    due: i.due_date,
                    status: i.status,
                  })),
                  ...c.projected.map((p) => ({
                    key: `${p.reminder_id}:${p.due_date}`,
                    title: p.title,
                    due: p.due_date,
                    status: 'PROJECTED',
                  })),
                ].sort((a, b) => a.due.localeCompare(b.due))}
                rowKey={(r) => r.key}
                empty="No deadline this week."
                columns={[
                  { key: 'title', header: 'Reminder', render: (r) => r.title },
                  {
                    key: 'due',
                    header: 'Due',
                    render: (r) => <DateTime value={r.due} />,
                    sortValue: (r) => r.due,
                  },
                  { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} /> },
                ]}
              />
            )}
          </QueryState>
        </Card>
      </SimpleGrid>
      {canAudit && (
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              Recent audit activity
            </Title>
            <Anchor component={Link} to="/audit" size="sm">
              Open the audit log
            </Anchor>
          </Group>
          <QueryState query={audit} label="audit activity">
            {(r) => (
              <DataTable
                caption="The latest audit log entries"
                rows={r.data}
                rowKey={(e) => e.id}
                columns={[
                  { key: 'at', header: 'When', render: (e) => <DateTime value={e.created_at} /> },
                  { key: 'action', header: 'Action', render: (e) => e.action_type },
                  { key: 'what', header: 'Description', render: (e) => e.description ?? e.target_type },
                ]}
              />
            )}
          </QueryState>
        </Card>
      )}
    </Stack>
  );
}

function Stat({ label, value, children }: { label: string; value: string; children: React.ReactNode }) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
      <Text size="xs">{children}</Text>
    </Card>
  );
}
