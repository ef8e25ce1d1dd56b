import type { AuthContext } from '@vigil/kernel/auth';
import { BadRequest } from '@vigil/kernel/errors';
import { and, asc, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db';
import { col, pastDueSql } from '../obligations/due';
import { members, teamMembers } from '../people/schema';
import { percent } from '../percent';
import { sqlIn } from '../sql-in';
import { localDayWindow, occurrencesBetween, TERMINAL_INSTANCE } from './rules';
import { type InstanceStatus, OPEN_INSTANCE_STATUSES, reminderInstances, reminders } from './schema';
import { readableInstances, specOf } from './service';

const DAY_MS = 86_400_000;

/**
 * The time zone "today" and "this week" are counted in: the one asked for, else the
 * caller's own (members.timezone), else UTC.
 */
export async function viewerTimezone(db: Executor, ctx: AuthContext, asked?: string): Promise<string> {
  if (asked) return asked;
  if (!ctx.memberId) return 'UTC';
  const [m] = await db
    .select({ tz: members.timezone })
    .from(members)
    .where(and(eq(members.workspaceId, ctx.workspaceId), eq(members.id, ctx.memberId)));
  return m?.tz ?? 'UTC';
}

const countBy = async (db: Executor, column: SQL, from: SQL) => {
  const res = await db.execute(sql`SELECT ${column} AS k, count(*)::int AS n FROM ${from} GROUP BY 1`);
  return Object.fromEntries((res.rows as Array<{ k: string; n: number }>).map((r) => [r.k, r.n]));
};

/**
 * Dashboard counters (due today / this week are local calendar days in `timezone`; weeks start on Monday).
 * Reminder definitions are counted over the workspace; instances over those the caller may read.
 */
export async function dashboardStats(db: Executor, ctx: AuthContext, timezone = 'UTC', now = new Date()) {
  const workspaceId = ctx.workspaceId;
  const readable = readableInstances(ctx) ?? sql`TRUE`;
  const ws = sql`reminders WHERE workspace_id = ${workspaceId}`;
  const wsi = sql`${reminderInstances} WHERE ${reminderInstances.workspaceId} = ${workspaceId} AND ${readable}`;
  const { todayStart, todayEnd, weekEnd } = localDayWindow(now, timezone);
  const res = await db.execute(sql`
    SELECT
      count(*) FILTER (WHERE ${pastDueSql(col('due_date'), now)} AND status NOT IN ${sqlIn(TERMINAL_INSTANCE)})::int AS overdue,
      count(*) FILTER (WHERE due_date >= ${todayStart} AND due_date < ${todayEnd} AND status NOT IN ${sqlIn(TERMINAL_INSTANCE)})::int AS due_today,
      count(*) FILTER (WHERE due_date >= ${todayStart} AND due_date < ${weekEnd} AND status NOT IN ${sqlIn(TERMINAL_INSTANCE)})::int AS due_this_week,
      count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed,
      count(*) FILTER (WHERE status <> 'SKIPPED' AND (status = 'COMPLETED' OR ${pastDueSql(col('due_date'), now)}))::int AS due_so_far,
      count(*)::int AS total
    FROM ${wsi}`);
  const row = res.rows[0] as Record<string, number>;
  const dueSoFar = row.due_so_far ?? 0;
  return {
    reminders: {
      total: Object.values(await countBy(db, sql.raw('status'), ws)).reduce((a, b) => a + b, 0),
      by_status: await countBy(db, sql.raw('status'), ws),
      by_category: await countBy(db, sql.raw('category'), ws),
      by_priority: await countBy(db, sql.raw('priority'), ws),
    },
    instances: {
      total: row.total ?? 0,
      by_status: await countBy(db, sql.raw('status'), wsi),
      overdue: row.overdue ?? 0,
      due_today: row.due_today ?? 0,
      due_this_week: row.due_this_week ?? 0,
      completed: row.completed ?? 0,
      completion_rate: percent(row.completed ?? 0, dueSoFar),
    },
  };
}

export interface MyFilter {
  assigned_to_me?: boolean;
  my_team?: boolean;
  overdue?: boolean;
  due_today?: boolean;
  due_this_week?: boolean;
  status?: InstanceStatus;
  limit: number;
}

const instanceWithReminder = {
  instance: reminderInstances,
  title: reminders.title,
  category: reminders.category,
  priority: reminders.priority,
  requires_evidence: reminders.requiresEvidence,
};

/** The caller's instances (and/or their teams'); open ones unless a status is given. */
export async function myReminders(
  db: Executor,
  ctx: AuthContext,
  f: MyFilter,
  timezone = 'UTC',
  now = new Date(),
) {
  const mine = f.assigned_to_me ?? !f.my_team;
  const who: SQL[] = [];
  if (mine) who.push(eq(reminderInstances.assignedOwnerId, ctx.memberId));
  if (f.my_team) {
    const teamIds = (
      await db
        .select({ id: teamMembers.teamId })
        .from(teamMembers)
        .where(eq(teamMembers.memberId, ctx.memberId))
    ).map((t) => t.id);
    if (teamIds.length) who.push(inArray(reminderInstances.assignedTeamId, teamIds));
  }
  if (!who.length) return [];
  const where: SQL[] = [eq(reminderInstances.workspaceId, ctx.workspaceId), or(...who) as SQL];
  where.push(
    f.status
      ? eq(reminderInstances.status, f.status)
      : inArray(reminderInstances.status, OPEN_INSTANCE_STATUSES),
  );
  const { todayStart, todayEnd, weekEnd } = localDayWindow(now, timezone);
  if (f.overdue) where.push(pastDueSql(reminderInstances.dueDate, now));
  if (f.due_today)
    where.push(gte(reminderInstances.dueDate, todayStart), lt(reminderInstances.dueDate, todayEnd));
  if (f.due_this_week)
    where.push(gte(reminderInstances.dueDate, todayStart), lt(reminderInstances.dueDate, weekEnd));
  return db
    .select(instanceWithReminder)
    .from(reminderInstances)
    .innerJoin(reminders, eq(reminders.id, reminderInstances.reminderId))
    .where(and(...where))
    .orderBy(asc(reminderInstances.dueDate))
    .limit(f.limit);
}

export const CALENDAR_MAX_DAYS = 366;
export const CALENDAR_MAX_PROJECTED = 2000;

/**
 * Instances due in [from, to) that the caller may read, plus projected future occurrences of ACTIVE
 * reminders (bounded; a projection has no owner yet).
 */
export async function calendar(db: Executor, ctx: AuthContext, from: Date, to: Date, now = new Date()) {
  const workspaceId = ctx.workspaceId;
  if (to.getTime() <= from.getTime()) {
    throw new BadRequest('query.to must be after query.from', [
      { field: 'query.to', message: 'must be after from' },
    ]);
  }
  if (to.getTime() - from.getTime() > CALENDAR_MAX_DAYS * DAY_MS) {
    throw new BadRequest(`The window may span at most ${CALENDAR_MAX_DAYS} days`, [
      { field: 'query.to', message: `at most ${CALENDAR_MAX_DAYS} days after from` },
    ]);
  }
  const instances = await db
    .select(instanceWithReminder)
    .from(reminderInstances)
    .innerJoin(reminders, eq(reminders.id, reminderInstances.reminderId))
    .where(
      and(
        eq(reminderInstances.workspaceId, workspaceId),
        gte(reminderInstances.dueDate, from),
        lt(reminderInstances.dueDate, to),
        readableInstances(ctx),
      ),
    )
    .orderBy(asc(reminderInstances.dueDate))
    .limit(5000);
  const taken = new Set(instances.map((i) => `${i.instance.reminderId}@${i.instance.dueDate.getTime()}`));
  const active = await db
    .select()
    .from(reminders)
    .where(and(eq(reminders.workspaceId, workspaceId), eq(reminders.status, 'ACTIVE')));
  const projected: Array<{ reminder_id: string; title: string; due_date: string; priority: string }> = [];
  const start = new Date(Math.max(from.getTime(), now.getTime()));
  let truncated = false;
  for (const r of active) {
    if (start.getTime() >= to.getTime()) break;
    const room = CALENDAR_MAX_PROJECTED - projected.length;
    if (room <= 0) {
      truncated = true;
      break;
    }
    let dates: Date[] = [];
    try {
      dates = occurrencesBetween(specOf(r), start, to, room);
    } catch {
      continue;
    }
    for (const d of dates) {
      if (taken.has(`${r.id}@${d.getTime()}`)) continue;
      projected.push({ reminder_id: r.id, title: r.title, due_date: d.toISOString(), priority: r.priority });
    }
    if (dates.length >= room) truncated = true;
  }
  projected.sort((a, b) => a.due_date.localeCompare(b.due_date));
  return { instances, projected, truncated };
}
