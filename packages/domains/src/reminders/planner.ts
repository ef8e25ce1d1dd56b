import { systemContext } from '@vigil/kernel/auth';
import { and, asc, eq, max } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Executor } from '../db';
import type { AppDeps } from '../deps';
import { ladderFor } from '../escalation/service';
import { enqueueMessages } from '../notifications/service';
import { durationToMs } from '../obligations/rules';
import { members, teamMembers, teams } from '../people/schema';
import {
  type RoutingInput,
  type RoutingMember,
  type RoutingTeam,
  routeInstance,
  type Strategy,
} from './routing';
import { nextOccurrence } from './rules';
import { assignmentRules, controlOwners, domainTeamMappings, reminderInstances, reminders } from './schema';
import { type ReminderRow, specOf } from './service';

/** How far back the planner catches up on a missed occurrence (e.g. after downtime). */
const CATCH_UP_MS = 3_600_000;

interface ReminderPlan {
  status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED' | 'GONE';
  dueAt: number | null;
  materializeAt: number | null;
}

/** Lead time from notification_config.lead_time (ISO duration); 0 when absent or invalid. */
function leadTimeMs(config: { lead_time?: unknown } | null | undefined): number {
  const raw = config?.lead_time;
  if (typeof raw !== 'string') return 0;
  try {
    return durationToMs(raw);
  } catch {
    return 0;
  }
}

/** The next occurrence to materialize: after the latest instance (or the later of start and creation). */
async function planReminder(db: Executor, reminderId: string, now = new Date()): Promise<ReminderPlan> {
  const [r] = await db.select().from(reminders).where(eq(reminders.id, reminderId));
  if (!r) return { status: 'GONE', dueAt: null, materializeAt: null };
  if (r.status !== 'ACTIVE') return { status: r.status, dueAt: null, materializeAt: null };
  const [latest] = await db
    .select({ due: max(reminderInstances.dueDate) })
    .from(reminderInstances)
    .where(eq(reminderInstances.reminderId, reminderId));
  const floor = Math.max(r.startDate.getTime() - 1, r.createdAt.getTime() - 1, now.getTime() - CATCH_UP_MS);
  const after = Math.max(latest?.due ? new Date(latest.due).getTime() : Number.NEGATIVE_INFINITY, floor);
  const due = nextOccurrence(specOf(r), new Date(after));
  if (!due) return { status: 'ACTIVE', dueAt: null, materializeAt: null };
  return {
    status: 'ACTIVE',
    dueAt: due.getTime(),
    materializeAt: due.getTime() - leadTimeMs(r.notificationConfig),
  };
}

/** Loads everything routing needs for one workspace. */
export async function routingData(db: Executor, workspaceId: string) {
  const people = await db
    .select({ id: members.id, status: members.status })
    .from(members)
    .where(eq(members.workspaceId, workspaceId));
  const teamRows = await db.select().from(teams).where(eq(teams.workspaceId, workspaceId));
  const links = await db
    .select()
    .from(teamMembers)
    .where(eq(teamMembers.workspaceId, workspaceId))
    .orderBy(asc(teamMembers.createdAt), asc(teamMembers.memberId));
  const memberMap = new Map<string, RoutingMember>(
    people.map((p) => [p.id, { id: p.id, active: p.status === 'ACTIVE' }]),
  );
  const teamMap = new Map<string, RoutingTeam>();
  const cursors: Record<string, number> = {};
  for (const t of teamRows) {
    teamMap.set(t.id, {
      id: t.id,
      memberIds: links.filter((l) => l.teamId === t.id).map((l) => l.memberId),
      onCall: t.onCall
        ? {
            memberIds: t.onCall.member_ids,
            periodDays: t.onCall.period_days,
            startsAt: new Date(t.onCall.starts_at),
          }
        : null,
    });
    if (t.roundRobinCursor >= 0) cursors[t.id] = t.roundRobinCursor;
  }
  const owners = await db.select().from(controlOwners).where(eq(controlOwners.workspaceId, workspaceId));
  const mappings = await db
    .select()
    .from(domainTeamMappings)
    .where(eq(domainTeamMappings.workspaceId, workspaceId));
  const rules = await db.select().from(assignmentRules).where(eq(assignmentRules.workspaceId, workspaceId));
  return {
    members: memberMap,
    teams: teamMap,
    roundRobinCursors: cursors,
    controlOwners: owners.map((o) => ({
      id: o.id,
      controlId: o.controlId,
      domain: o.domain,
      primaryOwnerId: o.primaryOwnerId,
      backupOwnerId: o.backupOwnerId,
      teamId: o.teamId,
    })),
    domainTeamMappings: mappings.map((m) => ({
      id: m.id,
      domain: m.domain,
      teamId: m.teamId,
      priority: m.priority,
    })),
    assignmentRules: rules.map((r) => ({
      id: r.id,
      priority: r.priority,
      isActive: r.isActive,
      ruleConfig: r.ruleConfig,
    })),
  };
}

