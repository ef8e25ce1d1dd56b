import { Card, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMembers } from '../api/lookups';
import { DataTable } from '../components/DataTable';
import { DateTime, StatusBadge } from '../components/format';
import { Empty, QueryState } from '../components/states';

/** Acknowledgement status, read two ways: an employee's standing per policy, and a policy's per employee. */
export function AcknowledgementsPage() {
  const members = useMembers();
  const policies = useQuery({
    queryKey: ['policies', 'all'],
    queryFn: () => unwrap(api.GET('/api/policies')),
  });
  const [employee, setEmployee] = useState<string | null>(null);
  const [policy, setPolicy] = useState<string | null>(null);
  const byEmployee = useQuery({
    queryKey: ['acknowledgements', 'employee', employee],
    queryFn: () =>
      unwrap(
        api.GET('/api/acknowledge/status', { params: { query: { employee_id: employee ?? undefined } } }),
      ),
    enabled: employee !== null,
  });
  const byPolicy = useQuery({
    queryKey: ['acknowledgements', 'policy', policy],
    queryFn: () =>
      unwrap(
        api.GET('/api/policies/{policy_id}/acknowledgements', {
          params: { path: { policy_id: policy ?? '' } },
        }),
      ),
    enabled: policy !== null,
  });
  return (
    <Stack>
      <Title order={1}>Acknowledgements</Title>
      <Text size="sm">
        Who acknowledged which policy version, and who is still asked. An acknowledgement of an older version
        than the active one shows as outdated.
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            By employee
          </Title>
          <Select
            label="Employee"
            placeholder="Pick an employee"
            searchable
            data={memberOptions(members.data?.data ?? [])}
            value={employee}
            onChange={setEmployee}
            mb="sm"
          />
          {employee === null ? (
            <Empty title="No employee picked">Pick an employee to see their standing on every policy.</Empty>
          ) : (
            <QueryState query={byEmployee} label="the employee's acknowledgements">
              {(r) => (
                <DataTable
                  caption="Acknowledgement status of the employee per policy"
                  rows={r.data}
                  rowKey={(x) => x.policy_id}
                  empty="No policy applies to this employee."
                  columns={[
                    {
                      key: 'policy',
                      header: 'Policy',
                      render: (x) => x.policy_name ?? x.policy_id.slice(0, 8),
                      sortValue: (x) => x.policy_name,
                    },
                    { key: 'status', header: 'Status', render: (x) => <StatusBadge status={x.status} /> },
                    { key: 'due', header: 'Due', render: (x) => <DateTime value={x.due_at} /> },
                    {
                      key: 'last',
                      header: 'Last acknowledged',
                      render: (x) => <DateTime value={x.last_acknowledged_at} />,
                    },
                  ]}
                />
              )}
            </QueryState>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            By policy
          </Title>
          <Select
            label="Policy"
            placeholder="Pick a policy"
            searchable
            data={(policies.data?.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={policy}
            onChange={setPolicy}
            mb="sm"
          />
          {policy === null ? (
            <Empty title="No policy picked">
              Pick a policy to see every employee asked to acknowledge it.
            </Empty>
          ) : (
            <QueryState query={byPolicy} label="the policy's acknowledgements">
              {(r) => (
                <DataTable
                  caption="Acknowledgement status of the policy per employee"
                  rows={r.data}
                  rowKey={(x) => x.member_id}
                  empty="Nobody was asked to acknowledge this policy yet."
                  columns={[
                    {
                      key: 'member',
                      header: 'Employee',
                      render: (x) => x.member_name,
                      sortValue: (x) => x.member_name,
                    },
                    { key: 'version', header: 'Version', render: (x) => x.version_number },
                    {
                      key: 'status',
                      header: 'Status',
                      render: (x) => <StatusBadge status={x.status} />,
                      sortValue: (x) => x.status,
                    },
                    { key: 'due', header: 'Due', render: (x) => <DateTime value={x.due_at} /> },
                    {
                      key: 'at',
                      header: 'Acknowledged',
                      render: (x) => <DateTime value={x.acknowledged_at} />,
                    },
                  ]}
                />
              )}
            </QueryState>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
