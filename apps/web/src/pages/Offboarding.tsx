import { Alert, Badge, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useMemberNames } from '../api/lookups';
import type { Reply } from '../api/types';
import { DataTable } from '../components/DataTable';
import { useApiMutation } from '../components/mutation';
import { QueryState } from '../components/states';
import { useSession } from '../session';
import type { Member } from './MemberForm';

type Change = Reply<'/workspaces/{ws}/members/{id}/offboarding-preview', 'get'>['changes'][number];
const ACTION_COLORS: Record<Change['action'], string> = {
  REASSIGN: 'blue',
  CLEAR: 'orange',
  CANCEL: 'gray',
  REVOKE: 'red',
  STAYS: 'yellow',
};

/** Offboarding a member: first what it will revoke, cancel and reassign (the API's preview), then confirm. */
export function OffboardModal({ member, onClose }: { member: Member | null; onClose: () => void }) {
  return (
    <Modal
      opened={member !== null}
      onClose={onClose}
      title={member ? `Offboard ${member.name}` : 'Offboard'}
      size="xl"
    >
      {member && <OffboardBody key={member.id} member={member} onDone={onClose} />}
    </Modal>
  );
}

function OffboardBody({ member, onDone }: { member: Member; onDone: () => void }) {
  const { workspace_id: ws } = useSession();
  const names = useMemberNames();
  const [reason, setReason] = useState('');
  const preview = useQuery({
    queryKey: ['offboarding-preview', member.id],
    queryFn: () =>
      unwrap(
        api.GET('/workspaces/{ws}/members/{id}/offboarding-preview', {
          params: { path: { ws, id: member.id } },
        }),
      ),
  });
  const offboard = useApiMutation(
    () =>
      unwrap(
        api.POST('/workspaces/{ws}/members/{id}/offboard', {
          params: { path: { ws, id: member.id } },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    {
      success: `${member.name} was offboarded`,
      invalidate: [['members'], ['tokens'], ['offboarding-preview']],
      onSuccess: onDone,
    },
  );
  return (
    <QueryState query={preview} label="offboarding preview">
      {(p) => {
        const changes = p.changes.filter((c) => c.action !== 'STAYS');
        const stays = p.changes.filter((c) => c.action === 'STAYS');
        return (
          <Stack>
            {p.already_offboarded && <Alert color="gray">{member.name} is already offboarded.</Alert>}
            <Text size="sm">
              Offboarding deactivates {member.name} and does the following. Nothing has changed yet.
            </Text>
            <ChangeTable
              caption="What offboarding will change"
              rows={changes}
              names={names}
              empty="Nothing to revoke, cancel or reassign."
            />
            {stays.length > 0 && (
              <>
                <Text size="sm" fw={600}>
                  Still naming {member.name} afterwards (review by hand)
                </Text>
                <ChangeTable caption="What keeps naming the member" rows={stays} names={names} empty="" />
              </>
            )}
            <Textarea
              label="Reason"
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onDone}>
                Cancel
              </Button>
              <Button
                color="red"
                disabled={p.already_offboarded}
                loading={offboard.isPending}
                onClick={() => offboard.mutate(undefined)}
              >
                Confirm offboarding
              </Button>
            </Group>
          </Stack>
        );
      }}
    </QueryState>
  );
}

function ChangeTable({
  caption,
  rows,
  names,
  empty,
}: {
  caption: string;
  rows: Change[];
  names: (id: string | null) => string;
  empty: string;
}) {
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(c) => `${c.target_type}:${c.target_id}:${c.label}`}
      empty={empty}
      columns={[
        { key: 'what', header: 'Item', render: (c) => c.label },
        { key: 'area', header: 'Area', render: (c) => c.area },
        {
          key: 'action',
          header: 'Change',
          render: (c) => (
            <Badge color={ACTION_COLORS[c.action]} variant="light" miw="max-content">
              {c.action}
            </Badge>
          ),
        },
        { key: 'to', header: 'To', render: (c) => (c.to_member_id ? names(c.to_member_id) : '—') },
        { key: 'detail', header: 'Detail', render: (c) => c.detail ?? '' },
      ]}
    />
  );
}
