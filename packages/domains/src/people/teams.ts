import type { AuthContext } from '@vigil/kernel/auth';
import { onUniqueViolation } from '@vigil/kernel/db';
import type { Effects } from '@vigil/kernel/effects';
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { peopleHooks, runMemberHooks } from '../hooks';
import { type OnCallRotation, orgRoles, teamMembers, teams } from './schema';
import { assertInWorkspace } from './service';

interface TeamInput {
  name?: string;
  description?: string | null;
  lead_id?: string | null;
  member_ids?: string[];
  on_call?: OnCallRotation | null;
}

async function teamMemberIds(db: Executor, teamIds: string[]) {
  const out = new Map(teamIds.map((id) => [id, [] as string[]]));
  if (!teamIds.length) return out;
  const rows = await db.select().from(teamMembers).where(inArray(teamMembers.teamId, teamIds));
  for (const r of rows) out.get(r.teamId)?.push(r.memberId);
  return out;
}

async function validateTeam(db: Executor, workspaceId: string, input: TeamInput) {
  await assertInWorkspace(db, workspaceId, {
    members: {
      ...(input.lead_id ? { 'body.lead_id': [input.lead_id] } : {}),
      ...(input.member_ids ? { 'body.member_ids': input.member_ids } : {}),
      ...(input.on_call ? { 'body.on_call.member_ids': input.on_call.member_ids } : {}),
    },
  });
}

const nameTaken = onUniqueViolation('body.name', 'A team with this name already exists');

/** Replaces a team's member list; members who join get the team's obligations through the scope hook. */
async function setTeamMembers(tx: Executor, ctx: AuthContext, fx: Effects, teamId: string, ids: string[]) {
  const current = (await teamMemberIds(tx, [teamId])).get(teamId) ?? [];
  const next = [...new Set(ids)];
  // Memberships that stay keep their created_at: it orders a member's teams (their first team).
  await tx
    .delete(teamMembers)
    .where(
      and(eq(teamMembers.teamId, teamId), next.length ? notInArray(teamMembers.memberId, next) : undefined),
    );
  if (next.length)
    await tx
      .insert(teamMembers)
      .values(next.map((memberId) => ({ workspaceId: ctx.workspaceId, teamId, memberId })))
      .onConflictDoNothing();
  const changed = [
    ...next.filter((id) => !current.includes(id)),
    ...current.filter((id) => !next.includes(id)),
  ];
  for (const memberId of changed) await runMemberHooks(peopleHooks.memberScopeChanged, tx, ctx, fx, memberId);
}

export async function createTeam(db: Db, ctx: AuthContext, fx: Effects, input: TeamInput & { name: string }) {
  await validateTeam(db, ctx.workspaceId, input);
  return db
    .transaction(async (tx) => {
      const [row] = await tx
        .insert(teams)
        .values({
          workspaceId: ctx.workspaceId,
          name: input.name,
          description: input.description ?? null,
          leadId: input.lead_id ?? null,
          onCall: input.on_call ?? null,
        })
        .returning();
      if (!row) throw new Error('insert returned nothing');
      if (input.member_ids) await setTeamMembers(tx, ctx, fx, row.id, input.member_ids);
      await audit(tx, ctx, {
        action: 'TEAM_CREATED',
        targetType: 'team',
        targetId: row.id,
        newValue: input,
        description: `Team ${row.name} created`,
      });
      return row;
    })
    .catch(nameTaken);
}

export async function getTeam(db: Executor, workspaceId: string, id: string) {
  return findInWorkspace(db, teams, 'Team', workspaceId, id);
}

export async function updateTeam(db: Db, ctx: AuthContext, fx: Effects, id: string, input: TeamInput) {
  const before = await getTeam(db, ctx.workspaceId, id);
  await validateTeam(db, ctx.workspaceId, input);
  return db
    .transaction(async (tx) => {
      const patch: Partial<typeof teams.$inferInsert> = { updatedAt: new Date() };
      if (input.name !== undefined) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.lead_id !== undefined) patch.leadId = input.lead_id;
      if (input.on_call !== undefined) patch.onCall = input.on_call;
      const [row] = await tx.update(teams).set(patch).where(eq(teams.id, id)).returning();
      if (input.member_ids) await setTeamMembers(tx, ctx, fx, id, input.member_ids);
      await audit(tx, ctx, {
        action: 'TEAM_UPDATED',
        targetType: 'team',
        targetId: id,
        oldValue: { name: before.name, lead_id: before.leadId, on_call: before.onCall },
        newValue: input,
        description: `Team ${before.name} updated`,
      });
      return row ?? before;
    })
    .catch(nameTaken);
}

export async function deleteTeam(db: Db, ctx: AuthContext, fx: Effects, id: string) {
  const before = await getTeam(db, ctx.workspaceId, id);
  await db.transaction(async (tx) => {
    const ids = (await teamMemberIds(tx, [id])).get(id) ?? [];
    await tx.delete(teams).where(eq(teams.id, id));
    for (const memberId of ids) await runMemberHooks(peopleHooks.memberScopeChanged, tx, ctx, fx, memberId);
    await audit(tx, ctx, {
      action: 'TEAM_DELETED',
      targetType: 'team',
      targetId: id,
      oldValue: { name: before.name, member_ids: ids },
      description: `Team ${before.name} deleted`,
    });
  });
}

export async function listTeams(db: Executor, workspaceId: string) {
  const rows = await db
    .select()
    .from(teams)
    .where(eq(teams.workspaceId, workspaceId))
    .orderBy(asc(teams.name));
  const ids = await teamMemberIds(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, memberIds: ids.get(r.id) ?? [] }));
}

export async function createRole(
  db: Db,
  ctx: AuthContext,
  input: { name: string; description?: string | null },
) {
  return db
    .transaction(async (tx) => {
      const [row] = await tx
        .insert(orgRoles)
        .values({ workspaceId: ctx.workspaceId, name: input.name, description: input.description ?? null })
        .returning();
      if (!row) throw new Error('insert returned nothing');
      await audit(tx, ctx, {
        action: 'ROLE_CREATED',
        targetType: 'role',
        targetId: row.id,
        newValue: input,
        description: `Role ${row.name} created`,
      });
      return row;
    })
    .catch(onUniqueViolation('body.name', 'A role with this name already exists'));
}

export async function listRoles(db: Executor, workspaceId: string) {
  return db.select().from(orgRoles).where(eq(orgRoles.workspaceId, workspaceId)).orderBy(asc(orgRoles.name));
}
