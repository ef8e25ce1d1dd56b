/**
 * Reminder instance routing: decides who owns a new instance. Pure: the caller loads
 * members, teams, control owners, domain mappings, assignment rules and round-robin
 * cursors, and persists the returned cursor update.
 *
 * Members missing from the `members` map are treated as inactive; an inactive member is
 * never returned as an owner. Domain comparisons ignore case and surrounding spaces.
 */
import { z } from 'zod';

export const STRATEGIES = ['FIXED', 'ROUND_ROBIN', 'ON_CALL', 'DOMAIN_MAPPING', 'CUSTOM_RULE'] as const;
export type Strategy = (typeof STRATEGIES)[number];

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

export interface RoutingMember {
  id: string;
  active: boolean;
}
export interface RoutingTeam {
  id: string;
  memberIds: string[];
  onCall?: { memberIds: string[]; periodDays: number; startsAt: Date } | null;
}
export interface ControlOwnerRow {
  id: string;
  controlId: string;
  domain: string | null;
  primaryOwnerId: string | null;
  backupOwnerId: string | null;
  teamId: string | null;
}
export interface DomainTeamMappingRow {
  id: string;
  domain: string;
  teamId: string;
  priority: number;
}
export interface AssignmentRuleRow {
  id: string;
  priority: number;
  isActive: boolean;
  ruleConfig: RuleConfig;
}
export interface RuleConfig {
  conditions: { category?: string[]; priority?: string[]; domain?: string[]; tags_any?: string[] };
  assign: { owner_id?: string; team_id?: string; strategy?: 'FIXED' | 'ROUND_ROBIN' };
}
export interface RoutingInput {
  strategy: Strategy;
  defaultOwnerId: string | null;
  defaultTeamId: string | null;
  category: string;
  priority: string;
  domain: string | null;
  tags: string[];
  controlId: string | null;
  dueAt: Date;
  members: Map<string, RoutingMember>;
  teams: Map<string, RoutingTeam>;
  controlOwners: ControlOwnerRow[];
  domainTeamMappings: DomainTeamMappingRow[];
  assignmentRules: AssignmentRuleRow[];
  /** Per team id: index (into memberIds) of the last member assigned; absent = none yet. */
  roundRobinCursors: Record<string, number>;
}
export interface RoutingResult {
  ownerId: string | null;
  teamId: string | null;
  via: string;
  cursorUpdate?: { teamId: string; cursor: number };
  unassigned: boolean;
}

const nonEmptyList = <T extends z.ZodType>(item: T) => z.array(item).min(1);

/** Strict zod schema for AssignmentRule.rule_config (unknown keys are rejected). */
export const ruleConfigSchema = z.strictObject({
  conditions: z.strictObject({
    category: nonEmptyList(z.enum(CATEGORIES)).optional(),
    priority: nonEmptyList(z.enum(PRIORITIES)).optional(),
    domain: nonEmptyList(z.string().trim().min(1)).optional(),
    tags_any: nonEmptyList(z.string().trim().min(1)).optional(),
  }),
  assign: z
    .strictObject({
      owner_id: z.uuid().optional(),
      team_id: z.uuid().optional(),
      strategy: z.enum(['FIXED', 'ROUND_ROBIN']).optional(),
    })
    .refine((a) => a.owner_id !== undefined || a.team_id !== undefined, {
      message: 'assign needs owner_id or team_id',
    }),
});

export function isActive(members: Map<string, RoutingMember>, id: string | null | undefined): id is string {
  return typeof id === 'string' && members.get(id)?.active === true;
}

