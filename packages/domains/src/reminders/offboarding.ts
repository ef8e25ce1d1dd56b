/**
 * Reminder offboarding: plans instance reassignments and control-owner updates when a
 * member leaves. Pure: the caller loads open instances, control owners, members, teams and
 * round-robin cursors, and persists the returned plan.
 */
import type { ControlOwnerRow, RoutingMember, RoutingTeam } from './routing';
import { isActive, matchingControlOwners, roundRobinPick } from './routing';

export interface OffboardInstanceRow {
  id: string;
  ownerId: string | null;
  teamId: string | null;
  /**
   * When known, control-owner rows are matched on (controlId, domain) like routing does;
   * otherwise on rows naming the leaver whose team equals the instance's team.
   */
  controlId?: string | null;
  domain?: string | null;
}
export interface OffboardInput {
  leaverId: string;
  openInstances: OffboardInstanceRow[];
  controlOwners: ControlOwnerRow[];
  members: Map<string, RoutingMember>;
  teams: Map<string, RoutingTeam>;
  roundRobinCursors: Record<string, number>;
}
export interface OffboardPlan {
  /** One entry per open instance owned by the leaver; other instances are untouched. */
  instanceUpdates: {
    instanceId: string;
    ownerId: string | null;
    teamId: string | null;
    via: 'CONTROL_OWNER_BACKUP' | 'CONTROL_OWNER_PRIMARY' | 'ROUND_ROBIN' | 'UNASSIGNED';
  }[];
  /** Rows where the leaver was primary (backup promoted when active) or backup (cleared). */
  controlOwnerUpdates: { id: string; primaryOwnerId: string | null; backupOwnerId: string | null }[];
  /** Final round-robin cursor per team touched while reassigning. */
  cursorUpdates: Record<string, number>;
}

function rowsForInstance(input: OffboardInput, instance: OffboardInstanceRow): ControlOwnerRow[] {
  const leaver = input.leaverId;
  const involved = (r: ControlOwnerRow) => r.primaryOwnerId === leaver || r.backupOwnerId === leaver;
  if (instance.controlId) {
    return matchingControlOwners(input.controlOwners, instance.controlId, instance.domain ?? null).filter(
      involved,
    );
  }
  return input.controlOwners.filter((r) => involved(r) && r.teamId === instance.teamId);
}

/**
 * Plan the reassignments when `leaverId` leaves. For each open instance the leaver owns:
 * the other owner (backup, or primary when the leaver was the backup) of a matching
 * control-owner row when active, else round robin in the instance's team (cursors advance
 * across instances), else unassigned (team kept). The leaver counts as inactive throughout.
 * Control-owner rows: a leaving primary is replaced by the backup when the backup is active
 * (the backup slot is then cleared), otherwise the primary is cleared; a leaving backup is cleared.
 */
export function reassignOnOffboard(input: OffboardInput): OffboardPlan {
  const members = new Map(input.members);
  members.set(input.leaverId, { id: input.leaverId, active: false });
  const cursors: Record<string, number> = { ...input.roundRobinCursors };
  const cursorUpdates: Record<string, number> = {};
  const instanceUpdates: OffboardPlan['instanceUpdates'] = [];

  for (const instance of input.openInstances) {
    if (instance.ownerId !== input.leaverId) continue;
    let update: OffboardPlan['instanceUpdates'][number] | null = null;
    for (const row of rowsForInstance(input, instance)) {
      const teamId = row.teamId ?? instance.teamId;
      if (row.primaryOwnerId === input.leaverId && isActive(members, row.backupOwnerId)) {
        update = { instanceId: instance.id, ownerId: row.backupOwnerId, teamId, via: 'CONTROL_OWNER_BACKUP' };
      } else if (row.backupOwnerId === input.leaverId && isActive(members, row.primaryOwnerId)) {
        update = {
          instanceId: instance.id,
          ownerId: row.primaryOwnerId,
          teamId,
          via: 'CONTROL_OWNER_PRIMARY',
        };
      }
      if (update) break;
    }
    const team = instance.teamId === null ? undefined : input.teams.get(instance.teamId);
    if (!update && team) {
      const pick = roundRobinPick(team, members, cursors[team.id]);
      if (pick.ownerId !== null) {
        cursors[team.id] = pick.cursor;
        cursorUpdates[team.id] = pick.cursor;
        update = { instanceId: instance.id, ownerId: pick.ownerId, teamId: team.id, via: 'ROUND_ROBIN' };
      }
    }
    instanceUpdates.push(
      update ?? { instanceId: instance.id, ownerId: null, teamId: instance.teamId, via: 'UNASSIGNED' },
    );
  }

  const controlOwnerUpdates: OffboardPlan['controlOwnerUpdates'] = [];
  for (const row of input.controlOwners) {
    if (row.primaryOwnerId !== input.leaverId && row.backupOwnerId !== input.leaverId) continue;
    let primary = row.primaryOwnerId;
    let backup = row.backupOwnerId === input.leaverId ? null : row.backupOwnerId;
    if (primary === input.leaverId) {
      if (isActive(members, backup)) {
        primary = backup;
        backup = null;
      } else {
        primary = null;
      }
    }
    controlOwnerUpdates.push({ id: row.id, primaryOwnerId: primary, backupOwnerId: backup });
  }
  return { instanceUpdates, controlOwnerUpdates, cursorUpdates };
}
