import { Alert, Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useMemberNames } from '../api/lookups';
import { StatusBadge } from '../components/format';
import { QueryState } from '../components/states';
import { useSession } from '../session';

const monthLabel = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const timeLabel = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
/** The viewer's local day of an instant, as a sortable key. */
const dayKey = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

type Entry = {
  key: string;
  at: Date;
  title: string;
  kind: 'instance' | 'projected';
  status?: string;
  owner?: string;
};

/**
 * An agenda of one month in the viewer's time zone: the instances due (those the caller reads)
 * and the occurrences active reminders will create (GET …/reminders/calendar).
 */
export function ReminderCalendar() {
  const { workspace_id: ws } = useSession();
  const names = useMemberNames();
  const [offset, setOffset] = useState(0);
  const now = new Date();
  const from = new Date(now.getFullYear(), now.getMonth() + offset, 1);
  const to = new Date(now.getFullYear(), now.getMonth() + offset + 1, 1);
  const calendar = useQuery({
    queryKey: ['reminders', 'calendar', from.toISOString()],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/reminders/calendar', {
          params: { path: { ws }, query: { from: from.toISOString(), to: to.toISOString() } },
        }),
      ),
  });
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Calendar: {monthLabel.format(from)}
        </Title>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => setOffset((o) => o - 1)}>
            Previous month
          </Button>
          <Button size="xs" variant="default" onClick={() => setOffset(0)} disabled={offset === 0}>
            This month
          </Button>
          <Button size="xs" variant="default" onClick={() => setOffset((o) => o + 1)}>
            Next month
          </Button>
        </Group>
      </Group>
      <QueryState query={calendar} label="the calendar">
        {(c) => {
          const entries: Entry[] = [
            ...c.instances.map((i) => ({
              key: i.id,
              at: new Date(i.due_date),
              title: i.title,
              kind: 'instance' as const,
              status: i.status,
              owner: names(i.assigned_owner_id),
            })),
            ...c.projected.map((p) => ({
              key: `${p.reminder_id}:${p.due_date}`,
              at: new Date(p.due_date),
              title: p.title,
              kind: 'projected' as const,
            })),
          ].sort((a, b) => a.at.getTime() - b.at.getTime());
          const days = [...new Set(entries.map((e) => dayKey(e.at)))];
          if (entries.length === 0) return <Text size="sm">Nothing is due this month.</Text>;
          return (
            <Stack gap="xs">
              {c.truncated && (
                <Alert color="orange">Only the first occurrences of this month are shown.</Alert>
              )}
              <Table aria-label="Reminders calendar" data-testid="reminder-calendar">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Day</Table.Th>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Reminder</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Owner</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {days.flatMap((day) =>
                    entries
                      .filter((e) => dayKey(e.at) === day)
                      .map((e, i) => (
                        <Table.Tr key={e.key}>
                          <Table.Td>{i === 0 ? dayLabel.format(e.at) : ''}</Table.Td>
                          <Table.Td>
                            <time dateTime={e.at.toISOString()}>{timeLabel.format(e.at)}</time>
                          </Table.Td>
                          <Table.Td>{e.title}</Table.Td>
                          <Table.Td>
                            {e.kind === 'instance' ? (
                              <StatusBadge status={e.status} />
                            ) : (
                              <Badge variant="outline" color="gray">
                                planned
                              </Badge>
                            )}
                          </Table.Td>
                          <Table.Td>{e.owner ?? '—'}</Table.Td>
                        </Table.Tr>
                      )),
                  )}
                </Table.Tbody>
              </Table>
            </Stack>
          );
        }}
      </QueryState>
    </Card>
  );
}
