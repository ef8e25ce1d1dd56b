import { Button, Card, Checkbox, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useMemberNames } from '../api/lookups';
import { DataTable, Pager, useCursorPaging } from '../components/DataTable';
import { DateTime, LevelBadge, StatusBadge } from '../components/format';
import { ObligationDrawer } from '../components/Ladder';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';
import { AddHeldModal, CreateCertificationModal, RenewModal, RevokeModal } from './CertificationForms';

const STATUSES = ['ACTIVE', 'EXPIRING_SOON', 'EXPIRED', 'REVOKED'] as const;
type Status = (typeof STATUSES)[number];

/** The certification catalogue with holder stats, and the register of held certifications. */
export function CertificationsPage() {
  const session = useSession();
  const names = useMemberNames();
  const [status, setStatus] = useState<Status | null>(null);
  const [expiringOnly, setExpiringOnly] = useState(false);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [renewing, setRenewing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [detail, setDetail] = useState<string | null>(null);
  const catalogue = useQuery({
    queryKey: ['certifications'],
    queryFn: () => unwrap(api.GET('/compliance/certifications')),
  });
  const paging = useCursorPaging(`${status}:${expiringOnly}`);
  const held = useQuery({
    queryKey: ['held-certifications', status, expiringOnly, paging.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/compliance/developer-certifications', {
          params: {
            query: {
              limit: 25,
              cursor: paging.cursor,
              status: status ?? undefined,
              expiring_soon: expiringOnly ? 'true' : undefined,
            },
          },
        }),
      ),
  });
  const certName = (id: string) => catalogue.data?.data.find((c) => c.id === id)?.name ?? id.slice(0, 8);
  const invalidate = [['held-certifications'], ['certifications'], ['reports']] as const;
  const verify = useApiMutation(
    (id: string) =>
      unwrap(
        api.POST('/compliance/developer-certifications/{id}/verify', { params: { path: { id } }, body: {} }),
      ),
    { success: 'Certification verified', invalidate },
  );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Certifications</Title>
        <Group>
          <RoleButton allowed={hasRole(session, ROLES.act)} variant="default" onClick={() => setAdding(true)}>
            Add to a member
          </RoleButton>
          <RoleButton allowed={hasRole(session, ROLES.configure)} onClick={() => setCreating(true)}>
            New certification
          </RoleButton>
        </Group>
      </Group>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Catalogue
        </Title>
        <QueryState query={catalogue} label="certifications">
          {(r) => (
            <DataTable
              caption="Certification definitions with holder statistics"
              rows={r.data}
              rowKey={(c) => c.id}
              empty="No certification defined yet."
              columns={[
                { key: 'name', header: 'Name', render: (c) => c.name, sortValue: (c) => c.name },
                { key: 'authority', header: 'Issuer', render: (c) => c.issuing_authority ?? '—' },
                { key: 'required', header: 'Required', render: (c) => (c.is_required ? 'Yes' : 'No') },
                {
                  key: 'holders',
                  header: 'Holders',
                  render: (c) => c.stats.holders,
                  sortValue: (c) => c.stats.holders,
                },
                {
                  key: 'expiring',
                  header: 'Expiring soon',
                  render: (c) => c.stats.expiring_soon,
                  sortValue: (c) => c.stats.expiring_soon,
                },
                {
                  key: 'missing',
                  header: 'Missing (required)',
                  render: (c) => c.stats.missing_required_count,
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Register
        </Title>
        <Group mb="sm" align="flex-end">
          <Select
            label="Status"
            clearable
            data={[...STATUSES]}
            value={status}
            onChange={(v) => setStatus(v as Status | null)}
            w={200}
          />
          <Checkbox
            label="Expiring soon only"
            checked={expiringOnly}
            onChange={(e) => setExpiringOnly(e.currentTarget.checked)}
          />
        </Group>
        <QueryState query={held} label="held certifications">
          {(r) => (
            <>
              <DataTable
                caption="Held certifications"
                rows={r.data}
                rowKey={(h) => h.id}
                empty="No held certification matches."
                columns={[
                  {
                    key: 'who',
                    header: 'Holder',
                    render: (h) => names(h.developer_id),
                    sortValue: (h) => names(h.developer_id),
                  },
                  { key: 'cert', header: 'Certification', render: (h) => certName(h.certification_id) },
                  {
                    key: 'status',
                    header: 'Status',
                    render: (h) => <StatusBadge status={h.status} />,
                    sortValue: (h) => h.status,
                  },
                  {
                    key: 'expiry',
                    header: 'Expires',
                    render: (h) => <DateTime value={h.expiry_date} date />,
                    sortValue: (h) => h.expiry_date,
                  },
                  {
                    key: 'level',
                    header: 'Escalation',
                    render: (h) => <LevelBadge level={h.current_escalation_level} />,
                  },
                  {
                    key: 'verified',
                    header: 'Verified',
                    render: (h) => <DateTime value={h.verified_at} date />,
                  },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (h) => (
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => setDetail(h.id)}
                          aria-label={`Details of ${certName(h.certification_id)} held by ${names(h.developer_id)}`}
                        >
                          Details
                        </Button>
                        {h.status !== 'REVOKED' && (
                          <>
                            {!h.verified_at && (
                              <RoleButton
                                allowed={hasRole(session, ROLES.configure)}
                                size="xs"
                                variant="light"
                                onClick={() => verify.mutate(h.id)}
                              >
                                Verify
                              </RoleButton>
                            )}
                            <RoleButton
                              allowed={hasRole(session, ROLES.act)}
                              size="xs"
                              variant="light"
                              onClick={() => setRenewing(h.id)}
                              aria-label={`Renew ${certName(h.certification_id)} held by ${names(h.developer_id)}`}
                            >
                              Renew
                            </RoleButton>
                            <RoleButton
                              allowed={hasRole(session, ROLES.assign)}
                              size="xs"
                              variant="light"
                              color="red"
                              onClick={() => setRevoking(h.id)}
                            >
                              Revoke
                            </RoleButton>
                          </>
                        )}
                      </Group>
                    ),
                  },
                ]}
              />
              <Pager paging={paging} nextCursor={r.next_cursor} label="Register" />
            </>
          )}
        </QueryState>
      </Card>
      <CreateCertificationModal opened={creating} onClose={() => setCreating(false)} />
      <RevokeModal id={revoking} onClose={() => setRevoking(null)} />
      <RenewModal id={renewing} onClose={() => setRenewing(null)} />
      <AddHeldModal opened={adding} onClose={() => setAdding(false)} catalogue={catalogue.data?.data ?? []} />
      <ObligationDrawer
        ws={session.workspace_id}
        kind="member_certification"
        id={detail}
        onClose={() => setDetail(null)}
      >
        {(() => {
          const h = held.data?.data.find((x) => x.id === detail);
          return h ? (
            <Text size="sm">
              {certName(h.certification_id)} held by {names(h.developer_id)}; issued{' '}
              <DateTime value={h.issued_date} date />, expires <DateTime value={h.expiry_date} date />
              {h.credential_id ? `; credential ${h.credential_id}` : ''}
              {h.verified_at ? '; verified' : '; not verified'}
            </Text>
          ) : null;
        })()}
      </ObligationDrawer>
    </Stack>
  );
}
