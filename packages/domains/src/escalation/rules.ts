/**
 * Pure rules of escalation: who an escalation target resolves to in the org, which
 * escalation matrix applies to an item, and which ladder an obligation climbs.
 * No I/O: callers load the org snapshot and matrices and pass plain values in.
 */
import type { Channel, LadderLevelConfig, Level, Target } from '../obligations/rules';
import { LEVELS } from '../obligations/rules';

/** Ticket statuses that end the obligation. */
export const TERMINAL_TICKET = ['RESOLVED', 'CLOSED'] as const;
/** Open tickets: every other status. */
export const OPEN_TICKET = ['OPEN', 'ACKNOWLEDGED'] as const;

export interface OrgMember {
  id: string;
  active: boolean;
  managerId: string | null;
  teamIds: string[];
}

export interface OrgTeam {
  id: string;
  leadId: string | null;
  memberIds: string[];
}

export interface EscalationContacts {
  directorId: string | null;
  vpExecId: string | null;
  cxoId: string | null;
}

export interface OrgSnapshot {
  members: Map<string, OrgMember>;
  teams: Map<string, OrgTeam>;
  contacts: EscalationContacts;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Resolves an escalation target to member ids. An id is usable when it belongs to
 * an active member of the snapshot (ids missing from the snapshot count as
 * inactive) and is not the owner.
 * - MANAGER: the owner's manager; if not usable, that manager's manager, and so on
 *   up the chain (a manager cycle ends the walk).
 * - TEAM_LEAD: the lead of the owner's team (`ownerTeamId` if given, else the first
 *   of the owner's teams present in the snapshot: loadOrgFor lists them in membership
 *   order, so that is the owner's first team, `firstTeamByMember`); if there is none or it is not
 *   usable (e.g. the owner leads the team), falls back to MANAGER.
 * - DIRECTOR: contacts.directorId, else the manager's manager (the first usable
 *   member above the resolved manager in the chain).
 * - VP_EXEC: contacts.vpExecId, else contacts.cxoId. CXO: cxoId, else vpExecId.
 * - MEMBERS(ids): those ids. TEAM(id): the team's lead plus its members.
 * The result has no duplicates and is sorted by code-unit order; empty if nothing resolves.
 */
export function resolveTargets(
  target: Target,
  ownerId: string | null,
  org: OrgSnapshot,
  ownerTeamId?: string | null,
): string[] {
  const usable = (id: string | null | undefined): id is string =>
    typeof id === 'string' && id !== ownerId && org.members.get(id)?.active === true;

  /** Usable members above the owner in the manager chain, nearest first; a cycle ends the walk. */
  const managerChain = (): string[] => {
    const out: string[] = [];
    if (ownerId === null) return out;
    const seen = new Set<string>([ownerId]);
    let next = org.members.get(ownerId)?.managerId ?? null;
    while (next !== null && !seen.has(next)) {
      seen.add(next);
      if (usable(next)) out.push(next);
      next = org.members.get(next)?.managerId ?? null;
    }
    return out;
  };

  const manager = (): string | null => managerChain()[0] ?? null;
  const first = (...ids: Array<string | null | undefined>): string[] => {
    const found = ids.find(usable);
    return found === undefined ? [] : [found];
  };
  const finish = (ids: Array<string | null | undefined>): string[] =>
    [...new Set(ids.filter(usable))].sort(compareStrings);

  switch (target.type) {
    case 'MANAGER':
      return finish([manager()]);
    case 'TEAM_LEAD': {
      const owner = ownerId === null ? undefined : org.members.get(ownerId);
      const teamId = ownerTeamId ?? owner?.teamIds.find((id) => org.teams.has(id)) ?? null;
      const lead = teamId === null ? null : (org.teams.get(teamId)?.leadId ?? null);
      return finish(first(lead, manager()));
    }
    case 'DIRECTOR': {
      const chain = managerChain();
      return finish(first(org.contacts.directorId, chain[1]));
    }
    case 'VP_EXEC':
      return finish(first(org.contacts.vpExecId, org.contacts.cxoId));
    case 'CXO':
      return finish(first(org.contacts.cxoId, org.contacts.vpExecId));
    case 'MEMBERS':
      return finish(target.ids);
    case 'TEAM': {
      const team = org.teams.get(target.id);
      return team === undefined ? [] : finish([team.leadId, ...team.memberIds]);
    }
  }
}

export interface MatrixRule {
  level: Level;
  after: string;
  target: Target;
  channels: Channel[];
  status?: string;
}

