import { Button, Card, Checkbox, Group, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import type { Reply } from '../api/types';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

type Member = Reply<'/workspaces/{ws}/members/{id}', 'get'>;
type Channel = 'email' | 'slack';

const ZONES: string[] = (() => {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
})();
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The member's own time zone and notification preferences (PATCH /workspaces/{ws}/members/{id}). */
export function PreferencesPage() {
  const session = useSession();
  const key = ['members', session.member_id] as const;
  const me = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/members/{id}', {
          params: { path: { ws: session.workspace_id, id: session.member_id } },
        }),
      ),
  });
  return (
    <Stack maw={640}>
      <Title order={1}>My preferences</Title>
      <Text size="sm">
        How and when Vigil reaches you. Reminders, escalations and the digest follow these settings.
      </Text>
      <QueryState query={me} label="your preferences">
        {(m) => <PreferencesForm member={m} queryKey={key} />}
      </QueryState>
    </Stack>
  );
}

function PreferencesForm({ member, queryKey }: { member: Member; queryKey: readonly unknown[] }) {
  const session = useSession();
  const p = member.notification_preferences;
  const [timezone, setTimezone] = useState(member.timezone);
  const [channels, setChannels] = useState<Channel[]>(p.channels ?? ['email', 'slack']);
  const [quiet, setQuiet] = useState(Boolean(p.quiet_hours));
  const [start, setStart] = useState(p.quiet_hours?.start ?? '20:00');
  const [end, setEnd] = useState(p.quiet_hours?.end ?? '08:00');
  const [skipWeekends, setSkipWeekends] = useState(p.skip_weekends ?? false);
  const [digest, setDigest] = useState(p.daily_digest ?? true);
  const badClock = quiet && (!CLOCK.test(start) || !CLOCK.test(end));
  const save = useApiMutation(
    () =>
      unwrap(
        api.PATCH('/workspaces/{ws}/members/{id}', {
          params: { path: { ws: session.workspace_id, id: member.id } },
          body: {
            timezone,
            notification_preferences: {
              channels,
              quiet_hours: quiet ? { start, end } : null,
              skip_weekends: skipWeekends,
              daily_digest: digest,
            },
          },
        }),
      ),
    { success: 'Preferences saved', invalidate: [queryKey] },
  );
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!badClock && channels.length) save.mutate(undefined);
        }}
      >
        <Stack>
          <Select
            label="Time zone"
            description="Dates, quiet hours and weekends are in this zone"
            data={ZONES.includes(timezone) ? ZONES : [timezone, ...ZONES]}
            value={timezone}
            onChange={(v) => v && setTimezone(v)}
            searchable
            allowDeselect={false}
          />
          <Checkbox.Group
            label="Channels"
            description="Where reminders and escalations reach you"
            value={channels}
            onChange={(v) => setChannels(v as Channel[])}
            error={channels.length ? undefined : 'Choose at least one channel'}
          >
            <Group mt={4}>
              <Checkbox value="email" label="Email" />
              <Checkbox value="slack" label="Slack" />
            </Group>
          </Checkbox.Group>
          <Switch
            label="Quiet hours (messages wait until they end)"
            checked={quiet}
            onChange={(e) => setQuiet(e.currentTarget.checked)}
          />
          {quiet && (
            <Group grow>
              <TextInput
                label="Quiet from (HH:MM)"
                value={start}
                onChange={(e) => setStart(e.currentTarget.value)}
                error={CLOCK.test(start) ? undefined : 'Expected HH:MM'}
              />
              <TextInput
                label="Quiet until (HH:MM)"
                value={end}
                onChange={(e) => setEnd(e.currentTarget.value)}
                error={CLOCK.test(end) ? undefined : 'Expected HH:MM'}
              />
            </Group>
          )}
          <Switch
            label="Skip weekends (messages wait until Monday)"
            checked={skipWeekends}
            onChange={(e) => setSkipWeekends(e.currentTarget.checked)}
          />
          <Switch
            label="Daily digest of my open items"
            checked={digest}
            onChange={(e) => setDigest(e.currentTarget.checked)}
          />
          <Group>
            {hasRole(session, ROLES.act) ? (
              <Button type="submit" loading={save.isPending}>
                Save preferences
              </Button>
            ) : (
              <RoleButton allowed={false} reason="Auditors change nothing">
                Save preferences
              </RoleButton>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
