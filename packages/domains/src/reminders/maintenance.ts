import type { AuthContext } from '@vigil/kernel/auth';
import { systemContext } from '@vigil/kernel/auth';
import type { Effects } from '@vigil/kernel/effects';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type AuditEntry, audit } from '../audit/service';
import type { Db, Executor } from '../db';
import type { AppDeps } from '../deps';
import type { MemberHook, OffboardChange, OffboardPreviewHook } from '../hooks';
import { quietWorkflowCommands } from '../obligations/commands';
import { col, pastDueSql } from '../obligations/due';
import { teams } from '../people/schema';
import { sqlIn } from '../sql-in';
import { ensureReminderWorkflow } from './client';
import { reassignOnOffboard } from './offboarding';
import { materializeInstance, routingData } from './planner';
import { DUE_INSTANCE, TERMINAL_INSTANCE } from './rules';
import { controlOwners, OPEN_INSTANCE_STATUSES, reminderInstances, reminders } from './schema';
import { activeReminderIds } from './service';

/** Audit entries per chunk of corrected ids, so a million corrections stay a few hundred entries. */
export const OVERDUE_AUDIT_CHUNK = 5000;

/**
 * The hourly safety net: one set-based UPDATE marks every open, past-due instance that is
 * still PENDING / NOTIFIED / ACKNOWLEDGED as OVERDUE, then audits the corrections in bulk.
 */
export async function flagOverdueReminders(db: Db, now = new Date()) {
  const run = async (tx: Executor) => {
    // A backlog of a million rows may take longer than the API's per-statement limit.
    await tx.execute(sql`SET LOCAL statement_timeout = '10min'`);
    // Workflows re-read their rows on their own timers: the correction queues no workflow commands.
    await quietWorkflowCommands(tx);
    // Each flagged instance emits reminder_instance.overdue in the same statement (set-based).
    const res = await tx.execute(sql`
      WITH upd AS (
        UPDATE reminder_instances SET status = 'OVERDUE', updated_at = now()
        WHERE ${pastDueSql(col('due_date'), now)} AND status IN ${sqlIn(DUE_INSTANCE)}
        RETURNING id, workspace_id
      ), ev AS (
        INSERT INTO events (id, workspace_id, type, entity_type, entity_id, payload)
        SELECT vigil_uuid_v7(), workspace_id, 'reminder_instance.overdue', 'reminder_instance', id,
               '{"status": "OVERDUE"}'::jsonb
        FROM upd
        ON CONFLICT DO NOTHING
      )
      SELECT id, workspace_id FROM upd`);
    const rows = res.rows as Array<{ id: string; workspace_id: string }>;
    const byWs = new Map<string, string[]>();
    for (const r of rows) {
      const list = byWs.get(r.workspace_id);
      if (list) list.push(r.id);
      else byWs.set(r.workspace_id, [r.id]);
    }
    for (const [ws, ids] of byWs) {
      const entries: AuditEntry[] = [];
      for (let i = 0; i < ids.length; i += OVERDUE_AUDIT_CHUNK) {
        const chunk = ids.slice(i, i + OVERDUE_AUDIT_CHUNK);
        entries.push({
          action: 'INSTANCE_OVERDUE',
          targetType: 'reminder_instance',
          newValue: { status: 'OVERDUE', count: chunk.length, instance_ids: chunk },
          description: `Overdue sweep: ${chunk.length} instance(s) past due marked OVERDUE`,
        });
      }
      await audit(tx, systemContext(ws), entries);
    }
    return { corrected: rows.length, workspaces: byWs.size };
  };
  return db.transaction(run);
}

/** Daily reconcile: every ACTIVE (or PAUSED) reminder has its `reminder/<id>` workflow running. */
export async function generateReminderInstances(deps: AppDeps) {
  let after: string | null = null;
  let checked = 0;
  let failed = 0;
  for (;;) {
    const page = await activeReminderIds(deps.db, 500, after);
    if (!page.length) break;
    for (const r of page) {
      checked++;
      try {
        await ensureReminderWorkflow(deps.temporal, r);
      } catch (err) {
        failed++;
        deps.log.warn({ err, reminderId: r.id }, 'could not ensure reminder workflow');
      }
    }
    after = page[page.length - 1]?.id ?? null;
  }
  return { checked, failed };
}

/**
 * Daily: a reminder with evidence_freshness_days whose latest completion's newest evidence
 * (or the completion itself, without evidence) is older than that fires again: a new
 * instance due now, unless one is already open.
 */
export async function checkEvidenceFreshness(deps: AppDeps) {
  const res = await deps.db.execute(sql`
    SELECT r.id FROM reminders r
    JOIN LATERAL (
      SELECT i.completed_at, i.evidence_links FROM reminder_instances i
      WHERE i.reminder_id = r.id AND i.status = 'COMPLETED'
      ORDER BY i.completed_at DESC NULLS LAST LIMIT 1
    ) c ON true
    WHERE r.status = 'ACTIVE' AND r.evidence_freshness_days IS NOT NULL
      AND COALESCE(
        (SELECT max((e->>'added_at')::timestamptz) FROM jsonb_array_elements(c.evidence_links) e
          WHERE e ? 'added_at'),
        c.completed_at
      ) < now() - make_interval(days => r.evidence_freshness_days)
      AND NOT EXISTS (
        SELECT 1 FROM reminder_instances o
        WHERE o.reminder_id = r.id AND o.status NOT IN ${sqlIn(TERMINAL_INSTANCE)}
      )`);
  let created = 0;
  const now = Math.floor(Date.now() / 1000) * 1000;
  for (const row of res.rows as Array<{ id: string }>) {
    const out = await materializeInstance(deps, row.id, now);
    if (out.outcome === 'CREATED') created++;
  }
  return { stale: res.rows.length, created };
}

