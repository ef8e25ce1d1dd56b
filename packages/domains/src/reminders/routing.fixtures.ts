import type {
  AssignmentRuleRow,
  ControlOwnerRow,
  RoutingInput,
  RoutingMember,
  RoutingTeam,
  RuleConfig,
} from './routing';

export const DAY = 86_400_000;
export const members = (active: string[], inactive: string[] = []) =>
  new Map<string, RoutingMember>([
    ...active.map((id): [string, RoutingMember] => [id, { id, active: true }]),
    ...inactive.map((id): [string, RoutingMember] => [id, { id, active: false }]),
  ]);
export const teams = (...list: RoutingTeam[]) => new Map(list.map((t) => [t.id, t]));
export const ops: RoutingTeam = { id: 'ops', memberIds: ['a', 'b', 'c'] };
export const sec: RoutingTeam = { id: 'sec', memberIds: ['s1', 's2'] };

export const input = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  strategy: 'FIXED',
  defaultOwnerId: null,
  defaultTeamId: null,
  category: 'SECURITY',
  priority: 'HIGH',
  domain: 'security',
  tags: ['soc2'],
  controlId: 'CC6.1',
  dueAt: new Date('2024-05-01T09:00:00Z'),
  members: members(['a', 'b', 'c', 's1', 's2', 'alice', 'bob']),
  teams: teams(ops, sec),
  controlOwners: [],
  domainTeamMappings: [],
  assignmentRules: [],
  roundRobinCursors: {},
  ...over,
});
export const owner = (row: Partial<ControlOwnerRow>): ControlOwnerRow => ({
  id: 'co1',
  controlId: 'CC6.1',
  domain: null,
  primaryOwnerId: 'alice',
  backupOwnerId: 'bob',
  teamId: 'sec',
  ...row,
});
export const rule = (
  id: string,
  priority: number,
  ruleConfig: RuleConfig,
  isActive = true,
): AssignmentRuleRow => ({
  id,
  priority,
  isActive,
  ruleConfig,
});
