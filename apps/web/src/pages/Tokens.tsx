import {
  Alert,
  Button,
  Card,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMemberNames, useMembers } from '../api/lookups';
import type { Reply } from '../api/types';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { ProblemAlert, QueryState } from '../components/states';
import { fieldErrors, textProblem } from '../components/validation';
import { hasRole, ROLES, useSession } from '../session';

type Created = Reply<'/workspaces/{ws}/tokens', 'post'>;

/** API tokens: issue one (its secret shown once), list, revoke. Admins act for anyone; others for themselves. */
export function TokensPage() {
  const session = useSession();
  const ws = session.workspace_id;
  const isAdmin = hasRole(session, ROLES.configure);
  const seesAll = hasRole(session, ROLES.audit);
  const canCreate = hasRole(session, ROLES.act);
  const names = useMemberNames();
  const members = useMembers();
  const [memberFilter, setMemberFilter] = useState<string | null>(null);
  const [withRevoked, setWithRevoked] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const paging = useCursorPaging(`${memberFilter}:${withRevoked}`);
  const tokens = useQuery({
    queryKey: ['tokens', ws, memberFilter, withRevoked, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/tokens', {
          params: {
            path: { ws },
            query: {
              limit: 25,
              cursor: paging.cursor,
              member_id: memberFilter ?? undefined,
              include_revoked: withRevoked ? 'true' : undefined,
            },
          },
        }),
      ),
  });
  const revoke = useApiMutation(
    (id: string) => unwrap(api.DELETE('/workspaces/{ws}/tokens/{id}', { params: { path: { ws, id } } })),
    { success: 'Token revoked', invalidate: [['tokens']] },
  );
  return (
    <Stack>
      <Title order={1}>API tokens</Title>
      <Text size="sm" c="dimmed">
        A token calls the API as its member with the member's access role (Authorization: Bearer …). Only its
        first characters are kept readable; the secret is shown once, when it is issued.
      </Text>
      {created && (
        <Alert
          color="green"
          title={`Token ${created.name} issued: copy it now, it is not shown again`}
          withCloseButton
          onClose={() => setCreated(null)}
          closeButtonLabel="Dismiss the new token"
        >
          <Group gap="xs">
            <Code data-testid="new-token">{created.token}</Code>
            <CopyButton value={created.token}>
              {({ copied, copy }) => (
                <Button size="xs" variant="default" onClick={copy}>
                  {copied ? 'Copied' : 'Copy token'}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      <IssueToken
        canCreate={canCreate}
        isAdmin={isAdmin}
        members={memberOptions(members.data?.data ?? [])}
        onCreated={setCreated}
      />
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {seesAll ? 'Tokens' : 'Your tokens'}
        </Title>
        <Group mb="sm" align="flex-end">
          {seesAll && (
            <Select
              label="Member"
              clearable
              searchable
              data={memberOptions(members.data?.data ?? [])}
              value={memberFilter}
              onChange={setMemberFilter}
              w={280}
            />
          )}
          <Checkbox
            label="Show revoked"
            checked={withRevoked}
            onChange={(e) => setWithRevoked(e.currentTarget.checked)}
          />
        </Group>
        <QueryState query={tokens} label="tokens">
          {(r) => (
            <>
              <DataTable
                caption="API tokens"
                rows={r.data}
                rowKey={(t) => t.id}
                empty="No token."
                columns={[
                  { key: 'name', header: 'Name', render: (t) => t.name, sortValue: (t) => t.name },
                  { key: 'member', header: 'Member', render: (t) => names(t.member_id) },
                  { key: 'prefix', header: 'Starts with', render: (t) => <Code>{t.prefix}…</Code> },
                  {
                    key: 'created',
                    header: 'Issued',
                    render: (t) => <DateTime value={t.created_at} />,
                    sortValue: (t) => t.created_at,
                  },
                  { key: 'used', header: 'Last used', render: (t) => <DateTime value={t.last_used_at} /> },
                  { key: 'expires', header: 'Expires', render: (t) => <DateTime value={t.expires_at} /> },
                  { key: 'revoked', header: 'Revoked', render: (t) => <DateTime value={t.revoked_at} /> },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (t) => (
                      <RoleButton
                        allowed={
                          !t.revoked_at && (isAdmin || (t.member_id === session.member_id && canCreate))
                        }
                        reason={t.revoked_at ? 'Already revoked' : undefined}
                        size="xs"
                        color="red"
                        variant="light"
                        onClick={() => revoke.mutate(t.id)}
                        aria-label={`Revoke token ${t.name}`}
                      >
                        Revoke
                      </RoleButton>
                    ),
                  },
                ]}
              />
              <Pager paging={paging} nextCursor={r.next_cursor} label="Tokens" />
            </>
          )}
        </QueryState>
      </Card>
    </Stack>
  );
}

function IssueToken({
  canCreate,
  isAdmin,
  members,
  onCreated,
}: {
  canCreate: boolean;
  isAdmin: boolean;
  members: Array<{ value: string; label: string }>;
  onCreated: (t: Created) => void;
}) {
  const { workspace_id: ws } = useSession();
  const [name, setName] = useState('');
  const [member, setMember] = useState<string | null>(null);
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useApiMutation(
    () =>
      unwrap(
        api.POST('/workspaces/{ws}/tokens', {
          params: { path: { ws } },
          body: {
            name: name.trim(),
            ...(member ? { member_id: member } : {}),
            ...(expires ? { expires_at: new Date(expires).toISOString() } : {}),
          },
        }),
      ),
    {
      success: 'Token issued',
      invalidate: [['tokens']],
      onSuccess: (t) => {
        setName('');
        setExpires('');
        onCreated(t);
      },
    },
  );
  const shown = { ...fieldErrors(create.error), ...errors };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The API's rules: a name of 1–100 characters, an expiry in the future.
    const found: Record<string, string> = {};
    const n = textProblem(name, 100);
    if (n) found.name = n;
    if (expires && !(new Date(expires).getTime() > Date.now())) found.expires_at = 'Must be in the future';
    setErrors(found);
    if (!Object.keys(found).length) create.mutate(undefined);
  };
  return (
    <Card withBorder>
      <form onSubmit={submit} noValidate aria-label="Issue a token">
        <Title order={2} size="h4" mb="sm">
          Issue a token
        </Title>
        <Group align="flex-start">
          <TextInput
            label="Token name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={shown.name}
          />
          {isAdmin && (
            <Select
              label="For member"
              description="Empty: yourself"
              clearable
              searchable
              data={members}
              value={member}
              onChange={setMember}
              error={shown.member_id}
              w={280}
            />
          )}
          <TextInput
            label="Expires"
            description="Empty: never"
            type="datetime-local"
            value={expires}
            onChange={(e) => setExpires(e.currentTarget.value)}
            error={shown.expires_at}
          />
          <RoleButton allowed={canCreate} type="submit" loading={create.isPending} mt={24}>
            Issue token
          </RoleButton>
        </Group>
        {create.error ? <ProblemAlert error={create.error} title="The token was not issued" /> : null}
      </form>
    </Card>
  );
}