/** What offboarding `memberId` does to reminders now: their open instances and control-owner rows, planned. */
async function planMemberOffboarding(tx: Executor, workspaceId: string, memberId: string) {
  const open = await tx
    .select({
      i: reminderInstances,
      controlId: reminders.controlId,
      domain: reminders.domain,
      title: reminders.title,
    })
    .from(reminderInstances)
    .innerJoin(reminders, eq(reminders.id, reminderInstances.reminderId))
    .where(
      and(
        eq(reminderInstances.workspaceId, workspaceId),
        eq(reminderInstances.assignedOwnerId, memberId),
        inArray(reminderInstances.status, OPEN_INSTANCE_STATUSES),
      ),
    );
  const data = await routingData(tx, workspaceId);
  const involved = data.controlOwners.filter(
    (r) => r.primaryOwnerId === memberId || r.backupOwnerId === memberId,
  );
  if (!open.length && !involved.length) return null;
  const plan = reassignOnOffboard({
    leaverId: memberId,
    openInstances: open.map(({ i, controlId, domain }) => ({
      id: i.id,
      ownerId: i.assignedOwnerId,
      teamId: i.assignedTeamId,
      controlId,
      domain,
    })),
    controlOwners: data.controlOwners,
    members: data.members,
    teams: data.teams,
    roundRobinCursors: data.roundRobinCursors,
  });
  return { open, plan, controlOwners: data.controlOwners };
}

const VIA_TEXT = {
  CONTROL_OWNER_BACKUP: 'the control owner backup',
  CONTROL_OWNER_PRIMARY: 'the control owner primary',
  ROUND_ROBIN: 'round robin in the team',
  UNASSIGNED: 'nobody: it stays with the team, unassigned',
} as const;

/** The offboarding preview of reminders: the plan the hook below would apply, unapplied. */
export const previewMemberOffboarding: OffboardPreviewHook = async (db, workspaceId, memberId) => {
  const planned = await planMemberOffboarding(db, workspaceId, memberId);
  if (!planned) return [];
  const byInstance = new Map(planned.open.map((o) => [o.i.id, o]));
  const byRow = new Map(planned.controlOwners.map((r) => [r.id, r]));
  const out: OffboardChange[] = planned.plan.instanceUpdates.map((u) => {
    const o = byInstance.get(u.instanceId);
    return {
      area: 'reminders',
      target_type: 'reminder_instance',
      target_id: u.instanceId,
      label: `${o?.title ?? 'Reminder'} (due ${o?.i.dueDate.toISOString().slice(0, 10) ?? '?'})`,
      action: u.ownerId ? 'REASSIGN' : 'CLEAR',
      to_member_id: u.ownerId,
      detail: `Open reminder instance; goes to ${VIA_TEXT[u.via]}`,
    };
  });
  for (const c of planned.plan.controlOwnerUpdates) {
    const row = byRow.get(c.id);
    const wasPrimary = row?.primaryOwnerId === memberId;
    const label = `Control ${row?.controlId ?? c.id}${row?.domain ? ` (${row.domain})` : ''}`;
    out.push({
      area: 'reminders',
      target_type: 'control_owner',
      target_id: c.id,
      label,
      action: wasPrimary && c.primaryOwnerId ? 'REASSIGN' : 'CLEAR',
      to_member_id: wasPrimary ? c.primaryOwnerId : null,
      detail: wasPrimary
        ? c.primaryOwnerId
          ? 'Primary owner; the backup becomes primary'
          : 'Primary owner; no active backup, the slot is emptied'
        : 'Backup owner; the slot is emptied',
    });
  }
  return out;
};

/** Offboarding: the leaver's open instances and control ownership go to backups (audited). */
export const reassignOnMemberOffboarded: MemberHook = async (
  tx: Executor,
  ctx: AuthContext,
  _fx: Effects,
  memberId: string,
) => {
  const planned = await planMemberOffboarding(tx, ctx.workspaceId, memberId);
  if (!planned) return;
  const { plan } = planned;
  const entries: AuditEntry[] = [];
  const now = new Date();
  for (const u of plan.instanceUpdates) {
    await tx
      .update(reminderInstances)
      .set({
        assignedOwnerId: u.ownerId,
        assignedTeamId: u.teamId,
        routedVia: `OFFBOARD:${u.via}`,
        updatedAt: now,
      })
      .where(eq(reminderInstances.id, u.instanceId));
    entries.push({
      action: 'INSTANCE_REASSIGNED',
      targetType: 'reminder_instance',
      targetId: u.instanceId,
      oldValue: { assigned_owner_id: memberId },
      newValue: {
        assigned_owner_id: u.ownerId,
        assigned_team_id: u.teamId,
        via: u.via,
        reason: 'offboarding',
      },
    });
  }
  for (const c of plan.controlOwnerUpdates) {
    await tx
      .update(controlOwners)
      .set({ primaryOwnerId: c.primaryOwnerId, backupOwnerId: c.backupOwnerId, updatedAt: now })
      .where(eq(controlOwners.id, c.id));
    entries.push({
      action: 'ROUTING_CHANGED',
      targetType: 'control_owner',
      targetId: c.id,
      oldValue: { leaver_id: memberId },
      newValue: {
        primary_owner_id: c.primaryOwnerId,
        backup_owner_id: c.backupOwnerId,
        reason: 'offboarding',
      },
    });
  }
  for (const [teamId, cursor] of Object.entries(plan.cursorUpdates)) {
    await tx.update(teams).set({ roundRobinCursor: cursor }).where(eq(teams.id, teamId));
  }
  await audit(tx, ctx, entries);
};
