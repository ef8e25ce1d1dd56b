import { type AuthContext, requireSelfOr } from '@vigil/kernel/auth';
import { onUniqueViolation } from '@vigil/kernel/db';
import type { Effects } from '@vigil/kernel/effects';
import { BadRequest, Conflict, NotFound } from '@vigil/kernel/errors';
import { and, eq, ilike, inArray, notInArray, or, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { peopleHooks, runMemberHooks } from '../hooks';
import { listPage } from '../paging';
import { assertRefs, type Ref, workspaceRows } from '../refs';
import { isValidTimeZone, wouldCreateManagerCycle } from './rules';
import {
  apiTokens,
  memberRoles,
  members,
  type NotificationPreferences,
  orgRoles,
  teamMembers,
  teams,
} from './schema';

export type MemberRow = typeof members.$inferSelect;

export interface MemberInput {
  name?: string;
  email?: string;
  timezone?: string;
  manager_id?: string | null;
  title?: string | null;
  access_role?: MemberRow['accessRole'];
  status?: 'ACTIVE' | 'INACTIVE';
  slack_user_id?: string | null;
  notification_preferences?: NotificationPreferences;
  team_ids?: string[];
  role_ids?: string[];
}

export const MEMBER_ROWS = workspaceRows(members, 'member');
export const TEAM_ROWS = workspaceRows(teams, 'team');
export const ROLE_ROWS = workspaceRows(orgRoles, 'role');

/** Member, team and role ids by field, e.g. `{ members: { 'body.manager_id': [id] } }`. */
export interface PeopleRefs {
  members?: Record<string, string[]>;
  teams?: Record<string, string[]>;
  roles?: Record<string, string[]>;
}

/** The refs of PeopleRefs, for assertRefs alongside other tables' refs. */
export const peopleRefs = (refs: PeopleRefs): Ref[] => [
  ...Object.entries(refs.members ?? {}).map(([field, ids]) => ({ field, rows: MEMBER_ROWS, ids })),
  ...Object.entries(refs.teams ?? {}).map(([field, ids]) => ({ field, rows: TEAM_ROWS, ids })),
  ...Object.entries(refs.roles ?? {}).map(([field, ids]) => ({ field, rows: ROLE_ROWS, ids })),
];

/** Checks that every referenced member, team and role is in this workspace; 400 naming each offending field. */
export const assertInWorkspace = (db: Executor, workspaceId: string, refs: PeopleRefs): Promise<void> =>
  assertRefs(db, workspaceId, peopleRefs(refs));

export async function getMember(db: Executor, workspaceId: string, id: string): Promise<MemberRow> {
  return findInWorkspace(db, members, 'Member', workspaceId, id);
}

export async function memberLinks(db: Executor, memberIds: string[]) {
  if (!memberIds.length) return new Map<string, { teamIds: string[]; roleIds: string[] }>();
  const t = await db.select().from(teamMembers).where(inArray(teamMembers.memberId, memberIds));
  const r = await db.select().from(memberRoles).where(inArray(memberRoles.memberId, memberIds));
  const out = new Map(memberIds.map((id) => [id, { teamIds: [] as string[], roleIds: [] as string[] }]));
  for (const row of t) out.get(row.memberId)?.teamIds.push(row.teamId);
  for (const row of r) out.get(row.memberId)?.roleIds.push(row.roleId);
  return out;
}

async function validateMember(db: Executor, workspaceId: string, input: MemberInput, selfId?: string) {
  if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
    throw new BadRequest('Invalid body.timezone', [
      { field: 'body.timezone', message: 'Not an IANA time zone' },
    ]);
  }
  await assertInWorkspace(db, workspaceId, {
    members: input.manager_id ? { 'body.manager_id': [input.manager_id] } : {},
    teams: input.team_ids ? { 'body.team_ids': input.team_ids } : {},
    roles: input.role_ids ? { 'body.role_ids': input.role_ids } : {},
  });
  if (selfId && input.manager_id) {
    const chain = await db
      .select({ id: members.id, managerId: members.managerId })
      .from(members)
      .where(eq(members.workspaceId, workspaceId));
    const managerOf = new Map(chain.map((m) => [m.id, m.managerId]));
    if (wouldCreateManagerCycle(selfId, input.manager_id, (id) => managerOf.get(id))) {
      throw new BadRequest('body.manager_id would create a reporting loop', [
        { field: 'body.manager_id', message: 'Would create a reporting loop' },
      ]);
    }
  }
}

async function setLinks(tx: Executor, workspaceId: string, memberId: string, input: MemberInput) {
  if (input.team_ids) {
    const ids = [...new Set(input.team_ids)];
    // Memberships that stay keep their created_at: it orders the member's teams (their first team).
    await tx
      .delete(teamMembers)
      .where(
        and(eq(teamMembers.memberId, memberId), ids.length ? notInArray(teamMembers.teamId, ids) : undefined),
      );
    if (ids.length)
      await tx
        .insert(teamMembers)
        .values(ids.map((teamId) => ({ workspaceId, teamId, memberId })))
        .onConflictDoNothing();
  }
  if (input.role_ids) {
    await tx.delete(memberRoles).where(eq(memberRoles.memberId, memberId));
    const ids = [...new Set(input.role_ids)];
    if (ids.length)
      await tx.insert(memberRoles).values(ids.map((roleId) => ({ workspaceId, roleId, memberId })));
  }
}

const uniqueEmail = onUniqueViolation('body.email', 'A member with this email already exists');