export interface EscalationMatrix {
  id: string;
  severityLevels: string[];
  rules: MatrixRule[];
  formIds: string[];
  teamIds: string[];
  priorityOrder: number;
  isActive: boolean;
}

export interface MatchInput {
  severity?: string | null;
  formId?: string | null;
  teamId?: string | null;
}

/** Number of constrained dimensions that matched, or -1 when the matrix does not match. */
function specificity(matrix: EscalationMatrix, input: MatchInput): number {
  const dims: Array<[string[], string | null | undefined]> = [
    [matrix.severityLevels, input.severity],
    [matrix.formIds, input.formId],
    [matrix.teamIds, input.teamId],
  ];
  let score = 0;
  for (const [values, value] of dims) {
    if (values.length === 0) continue;
    if (value === null || value === undefined || !values.includes(value)) return -1;
    score += 1;
  }
  return score;
}

/**
 * The escalation matrix that applies to an item, or null. Only active matrices
 * are considered. On each dimension (severity, form, team) an empty list matches
 * any value (including none); a non-empty list must contain the input value. Among
 * matches the most specific wins (more non-empty dimensions matched), then the
 * lower priorityOrder, then the smaller id, so the answer never depends on the
 * order of `matrices`.
 */
export function matchMatrix(matrices: EscalationMatrix[], input: MatchInput): EscalationMatrix | null {
  let best: EscalationMatrix | null = null;
  let bestScore = -1;
  for (const matrix of matrices) {
    if (!matrix.isActive) continue;
    const score = specificity(matrix, input);
    if (score < 0) continue;
    const better =
      best === null ||
      score > bestScore ||
      (score === bestScore &&
        (matrix.priorityOrder < best.priorityOrder ||
          (matrix.priorityOrder === best.priorityOrder && compareStrings(matrix.id, best.id) < 0)));
    if (better) {
      best = matrix;
      bestScore = score;
    }
  }
  return best;
}

/** The ladder used when neither the item nor a matrix configures one. */
export const DEFAULT_LADDER: LadderLevelConfig[] = [
  { level: 'L1', after: 'P1D', target: { type: 'TEAM_LEAD' }, channels: ['email', 'slack'] },
  { level: 'L2', after: 'P3D', target: { type: 'MANAGER' }, channels: ['email', 'slack'] },
  { level: 'L3', after: 'P7D', target: { type: 'DIRECTOR' }, channels: ['email', 'slack'] },
  { level: 'L4', after: 'P14D', target: { type: 'VP_EXEC' }, channels: ['email', 'slack'] },
];

/**
 * Which ladder an obligation climbs: its own configuration when non-empty (an
 * empty or missing list means "not configured"), else the rules of the matrix
 * chosen by `matchMatrix` when it has any (sorted L1..L4, `status` dropped), else
 * the workspace default. Returned levels are copies; validate them with resolveLadder.
 */
export function chooseLadder(args: {
  own?: LadderLevelConfig[] | null;
  matrices: EscalationMatrix[];
  match: MatchInput;
  workspaceDefault: LadderLevelConfig[];
}): { source: 'OWN' | 'MATRIX' | 'DEFAULT'; matrixId?: string; levels: LadderLevelConfig[] } {
  const copy = (l: LadderLevelConfig): LadderLevelConfig => ({
    level: l.level,
    after: l.after,
    target: l.target,
    channels: [...l.channels],
  });
  if (args.own && args.own.length > 0) return { source: 'OWN', levels: args.own.map(copy) };
  const matrix = matchMatrix(args.matrices, args.match);
  if (matrix !== null && matrix.rules.length > 0) {
    const levels = [...matrix.rules]
      .sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level))
      .map(copy);
    return { source: 'MATRIX', matrixId: matrix.id, levels };
  }
  return { source: 'DEFAULT', levels: args.workspaceDefault.map(copy) };
}

/**
 * The member and team ids a ladder's targets name, by field (`<prefix>.<i>.target.ids`
 * for MEMBERS, `<prefix>.<i>.target.id` for TEAM), to check them against the workspace.
 */
export function ladderTargetIds(
  prefix: string,
  levels: ReadonlyArray<{ target: Target }> | null | undefined,
): { members: Record<string, string[]>; teams: Record<string, string[]> } {
  const members: Record<string, string[]> = {};
  const teams: Record<string, string[]> = {};
  (levels ?? []).forEach(({ target }, i) => {
    if (target.type === 'MEMBERS') members[`${prefix}.${i}.target.ids`] = [...target.ids];
    if (target.type === 'TEAM') teams[`${prefix}.${i}.target.id`] = [target.id];
  });
  return { members, teams };
}