async function routeFor(db: Executor, r: ReminderRow, dueAt: Date) {
  const data = await routingData(db, r.workspaceId);
  const input: RoutingInput = {
    strategy: r.assignmentStrategy as Strategy,
    defaultOwnerId: r.defaultOwnerId,
    defaultTeamId: r.defaultTeamId,
    category: r.category,
    priority: r.priority,
    domain: r.domain,
    tags: r.tags,
    controlId: r.controlId,
    dueAt,
    ...data,
  };
  return routeInstance(input);
}

async function adminIds(db: Executor, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select({ id: members.id })
    .from(members)
    .where(
      and(
        eq(members.workspaceId, workspaceId),
        eq(members.accessRole, 'ADMIN'),
        eq(members.status, 'ACTIVE'),
      ),
    );
  return rows.map((r) => r.id);
}

/**
 * Creates the instance for (reminder, dueAt) once: routes its owner, copies the ladder,
 * audits INSTANCE_CREATED, alerts admins when nobody can own it; the new row queues
 * the start of its obligation workflow. A repeat (same due date) does nothing.
 */
export async function materializeInstance(
  deps: AppDeps,
  reminderId: string,
  dueAtMs: number,
): Promise<{ outcome: 'CREATED' | 'EXISTS' | 'NOT_ACTIVE'; instanceId?: string }> {
  const dueAt = new Date(dueAtMs);
  return deps.db.transaction(async (tx) => {
    const [r] = await tx.select().from(reminders).where(eq(reminders.id, reminderId)).for('update');
    if (r?.status !== 'ACTIVE') return { outcome: 'NOT_ACTIVE' as const };
    const [existing] = await tx
      .select({ id: reminderInstances.id })
      .from(reminderInstances)
      .where(and(eq(reminderInstances.reminderId, reminderId), eq(reminderInstances.dueDate, dueAt)));
    if (existing) return { outcome: 'EXISTS' as const, instanceId: existing.id };
    const route = await routeFor(tx, r, dueAt);
    const ladder = await ladderFor(
      tx,
      r.workspaceId,
      { severity: r.priority, teamId: route.teamId ?? r.defaultTeamId },
      r.escalationConfig,
    );
    const [row] = await tx
      .insert(reminderInstances)
      .values({
        workspaceId: r.workspaceId,
        reminderId,
        dueDate: dueAt,
        assignedOwnerId: route.ownerId,
        assignedTeamId: route.teamId,
        routedVia: route.via,
        ladder: ladder.levels,
        ladderSource: ladder.source,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) return { outcome: 'EXISTS' as const };
    if (route.cursorUpdate) {
      await tx
        .update(teams)
        .set({ roundRobinCursor: route.cursorUpdate.cursor })
        .where(eq(teams.id, route.cursorUpdate.teamId));
    }
    await tx
      .update(reminders)
      .set({ nextOccurrence: nextOccurrence(specOf(r), dueAt) })
      .where(eq(reminders.id, reminderId));
    const ctx = systemContext(r.workspaceId);
    let _alertIds: string[] = [];
    if (route.unassigned) {
      ({ pending: _alertIds } = await enqueueMessages(
        tx,
        r.workspaceId,
        deps.config,
        [
          {
            recipientIds: await adminIds(tx, r.workspaceId),
            template: 'obligation.reminder',
            data: {
              title: `Unassigned reminder: ${r.title}`,
              kind: 'reminder_instance',
              id: row.id,
              due_at: dueAt.toISOString(),
            },
            channels: ['email', 'slack'],
            kind: 'reminder_instance',
            obligationId: row.id,
            stepKey: 'UNASSIGNED',
          },
        ],
        new Date(),
      ));
    }
    await audit(tx, ctx, {
      action: 'INSTANCE_CREATED',
      targetType: 'reminder_instance',
      targetId: row.id,
      newValue: {
        reminder_id: reminderId,
        due_date: dueAt.toISOString(),
        assigned_owner_id: route.ownerId,
        assigned_team_id: route.teamId,
        routed_via: route.via,
        ladder_source: ladder.source,
      },
      description: route.unassigned
        ? `"${r.title}" due ${dueAt.toISOString()}: nobody to assign, admins alerted`
        : `"${r.title}" due ${dueAt.toISOString()} assigned via ${route.via}`,
    });
    return { outcome: 'CREATED' as const, instanceId: row.id };
  });
}

export function reminderActivities(deps: AppDeps) {
  return {
    async planReminderOccurrence(reminderId: string): Promise<ReminderPlan> {
      return planReminder(deps.db, reminderId);
    },
    async materializeReminderInstance(reminderId: string, dueAtMs: number) {
      return materializeInstance(deps, reminderId, dueAtMs);
    },
  };
}
export type ReminderActivities = ReturnType<typeof reminderActivities>;