export async function createMember(
  db: Db,
  ctx: AuthContext,
  fx: Effects,
  input: MemberInput & { name: string; email: string },
) {
  await validateMember(db, ctx.workspaceId, input);
  return db
    .transaction(async (tx) => {
      const [row] = await tx
        .insert(members)
        .values({
          workspaceId: ctx.workspaceId,
          name: input.name,
          email: input.email.toLowerCase(),
          timezone: input.timezone ?? 'UTC',
          managerId: input.manager_id ?? null,
          title: input.title ?? null,
          accessRole: input.access_role ?? 'MEMBER',
          slackUserId: input.slack_user_id ?? null,
          notificationPreferences: input.notification_preferences ?? {},
        })
        .returning();
      if (!row) throw new Error('insert returned nothing');
      await setLinks(tx, ctx.workspaceId, row.id, input);
      await audit(tx, ctx, {
        action: 'MEMBER_CREATED',
        targetType: 'member',
        targetId: row.id,
        newValue: { ...input, id: row.id },
        description: `Member ${row.email} created`,
      });
      await runMemberHooks(peopleHooks.memberScopeChanged, tx, ctx, fx, row.id);
      return row;
    })
    .catch(uniqueEmail);
}

const SELF_FIELDS = new Set(['timezone', 'notification_preferences', 'slack_user_id']);

export async function updateMember(db: Db, ctx: AuthContext, fx: Effects, id: string, input: MemberInput) {
  const before = await getMember(db, ctx.workspaceId, id);
  const selfOnly = Object.keys(input).every((k) => SELF_FIELDS.has(k));
  requireSelfOr(ctx, selfOnly ? before.id : null);
  await validateMember(db, ctx.workspaceId, input, id);
  return db
    .transaction(async (tx) => {
      const patch: Partial<typeof members.$inferInsert> = { updatedAt: new Date() };
      if (input.name !== undefined) patch.name = input.name;
      if (input.email !== undefined) patch.email = input.email.toLowerCase();
      if (input.timezone !== undefined) patch.timezone = input.timezone;
      if (input.manager_id !== undefined) patch.managerId = input.manager_id;
      if (input.title !== undefined) patch.title = input.title;
      if (input.access_role !== undefined) patch.accessRole = input.access_role;
      if (input.status !== undefined) patch.status = input.status;
      if (input.slack_user_id !== undefined) patch.slackUserId = input.slack_user_id;
      if (input.notification_preferences !== undefined)
        patch.notificationPreferences = input.notification_preferences;
      const [row] = await tx
        .update(members)
        .set(patch)
        .where(and(eq(members.workspaceId, ctx.workspaceId), eq(members.id, id)))
        .returning();
      if (!row) throw new NotFound('Member', id);
      await setLinks(tx, ctx.workspaceId, id, input);
      await audit(tx, ctx, {
        action: 'MEMBER_UPDATED',
        targetType: 'member',
        targetId: id,
        oldValue: pick(before, input),
        newValue: input,
        description: `Member ${row.email} updated`,
      });
      if (input.team_ids || input.role_ids || (input.status === 'ACTIVE' && before.status !== 'ACTIVE')) {
        await runMemberHooks(peopleHooks.memberScopeChanged, tx, ctx, fx, id);
      }
      return row;
    })
    .catch(uniqueEmail);
}

function pick(row: MemberRow, input: MemberInput): Record<string, unknown> {
  const map: Record<string, unknown> = {
    name: row.name,
    email: row.email,
    timezone: row.timezone,
    manager_id: row.managerId,
    title: row.title,
    access_role: row.accessRole,
    status: row.status,
    slack_user_id: row.slackUserId,
    notification_preferences: row.notificationPreferences,
  };
  return Object.fromEntries(Object.keys(input).map((k) => [k, map[k] ?? null]));
}

/** Deactivates a member, revokes their tokens, and lets every domain cancel or reassign their open items. */
export async function offboardMember(db: Db, ctx: AuthContext, fx: Effects, id: string, reason?: string) {
  const before = await getMember(db, ctx.workspaceId, id);
  if (before.status === 'INACTIVE' && before.offboardedAt) throw new Conflict('Member is already offboarded');
  return db.transaction(async (tx) => {
    const now = new Date();
    const [row] = await tx
      .update(members)
      .set({ status: 'INACTIVE', offboardedAt: now, updatedAt: now })
      .where(and(eq(members.workspaceId, ctx.workspaceId), eq(members.id, id)))
      .returning();
    await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.memberId, id), sql`${apiTokens.revokedAt} IS NULL`));
    await audit(tx, ctx, {
      action: 'MEMBER_OFFBOARDED',
      targetType: 'member',
      targetId: id,
      oldValue: { status: before.status },
      newValue: { status: 'INACTIVE', reason: reason ?? null },
      description: `Member ${before.email} offboarded`,
    });
    await runMemberHooks(peopleHooks.memberOffboarded, tx, ctx, fx, id);
    return row as MemberRow;
  });
}

export async function listMembers(
  db: Executor,
  workspaceId: string,
  f: { status?: string; team_id?: string; role_id?: string; q?: string; limit: number; cursor?: string },
) {
  const where = [eq(members.workspaceId, workspaceId)];
  if (f.status) where.push(eq(members.status, f.status));
  if (f.q) where.push(or(ilike(members.name, `%${f.q}%`), ilike(members.email, `%${f.q}%`)) ?? sql`true`);
  if (f.team_id)
    where.push(
      inArray(
        members.id,
        db.select({ id: teamMembers.memberId }).from(teamMembers).where(eq(teamMembers.teamId, f.team_id)),
      ),
    );
  if (f.role_id)
    where.push(
      inArray(
        members.id,
        db.select({ id: memberRoles.memberId }).from(memberRoles).where(eq(memberRoles.roleId, f.role_id)),
      ),
    );
  return listPage(db, members, where, f, 'asc');
}
