import {
  Button,
  Checkbox,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  TagsInput,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../api/client';
import { memberOptions, useMembers, useTeams } from '../api/lookups';
import type { Reply } from '../api/types';
import { useApiMutation } from '../components/mutation';
import { useSession } from '../session';

export type Owner = Reply<'/workspaces/{ws}/reminders/control-owners', 'get'>['data'][number];
export type Rule = Reply<'/workspaces/{ws}/reminders/assignment-rules', 'get'>['data'][number];
const CATEGORIES = [
  'COMPLIANCE',
  'SECURITY',
  'AUDIT',
  'OPERATIONAL',
  'TRAINING',
  'REVIEW',
  'CUSTOM',
] as const;
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const invalidate = [['reminder-routing']] as const;

const submitIf = (valid: boolean, run: () => void) => (e: FormEvent) => {
  e.preventDefault();
  if (valid) run();
};

export function useTeamOptions() {
  const teams = useTeams();
  const list = teams.data?.data ?? [];
  return {
    options: list.map((t) => ({ value: t.id, label: t.name })),
    name: (id: string | null | undefined) =>
      id ? (list.find((t) => t.id === id)?.name ?? id.slice(0, 8)) : '—',
  };
}

export function OwnerModal({ owner, onClose }: { owner: Owner | null; onClose: () => void }) {
  const { workspace_id: ws } = useSession();
  const members = memberOptions(useMembers().data?.data ?? []);
  const teams = useTeamOptions();
  const [control, setControl] = useState(owner?.control_id ?? '');
  const [domain, setDomain] = useState(owner?.domain ?? '');
  const [primary, setPrimary] = useState<string | null>(owner?.primary_owner_id ?? null);
  const [backup, setBackup] = useState<string | null>(owner?.backup_owner_id ?? null);
  const [team, setTeam] = useState<string | null>(owner?.team_id ?? null);
  const save = useApiMutation(
    () => {
      const body = {
        control_id: control.trim(),
        domain: domain.trim() || null,
        primary_owner_id: primary,
        backup_owner_id: backup,
        team_id: team,
      };
      return owner
        ? unwrap(
            api.PATCH('/workspaces/{ws}/reminders/control-owners/{id}', {
              params: { path: { ws, id: owner.id } },
              body,
            }),
          )
        : unwrap(api.POST('/workspaces/{ws}/reminders/control-owners', { params: { path: { ws } }, body }));
    },
    { success: 'Control owner saved', invalidate, onSuccess: onClose },
  );
  return (
    <Modal opened onClose={onClose} title={owner ? 'Edit control owner' : 'New control owner'}>
      <form onSubmit={submitIf(control.trim() !== '', () => save.mutate(undefined))}>
        <Stack>
          <TextInput
            label="Control id"
            required
            value={control}
            onChange={(e) => setControl(e.currentTarget.value)}
          />
          <TextInput label="Domain" value={domain} onChange={(e) => setDomain(e.currentTarget.value)} />
          <Select
            label="Primary owner"
            clearable
            searchable
            data={members}
            value={primary}
            onChange={setPrimary}
          />
          <Select
            label="Backup owner"
            clearable
            searchable
            data={members}
            value={backup}
            onChange={setBackup}
          />
          <Select label="Team" clearable data={teams.options} value={team} onChange={setTeam} />
          <Button type="submit" loading={save.isPending} disabled={!control.trim()}>
            Save
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function MappingModal({ onClose }: { onClose: () => void }) {
  const { workspace_id: ws } = useSession();
  const teams = useTeamOptions();
  const [domain, setDomain] = useState('');
  const [team, setTeam] = useState<string | null>(null);
  const [priority, setPriority] = useState<number | string>(100);
  const save = useApiMutation(
    () =>
      unwrap(
        api.POST('/workspaces/{ws}/reminders/domain-team-mappings', {
          params: { path: { ws } },
          body: { domain: domain.trim(), team_id: team ?? '', priority: Number(priority) || 0 },
        }),
      ),
    { success: 'Mapping saved', invalidate, onSuccess: onClose },
  );
  const valid = domain.trim() !== '' && team !== null;
  return (
    <Modal opened onClose={onClose} title="New domain → team mapping">
      <form onSubmit={submitIf(valid, () => save.mutate(undefined))}>
        <Stack>
          <TextInput
            label="Domain"
            required
            value={domain}
            onChange={(e) => setDomain(e.currentTarget.value)}
          />
          <Select label="Team" required data={teams.options} value={team} onChange={setTeam} />
          <NumberInput label="Priority" min={0} max={10000} value={priority} onChange={setPriority} />
          <Button type="submit" loading={save.isPending} disabled={!valid}>
            Save
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}

export function RuleModal({ rule, onClose }: { rule: Rule | null; onClose: () => void }) {
  const { workspace_id: ws } = useSession();
  const members = memberOptions(useMembers().data?.data ?? []);
  const teams = useTeamOptions();
  const c = rule?.rule_config.conditions;
  const [name, setName] = useState(rule?.name ?? '');
  const [priority, setPriority] = useState<number | string>(rule?.priority ?? 100);
  const [active, setActive] = useState(rule?.is_active ?? true);
  const [categories, setCategories] = useState<string[]>(c?.category ?? []);
  const [priorities, setPriorities] = useState<string[]>(c?.priority ?? []);
  const [domains, setDomains] = useState<string[]>(c?.domain ?? []);
  const [tags, setTags] = useState<string[]>(c?.tags_any ?? []);
  const [owner, setOwner] = useState<string | null>(rule?.rule_config.assign.owner_id ?? null);
  const [team, setTeam] = useState<string | null>(rule?.rule_config.assign.team_id ?? null);
  const [strategy, setStrategy] = useState<string | null>(rule?.rule_config.assign.strategy ?? null);
  const save = useApiMutation(
    () => {
      const body = {
        name: name.trim(),
        priority: Number(priority) || 0,
        is_active: active,
        rule_config: {
          conditions: {
            ...(categories.length && { category: categories as (typeof CATEGORIES)[number][] }),
            ...(priorities.length && { priority: priorities as (typeof PRIORITIES)[number][] }),
            ...(domains.length && { domain: domains }),
            ...(tags.length && { tags_any: tags }),
          },
          assign: {
            ...(owner && { owner_id: owner }),
            ...(team && { team_id: team }),
            ...(strategy && { strategy: strategy as 'FIXED' | 'ROUND_ROBIN' }),
          },
        },
      };
      return rule
        ? unwrap(
            api.PATCH('/workspaces/{ws}/reminders/assignment-rules/{id}', {
              params: { path: { ws, id: rule.id } },
              body,
            }),
          )
        : unwrap(api.POST('/workspaces/{ws}/reminders/assignment-rules', { params: { path: { ws } }, body }));
    },
    { success: 'Rule saved', invalidate, onSuccess: onClose },
  );
  const valid = name.trim() !== '' && (owner !== null || team !== null);
  return (
    <Modal opened onClose={onClose} title={rule ? `Edit rule ${rule.name}` : 'New assignment rule'} size="lg">
      <form onSubmit={submitIf(valid, () => save.mutate(undefined))}>
        <Stack>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <NumberInput
            label="Priority (lower first)"
            min={0}
            max={10000}
            value={priority}
            onChange={setPriority}
          />
          <MultiSelect
            label="When category is"
            data={[...CATEGORIES]}
            value={categories}
            onChange={setCategories}
          />
          <MultiSelect
            label="When priority is"
            data={[...PRIORITIES]}
            value={priorities}
            onChange={setPriorities}
          />
          <TagsInput label="When domain is" value={domains} onChange={setDomains} />
          <TagsInput label="When tagged with any of" value={tags} onChange={setTags} />
          <Select
            label="Assign to member"
            clearable
            searchable
            data={members}
            value={owner}
            onChange={setOwner}
          />
          <Select label="Assign to team" clearable data={teams.options} value={team} onChange={setTeam} />
          <Select
            label="Within the team"
            clearable
            data={['FIXED', 'ROUND_ROBIN']}
            value={strategy}
            onChange={setStrategy}
          />
          <Checkbox label="Active" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          <Button type="submit" loading={save.isPending} disabled={!valid}>
            Save rule
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
