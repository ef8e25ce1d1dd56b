import { Button, Card, Group, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useMemberNames } from '../api/lookups';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime, percent, StatusBadge, viewerTimeZone } from '../components/format';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import { ReminderCalendar } from './ReminderCalendar';
import { CreateReminderModal } from './ReminderForm';
import { ReminderInstances } from './ReminderInstances';
import { ReminderRouting } from './ReminderRouting';

/**
 * Reminders with the dashboard counts; a reminder's instances (acknowledge, complete with evidence,
 * skip, reassign, ladder); the calendar; and routing (control owners, domain mappings, rules).
 */
export function RemindersPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const names = useMemberNames();
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const paging = useCursorPaging('reminders');
  const stats = useQuery({
    queryKey: ['reminders', 'stats'],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/reminders/dashboard/stats', {
          params: { path: { ws }, query: { timezone: viewerTimeZone() } },
        }),
      ),
  });
  const reminders = useQuery({
    queryKey: ['reminders', 'list', paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/reminders', {
          params: { path: { ws }, query: { limit: 25, cursor: paging.cursor } },
        }),
      ),
  });
  const current = reminders.data?.data.find((r) => r.id === selected);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Reminders</Title>
        <RoleButton allowed={hasRole(session, ROLES.assign)} onClick={() => setCreating(true)}>
          New reminder
        </RoleButton>
      </Group>
      <QueryState query={stats} label="reminder statistics">
        {(s) => (
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Card withBorder>
              <Text size="sm">Active reminders</Text>
              <Text fw={700} size="xl">
                {s.reminders.total}
              </Text>
            </Card>
            <Card withBorder>
              <Text size="sm">Overdue instances</Text>
              <Text fw={700} size="xl">
                {s.instances.overdue}
              </Text>
            </Card>
            <Card withBorder>
              <Text size="sm">Due this week</Text>
              <Text fw={700} size="xl">
                {s.instances.due_this_week}
              </Text>
            </Card>
            <Card withBorder>
              <Text size="sm">Completion</Text>
              <Text fw={700} size="xl">
                {percent(s.instances.completion_rate)}
              </Text>
            </Card>
          </SimpleGrid>
        )}
      </QueryState>
      <Tabs defaultValue="list" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="list">Reminders</Tabs.Tab>
          <Tabs.Tab value="calendar">Calendar</Tabs.Tab>
          <Tabs.Tab value="routing">Routing</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="list" pt="md">
          <Stack>
            <Card withBorder>
              <QueryState query={reminders} label="reminders">
                {(r) => (
                  <>
                    <DataTable
                      caption="Reminders"
                      rows={r.data}
                      rowKey={(x) => x.id}
                      empty="No reminder yet."
                      columns={[
                        {
                          key: 'title',
                          header: 'Reminder',
                          render: (x) => x.title,
                          sortValue: (x) => x.title,
                        },
                        {
                          key: 'freq',
                          header: 'Frequency',
                          render: (x) => x.frequency,
                          sortValue: (x) => x.frequency,
                        },
                        {
                          key: 'prio',
                          header: 'Priority',
                          render: (x) => x.priority,
                          sortValue: (x) => x.priority,
                        },
                        { key: 'status', header: 'Status', render: (x) => <StatusBadge status={x.status} /> },
                        {
                          key: 'next',
                          header: `Next (${viewerTimeZone()})`,
                          render: (x) => <DateTime value={x.next_occurrence} />,
                          sortValue: (x) => x.next_occurrence,
                        },
                        { key: 'owner', header: 'Owner', render: (x) => names(x.default_owner_id) },
                        {
                          key: 'open',
                          header: 'Instances',
                          render: (x) => (
                            <Button
                              size="xs"
                              variant="light"
                              onClick={() => setSelected(x.id)}
                              aria-label={`Instances of ${x.title}`}
                            >
                              Instances
                            </Button>
                          ),
                        },
                      ]}
                    />
                    <Pager paging={paging} nextCursor={r.next_cursor} label="Reminders" />
                  </>
                )}
              </QueryState>
            </Card>
            {current && <ReminderInstances reminder={current} />}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="calendar" pt="md">
          <ReminderCalendar />
        </Tabs.Panel>
        <Tabs.Panel value="routing" pt="md">
          <ReminderRouting />
        </Tabs.Panel>
      </Tabs>
      <CreateReminderModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