function normDomain(domain: string | null | undefined): string | null {
  if (typeof domain !== 'string') return null;
  const n = domain.trim().toLowerCase();
  return n === '' ? null : n;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/**
 * Next active member after `lastCursor` in memberIds order (from index 0 when there is no
 * cursor). Returns the picked index as the new cursor; with no active member, ownerId is null
 * and the cursor is unchanged (-1 when there was none).
 */
export function roundRobinPick(
  team: RoutingTeam,
  members: Map<string, RoutingMember>,
  lastCursor: number | undefined,
): { ownerId: string | null; cursor: number } {
  const n = team.memberIds.length;
  const unchanged = lastCursor ?? -1;
  if (n === 0) return { ownerId: null, cursor: unchanged };
  const start = lastCursor === undefined || !Number.isInteger(lastCursor) ? 0 : mod(lastCursor + 1, n);
  for (let i = 0; i < n; i++) {
    const index = (start + i) % n;
    const id = team.memberIds[index];
    if (isActive(members, id)) return { ownerId: id, cursor: index };
  }
  return { ownerId: null, cursor: unchanged };
}

/**
 * The on-call member at `at`: rotation index floor((at - startsAt) / periodDays days) mod n;
 * when that member is inactive, the next active one in rotation order. Null without a
 * rotation, with a non-positive period, or when nobody in the rotation is active.
 */
export function onCallAt(team: RoutingTeam, members: Map<string, RoutingMember>, at: Date): string | null {
  const rotation = team.onCall;
  if (!rotation || rotation.memberIds.length === 0 || !(rotation.periodDays > 0)) return null;
  const n = rotation.memberIds.length;
  const elapsed = at.getTime() - rotation.startsAt.getTime();
  if (!Number.isFinite(elapsed)) return null;
  const index = mod(Math.floor(elapsed / (rotation.periodDays * 86_400_000)), n);
  for (let i = 0; i < n; i++) {
    const id = rotation.memberIds[(index + i) % n];
    if (isActive(members, id)) return id;
  }
  return null;
}

/**
 * Every condition list that is given must contain the input's value (an empty list matches
 * nothing); tags_any needs at least one tag in common. Domains compare case-insensitively.
 */
export function ruleMatches(
  rule: RuleConfig,
  input: Pick<RoutingInput, 'category' | 'priority' | 'domain' | 'tags'>,
): boolean {
  const { category, priority, domain, tags_any: tagsAny } = rule.conditions;
  if (category && !category.includes(input.category)) return false;
  if (priority && !priority.includes(input.priority)) return false;
  if (domain) {
    const wanted = normDomain(input.domain);
    if (wanted === null || !domain.some((d) => normDomain(d) === wanted)) return false;
  }
  if (tagsAny && !tagsAny.some((t) => input.tags.includes(t))) return false;
  return true;
}

type Decision = RoutingResult | null;

function assigned(
  ownerId: string,
  teamId: string | null,
  via: string,
  cursorUpdate?: RoutingResult['cursorUpdate'],
) {
  const result: RoutingResult = { ownerId, teamId, via, unassigned: false };
  if (cursorUpdate) result.cursorUpdate = cursorUpdate;
  return result;
}

function roundRobinIn(input: RoutingInput, teamId: string | null, via: string): Decision {
  const team = teamId === null ? undefined : input.teams.get(teamId);
  if (!team) return null;
  const pick = roundRobinPick(team, input.members, input.roundRobinCursors[team.id]);
  if (pick.ownerId === null) return null;
  return assigned(pick.ownerId, team.id, via, { teamId: team.id, cursor: pick.cursor });
}

function firstActiveIn(input: RoutingInput, teamId: string, via: string): Decision {
  const team = input.teams.get(teamId);
  const ownerId = team?.memberIds.find((id) => isActive(input.members, id));
  return ownerId === undefined ? null : assigned(ownerId, teamId, via);
}

function defaultOwner(input: RoutingInput): Decision {
  if (!isActive(input.members, input.defaultOwnerId)) return null;
  const team = input.defaultTeamId === null ? undefined : input.teams.get(input.defaultTeamId);
  const teamId = team?.memberIds.includes(input.defaultOwnerId) ? team.id : null;
  return assigned(input.defaultOwnerId, teamId, 'DEFAULT_OWNER');
}

/**
 * Control-owner rows for the input's control: rows with the exact domain first, then rows
 * whose domain is null (any domain).
 */
export function matchingControlOwners(
  rows: ControlOwnerRow[],
  controlId: string | null,
  domain: string | null,
): ControlOwnerRow[] {
  if (controlId === null) return [];
  const wanted = normDomain(domain);
  const forControl = rows.filter((r) => r.controlId === controlId);
  const exact = forControl.filter(
    (r) => r.domain !== null && wanted !== null && normDomain(r.domain) === wanted,
  );
  const any = forControl.filter((r) => normDomain(r.domain) === null);
  return [...exact, ...any];
}

function viaControlOwner(input: RoutingInput): Decision {
  for (const row of matchingControlOwners(input.controlOwners, input.controlId, input.domain)) {
    if (isActive(input.members, row.primaryOwnerId)) {
      return assigned(row.primaryOwnerId, row.teamId, 'CONTROL_OWNER_PRIMARY');
    }
    if (isActive(input.members, row.backupOwnerId)) {
      return assigned(row.backupOwnerId, row.teamId, 'CONTROL_OWNER_BACKUP');
    }
    const viaTeam = roundRobinIn(input, row.teamId, 'CONTROL_OWNER_TEAM');
    if (viaTeam) return viaTeam;
  }
  return null;
}

function viaDomainTeams(input: RoutingInput): Decision {
  const wanted = normDomain(input.domain);
  if (wanted === null) return null;
  const rows = input.domainTeamMappings
    .filter((m) => normDomain(m.domain) === wanted)
    .sort((a, b) => a.priority - b.priority);
  for (const row of rows) {
    const picked = roundRobinIn(input, row.teamId, 'DOMAIN_TEAM');
    if (picked) return picked;
  }
  return null;
}

function viaRules(input: RoutingInput): Decision {
  const rule = input.assignmentRules
    .filter((r) => r.isActive)
    .sort((a, b) => a.priority - b.priority)
    .find((r) => ruleMatches(r.ruleConfig, input));
  if (!rule) return null;
  const via = `RULE:${rule.id}`;
  const { owner_id: ownerId, team_id: teamId, strategy } = rule.ruleConfig.assign;
  if (isActive(input.members, ownerId)) return assigned(ownerId, teamId ?? null, via);
  if (teamId === undefined) return null;
  return strategy === 'FIXED' ? firstActiveIn(input, teamId, via) : roundRobinIn(input, teamId, via);
}

function viaOnCall(input: RoutingInput): Decision {
  const team = input.defaultTeamId === null ? undefined : input.teams.get(input.defaultTeamId);
  if (!team) return null;
  const ownerId = onCallAt(team, input.members, input.dueAt);
  return ownerId === null ? null : assigned(ownerId, team.id, 'ON_CALL');
}

function byStrategy(input: RoutingInput): Decision {
  switch (input.strategy) {
    case 'FIXED':
      return null; // FIXED is exactly the default chain below
    case 'ROUND_ROBIN':
      return roundRobinIn(input, input.defaultTeamId, 'ROUND_ROBIN');
    case 'ON_CALL':
      return viaOnCall(input);
    case 'DOMAIN_MAPPING':
      return viaControlOwner(input) ?? viaDomainTeams(input);
    case 'CUSTOM_RULE':
      return viaRules(input);
    default:
      return null;
  }
}

/**
 * Resolve the owner of a new instance. The strategy decides first; every strategy then
 * falls back to the default owner (when active), then round robin in the default team,
 * and finally reports the instance as unassigned.
 */
export function routeInstance(input: RoutingInput): RoutingResult {
  return (
    byStrategy(input) ??
    defaultOwner(input) ??
    roundRobinIn(input, input.defaultTeamId, 'DEFAULT_TEAM') ?? {
      ownerId: null,
      teamId: null,
      via: 'UNASSIGNED',
      unassigned: true,
    }
  );
}
