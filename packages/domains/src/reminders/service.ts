import type { AuthContext } from '@vigil/kernel/auth';
import { BadRequest, Conflict } from '@vigil/kernel/errors';
import { toColumns } from '@vigil/kernel/serialize';
import { and, asc, desc, eq, gte, ilike, inArray, lte, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { ladderTargetIds } from '../escalation/rules';
import type { LadderLevelConfig } from '../obligations/rules';
import { filterEquals, listPage } from '../paging';
import { peopleRefs } from '../people/service';
import { readableByOwnerOrTeam } from '../people/visibility';
import { questionnaires } from '../questionnaires/schema';
import { assertRefs, workspaceRows } from '../refs';
import type { Strategy } from './routing';
import { type Frequency, nextOccurrence, type ScheduleSpec, validateSchedule } from './rules';
import {
  type InstanceStatus,
  type NotificationConfig,
  type ReminderCategory,
  type ReminderPriority,
  type ReminderStatus,
  reminderInstances,
  reminders,
} from './schema';

export type ReminderRow = typeof reminders.$inferSelect;
export type InstanceRow = typeof reminderInstances.$inferSelect;

export interface ReminderInput {
  title?: string;
  description?: string | null;
  category?: ReminderCategory;
  priority?: ReminderPriority;
  status?: ReminderStatus;
  frequency?: Frequency;
  cron_expression?: string | null;
  timezone?: string;
  start_date?: string;
  end_date?: string | null;
  assignment_strategy?: Strategy;
  default_owner_id?: string | null;
  default_team_id?: string | null;
  domain?: string | null;
  control_id?: string | null;
  tags?: string[];
  escalation_config?: LadderLevelConfig[] | null;
  notification_config?: NotificationConfig;
  requires_acknowledgment?: boolean;
  requires_evidence?: boolean;
  evidence_freshness_days?: number | null;
  source_type?: string | null;
  source_id?: string | null;
  source_question_id?: string | null;
}

export function specOf(r: {
  frequency: string;
  cronExpression: string | null;
  timezone: string;
  startDate: Date;
  endDate: Date | null;
}): ScheduleSpec {
  return {
    frequency: r.frequency as Frequency,
    cronExpression: r.cronExpression,
    timezone: r.timezone,
    startDate: r.startDate,
    endDate: r.endDate,
  };
}

function scheduleIssues(spec: ScheduleSpec) {
  const issues = validateSchedule(spec).map((i) => ({ field: `body.${i.field}`, message: i.message }));
  if (issues.length) throw new BadRequest(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
}

const columns = (i: ReminderInput) => ({
  ...toColumns(i, [
    'title',
    'description',
    'category',
    'priority',
    'status',
    'frequency',
    'cron_expression',
    'timezone',
  ]),
  ...(i.start_date !== undefined && { startDate: new Date(i.start_date) }),
  ...(i.end_date !== undefined && { endDate: i.end_date === null ? null : new Date(i.end_date) }),
  ...toColumns(i, [
    'assignment_strategy',
    'default_owner_id',
    'default_team_id',
    'domain',
    'control_id',
    'tags',
    'escalation_config',
    'notification_config',
    'requires_acknowledgment',
    'requires_evidence',
    'evidence_freshness_days',
    'source_type',
    'source_id',
    'source_question_id',
  ]),
});

const QUESTIONNAIRE_ROWS = workspaceRows(questionnaires, 'questionnaire');

/**
 * The default owner and team, the members and teams the ladder targets and, for a
 * reminder sourced from a questionnaire, that questionnaire must be in the workspace.
 */
async function assertReminderRefs(db: Executor, workspaceId: string, i: ReminderInput, before?: ReminderRow) {
  const targets = ladderTargetIds('body.escalation_config', i.escalation_config);
  const sourceChanged = i.source_id !== undefined || i.source_type !== undefined;
  const sourceType = i.source_type !== undefined ? i.source_type : before?.sourceType;
  const sourceId = i.source_id !== undefined ? i.source_id : before?.sourceId;
  await assertRefs(db, workspaceId, [
    ...peopleRefs({
      members: {
        ...(i.default_owner_id && { 'body.default_owner_id': [i.default_owner_id] }),
        ...targets.members,
      },
      teams: { ...(i.default_team_id && { 'body.default_team_id': [i.default_team_id] }), ...targets.teams },
    }),
    {
      field: 'body.source_id',
      rows: QUESTIONNAIRE_ROWS,
      ids: sourceChanged && sourceType === 'questionnaire' ? [sourceId] : [],
    },
  ]);
}

export async function getReminder(db: Executor, workspaceId: string, id: string): Promise<ReminderRow> {
  return findInWorkspace(db, reminders, 'Reminder', workspaceId, id);
}

export async function createReminder(
  db: Db,
  ctx: AuthContext,
  input: ReminderInput & { title: string; frequency: Frequency; start_date: string },
  tx0?: Executor,
): Promise<ReminderRow> {
  const spec = specOf({
    frequency: input.frequency,
    cronExpression: input.cron_expression ?? null,
    timezone: input.timezone ?? 'UTC',
    startDate: new Date(input.start_date),
    endDate: input.end_date ? new Date(input.end_date) : null,
  });
  scheduleIssues(spec);
  await assertReminderRefs(tx0 ?? db, ctx.workspaceId, input);
  const now = new Date();
  const run = async (tx: Executor) => {
    const [row] = await tx
      .insert(reminders)
      .values({
        workspaceId: ctx.workspaceId,
        title: input.title,
        frequency: input.frequency,
        startDate: spec.startDate,
        ...columns(input),
        nextOccurrence: nextOccurrence(spec, new Date(Math.max(spec.startDate.getTime(), now.getTime()) - 1)),
        createdById: ctx.via === 'SYSTEM' ? null : ctx.memberId,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'REMINDER_CREATED',
      targetType: 'reminder',
      targetId: row.id,
      newValue: input,
      description: `Reminder "${row.title}" created`,
    });
    return row;
  };
  const row = tx0 ? await run(tx0) : await db.transaction(run);
  return row;
}

export async function updateReminder(
  db: Db,
  ctx: AuthContext,
  id: string,
  input: ReminderInput,
): Promise<ReminderRow> {
  const before = await getReminder(db, ctx.workspaceId, id);
  const spec = specOf({ ...before, ...columns(input) });
  scheduleIssues(spec);
  await assertReminderRefs(db, ctx.workspaceId, input, before);
  const row = await db.transaction(async (tx) => {
    const now = new Date();
    const [r] = await tx
      .update(reminders)
      .set({
        ...columns(input),
        nextOccurrence: nextOccurrence(spec, new Date(Math.max(spec.startDate.getTime(), now.getTime()) - 1)),
        updatedAt: now,
      })
      .where(eq(reminders.id, id))
      .returning();
    const archived = input.status === 'ARCHIVED' && before.status !== 'ARCHIVED';
    await audit(tx, ctx, {
      action: archived ? 'REMINDER_ARCHIVED' : 'REMINDER_UPDATED',
      targetType: 'reminder',
      targetId: id,
      oldValue: {
        status: before.status,
        frequency: before.frequency,
        cron_expression: before.cronExpression,
      },
      newValue: input,
    });
    return r ?? before;
  });
  return row;
}

/** Archives (default) or hard-deletes a reminder; hard delete only without completed instances (else 409). */
export async function deleteReminder(db: Db, ctx: AuthContext, id: string, hard: boolean): Promise<void> {
  const before = await getReminder(db, ctx.workspaceId, id);
  if (!hard) {
    await updateReminder(db, ctx, id, { status: 'ARCHIVED' });
    return;
  }
  await db.transaction(async (tx) => {
    const [done] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(reminderInstances)
      .where(and(eq(reminderInstances.reminderId, id), eq(reminderInstances.status, 'COMPLETED')));
    if ((done?.n ?? 0) > 0) {
      throw new Conflict('A reminder with completed instances cannot be deleted; archive it instead', [
        { field: 'query.hard', message: 'Reminder has completed instances (audit evidence)' },
      ]);
    }
    const open = await tx
      .select({ id: reminderInstances.id })
      .from(reminderInstances)
      .where(eq(reminderInstances.reminderId, id));
    await tx.delete(reminders).where(eq(reminders.id, id));
    await audit(tx, ctx, {
      action: 'REMINDER_DELETED',
      targetType: 'reminder',
      targetId: id,
      oldValue: { title: before.title, instance_ids: open.map((o) => o.id) },
    });
  });
}

export interface ReminderFilter {
  status?: ReminderStatus;
  category?: ReminderCategory;
  priority?: ReminderPriority;
  frequency?: Frequency;
  domain?: string;
  control_id?: string;
  owner_id?: string;
  team_id?: string;
  search?: string;
  limit: number;
  cursor?: string;
}

export async function listReminders(db: Executor, workspaceId: string, f: ReminderFilter) {
  const where = [eq(reminders.workspaceId, workspaceId)];
  where.push(
    ...filterEquals(f, {
      status: reminders.status,
      category: reminders.category,
      priority: reminders.priority,
      frequency: reminders.frequency,
      domain: reminders.domain,
      control_id: reminders.controlId,
      owner_id: reminders.defaultOwnerId,
      team_id: reminders.defaultTeamId,
    }),
  );
  if (f.search) where.push(ilike(reminders.title, `%${f.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
  return listPage(db, reminders, where, f);
}

export interface InstanceFilter {
  status?: InstanceStatus;
  owner_id?: string;
  team_id?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/**
 * Instances the caller may read: all for admins, approvers and auditors; for others, those whose
 * owner is themselves or someone they manage or lead, or assigned to a team they belong to or lead.
 */
export const readableInstances = (ctx: AuthContext) =>
  readableByOwnerOrTeam(ctx, reminderInstances.assignedOwnerId, reminderInstances.assignedTeamId);

export async function listInstances(db: Executor, ctx: AuthContext, reminderId: string, f: InstanceFilter) {
  await getReminder(db, ctx.workspaceId, reminderId);
  const where = [
    eq(reminderInstances.workspaceId, ctx.workspaceId),
    eq(reminderInstances.reminderId, reminderId),
    readableInstances(ctx),
  ];
  where.push(
    ...filterEquals(f, {
      status: reminderInstances.status,
      owner_id: reminderInstances.assignedOwnerId,
      team_id: reminderInstances.assignedTeamId,
    }),
  );
  if (f.from) where.push(gte(reminderInstances.dueDate, new Date(f.from)));
  if (f.to) where.push(lte(reminderInstances.dueDate, new Date(f.to)));
  return listPage(db, reminderInstances, where, f);
}

export async function recentInstances(db: Executor, ctx: AuthContext, reminderId: string, limit = 10) {
  return db
    .select()
    .from(reminderInstances)
    .where(and(eq(reminderInstances.reminderId, reminderId), readableInstances(ctx)))
    .orderBy(desc(reminderInstances.dueDate))
    .limit(limit);
}

export async function activeReminderIds(db: Executor, limit: number, afterId: string | null) {
  const where = [inArray(reminders.status, ['ACTIVE', 'PAUSED'])];
  if (afterId) where.push(sql`${reminders.id} > ${afterId}`);
  return db
    .select({ id: reminders.id, workspaceId: reminders.workspaceId })
    .from(reminders)
    .where(and(...where))
    .orderBy(asc(reminders.id))
    .limit(limit);
}
