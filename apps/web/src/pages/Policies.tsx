import {
  Anchor,
  Button,
  Card,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { DataTable } from '../components/DataTable';
import { DateTime, StatusBadge } from '../components/format';
import { useApiMutation } from '../components/mutation';
import { RoleButton } from '../components/RoleButton';
import { QueryState } from '../components/states';
import { hasRole, ROLES, useSession } from '../session';

interface Template {
  id: string;
  key?: string;
  name?: string;
  title?: string;
}

export function PoliciesPage() {
  const session = useSession();
  const [creating, setCreating] = useState(false);
  const policies = useQuery({ queryKey: ['policies'], queryFn: () => unwrap(api.GET('/api/policies')) });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Policies</Title>
        <RoleButton allowed={hasRole(session, ROLES.configure)} onClick={() => setCreating(true)}>
          New policy
        </RoleButton>
      </Group>
      <Card withBorder>
        <QueryState query={policies} label="policies">
          {(r) => (
            <DataTable
              caption="Policies with their status and active version"
              rows={r.data}
              rowKey={(p) => p.id}
              empty="No policy yet. Start from a SOC 2 template."
              columns={[
                {
                  key: 'name',
                  header: 'Policy',
                  sortValue: (p) => p.name,
                  render: (p) => (
                    <Anchor component={Link} to={`/policies/${p.id}`}>
                      {p.name}
                    </Anchor>
                  ),
                },
                {
                  key: 'status',
                  header: 'Status',
                  render: (p) => <StatusBadge status={p.status} />,
                  sortValue: (p) => p.status,
                },
                {
                  key: 'active',
                  header: 'Active version',
                  render: (p) => (p.active_version ? `v${p.active_version.number}` : '—'),
                },
                {
                  key: 'latest',
                  header: 'Latest version',
                  render: (p) => (p.latest_version ? `v${p.latest_version.number}` : '—'),
                },
                {
                  key: 'scope',
                  header: 'Applies to',
                  render: (p) => (p.applies_to_all ? 'Everyone' : `${p.role_ids.length} role(s)`),
                },
                {
                  key: 'created',
                  header: 'Created',
                  render: (p) => <DateTime value={p.created_at} date />,
                  sortValue: (p) => p.created_at,
                },
              ]}
            />
          )}
        </QueryState>
      </Card>
      <CreatePolicyModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function CreatePolicyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [mode, setMode] = useState<'template' | 'custom'>('template');
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [content, setContent] = useState('');
  const templates = useQuery({
    queryKey: ['policy-templates'],
    queryFn: () => unwrap(api.GET('/api/policy-templates')),
    enabled: opened,
  });
  const create = useApiMutation(
    (body: { template_id?: string; name?: string; content?: string }) =>
      unwrap(api.POST('/api/policies', { body })),
    {
      success: 'Policy created as a draft',
      invalidate: [['policies']],
      onSuccess: (r) => {
        onClose();
        const id = (r.policy as { id?: string }).id ?? r.version.policy_id;
        navigate(`/policies/${id}`);
      },
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'template' && templateId) create.mutate({ template_id: templateId });
    if (mode === 'custom' && name.trim() && content.trim()) create.mutate({ name: name.trim(), content });
  };
  const options = ((templates.data?.data ?? []) as unknown as Template[]).map((t) => ({
    value: t.id,
    label: t.name ?? t.title ?? t.key ?? t.id,
  }));
  return (
    <Modal opened={opened} onClose={onClose} title="New policy" size="lg">
      <form onSubmit={submit}>
        <Stack>
          <SegmentedControl
            aria-label="Start from"
            value={mode}
            onChange={(v) => setMode(v as 'template' | 'custom')}
            data={[
              { value: 'template', label: 'From a SOC 2 template' },
              { value: 'custom', label: 'Custom' },
            ]}
          />
          {mode === 'template' ? (
            <Select
              label="Template"
              required
              searchable
              data={options}
              value={templateId}
              onChange={setTemplateId}
            />
          ) : (
            <>
              <TextInput
                label="Name"
                required
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
              <Textarea
                label="Content (Markdown)"
                required
                autosize
                minRows={8}
                value={content}
                onChange={(e) => setContent(e.currentTarget.value)}
              />
            </>
          )}
          <Button type="submit" loading={create.isPending}>
            Create draft
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
