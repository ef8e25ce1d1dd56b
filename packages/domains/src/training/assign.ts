import type { AuthContext } from '@vigil/kernel/auth';
import type { Effects } from '@vigil/kernel/effects';
import { newId } from '@vigil/kernel/ids';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Executor } from '../db';
import { ladderFor } from '../escalation/service';
import type { LadderLevelConfig } from '../obligations/rules';
import { firstTeams } from '../people/memberships';
import { memberRoles, members, teamMembers } from '../people/schema';
import { dueDateFor } from './rules';
import { mandatoryTrainings, trainingAssignments } from './schema';

export type TrainingRow = typeof mandatoryTrainings.$inferSelect;
export type AssignmentRow = typeof trainingAssignments.$inferSelect;

/** Active members of the workspace that a training's scope selects. */
export async function matchingMemberIds(
  db: Executor,
  workspaceId: string,
  scope: { type: string; ids: string[] },
  onlyMemberId?: string,
): Promise<string[]> {
  const where = [eq(members.workspaceId, workspaceId), eq(members.status, 'ACTIVE')];
  if (onlyMemberId) where.push(eq(members.id, onlyMemberId));
  if (scope.type === 'INDIVIDUAL') {
    if (!scope.ids.length) return [];
    where.push(inArray(members.id, scope.ids));
  } else if (scope.type === 'TEAM') {
    if (!scope.ids.length) return [];
    where.push(
      inArray(
        members.id,
        db
          .select({ id: teamMembers.memberId })
          .from(teamMembers)
          .where(inArray(teamMembers.teamId, scope.ids)),
      ),
    );
  } else if (scope.type === 'ROLE') {
    if (!scope.ids.length) return [];
    where.push(
      inArray(
        members.id,
        db
          .select({ id: memberRoles.memberId })
          .from(memberRoles)
          .where(inArray(memberRoles.roleId, scope.ids)),
      ),
    );
  }
  const rows = await db
    .select({ id: members.id })
    .from(members)
    .where(and(...where));
  return rows.map((r) => r.id);
}

/** Each member's ladder (from their first team's matrix, else the workspace default), computed once per team. */
async function laddersFor(db: Executor, workspaceId: string, memberIds: string[]) {
  const teamOf = await firstTeams(db, memberIds);
  const byTeam = new Map<string, LadderLevelConfig[]>();
  const out = new Map<string, LadderLevelConfig[]>();
  for (const id of memberIds) {
    const team = teamOf.get(id) ?? '';
    let ladder = byTeam.get(team);
    if (!ladder) {
      ladder = (await ladderFor(db, workspaceId, { teamId: team || null })).levels;
      byTeam.set(team, ladder);
    }
    out.set(id, ladder);
  }
  return out;
}

/**
 * Set-based assignment of one training to members (chunked multi-row inserts in the
 * caller's transaction), one TRAINING_ASSIGNED audit entry each. Members who already
 * hold the same cycle are skipped (idempotent on (training, member, cycle)).
 */
export async function insertAssignments(
  tx: Executor,
  ctx: AuthContext,
  training: TrainingRow,
  memberIds: string[],
  opts: { cycle?: number; dueDate?: Date; now?: Date; description?: string } = {},
): Promise<AssignmentRow[]> {
  const ids = [...new Set(memberIds)];
  if (!ids.length) return [];
  const now = opts.now ?? new Date();
  const dueDate = opts.dueDate ?? dueDateFor(training, now);
  const ladders = await laddersFor(tx, training.workspaceId, ids);
  const inserted: AssignmentRow[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000).map((developerId) => ({
      id: newId(),
      workspaceId: training.workspaceId,
      mandatoryTrainingId: training.id,
      developerId,
      cycle: opts.cycle ?? 0,
      dueDate,
      ladder: ladders.get(developerId) ?? [],
      createdAt: now,
      updatedAt: now,
    }));
    inserted.push(...(await tx.insert(trainingAssignments).values(chunk).onConflictDoNothing().returning()));
  }
  await audit(
    tx,
    ctx,
    inserted.map((a) => ({
      action: 'TRAINING_ASSIGNED' as const,
      targetType: 'training_assignment',
      targetId: a.id,
      newValue: {
        mandatory_training_id: training.id,
        developer_id: a.developerId,
        due_date: a.dueDate.toISOString(),
        cycle: a.cycle,
      },
      description: opts.description ?? `"${training.name}" assigned`,
    })),
  );
  return inserted;
}

/** Members (of a list) who already hold any assignment of this training. */
export async function alreadyAssigned(db: Executor, trainingId: string, memberIds: string[]) {
  const have = new Set<string>();
  for (let i = 0; i < memberIds.length; i += 5000) {
    const rows = await db
      .selectDistinct({ id: trainingAssignments.developerId })
      .from(trainingAssignments)
      .where(
        and(
          eq(trainingAssignments.mandatoryTrainingId, trainingId),
          inArray(trainingAssignments.developerId, memberIds.slice(i, i + 5000)),
        ),
      );
    for (const r of rows) have.add(r.id);
  }
  return have;
}

/** Assigns a training to every matching active member who has none of it yet. */
export async function assignToScope(
  tx: Executor,
  ctx: AuthContext,
  training: TrainingRow,
  onlyMemberId?: string,
): Promise<AssignmentRow[]> {
  if (!training.isActive) return [];
  const matching = await matchingMemberIds(
    tx,
    training.workspaceId,
    { type: training.appliesToType, ids: training.appliesToIds },
    onlyMemberId,
  );
  const have = await alreadyAssigned(tx, training.id, matching);
  return insertAssignments(
    tx,
    ctx,
    training,
    matching.filter((id) => !have.has(id)),
  );
}

/** People hook: a member created or moved gets every active training now in their scope. */
export async function onMemberScopeChanged(tx: Executor, ctx: AuthContext, _fx: Effects, memberId: string) {
  const [m] = await tx.select({ ws: members.workspaceId }).from(members).where(eq(members.id, memberId));
  if (!m) return;
  const active = await tx
    .select()
    .from(mandatoryTrainings)
    .where(and(eq(mandatoryTrainings.workspaceId, m.ws), eq(mandatoryTrainings.isActive, true)));
  const created: AssignmentRow[] = [];
  for (const t of active) created.push(...(await assignToScope(tx, ctx, t, memberId)));
}

export const countByStatus = (db: Executor, workspaceId: string) =>
  db
    .select({
      trainingId: trainingAssignments.mandatoryTrainingId,
      status: trainingAssignments.status,
      n: sql<number>`count(*)::int`,
    })
    .from(trainingAssignments)
    .where(eq(trainingAssignments.workspaceId, workspaceId))
    .groupBy(trainingAssignments.mandatoryTrainingId, trainingAssignments.status);
