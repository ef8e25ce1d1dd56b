import type { AuthContext } from '@vigil/kernel/auth';
import { systemContext } from '@vigil/kernel/auth';
import { type Config, publicUrl } from '@vigil/kernel/config';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { audit, auditStatements } from '../audit/service';
import { type Db, type Executor, executeTogether, preparedStatement } from '../db';
import { loadOrgFor } from '../escalation/org';
import { resolveTargets } from '../escalation/rules';
import { escalations } from '../escalation/schema';
import type { NotificationChannel } from '../notifications/schema';
import { notificationInsert, notificationRows, queuedFrom, type Recipient } from '../notifications/service';
import { getSettings } from '../people/access';
import { QUIET_WORKFLOW_COMMANDS } from './commands';
import { type AppliedStep, type FiredEscalation, kindAdapter, type LoadedObligation } from './kinds';
import { withPeople } from './presentation';
import {
  type Checkpoint,
  LEVELS,
  type Level,
  nextCheckpoint,
  type ObligationKind,
  overdueCadence,
  planSteps,
} from './rules';
import { obligationSteps } from './schema';

export const workflowIdFor = (kind: string, id: string) => `${kind}/${id}`;

/** JSON-safe view of the next step, for workflows and the `state` query. */
export interface NextView {
  type: 'STEP' | 'WAIT' | 'DONE';
  key?: string;
  action?: string;
  level?: Level;
  at?: number;
}

export interface ObligationView {
  found: boolean;
  kind: string;
  id: string;
  workspaceId?: string;
  ownerId?: string | null;
  status?: string;
  terminal?: boolean;
  dueAt?: number | null;
  escalationLevel?: Level | null;
  title?: string;
  details?: Record<string, unknown>;
  done?: string[];
  next: NextView;
  /**
   * When the view was computed (epoch ms, the activity's clock). A workflow arms its next timer
   * from the later of this and its task's clock: the task that ran the load started earlier, and
   * a timer measured from that start would fire late by however long the load took.
   */
  asOf?: number;
  /** The owner's name, for operators (filled by loadView / loadViews). */
  ownerName?: string | null;
  /** Steps still planned after the next one, in order (at most a few). */
  upcoming?: Array<{ key: string; at: number }>;
  /** Each escalation fired: when, whom it notified (names), and whether it was acknowledged. */
  escalations?: FiredEscalation[];
}

const highestLevel = (done: string[]): Level | null => {
  let best: Level | null = null;
  for (const l of LEVELS) if (done.includes(`ESCALATE:${l}`)) best = l;
  return best;
};

export function viewOf(kind: string, id: string, loaded: LoadedObligation | null, now: Date): ObligationView {
  if (!loaded) return { found: false, kind, id, next: { type: 'DONE' }, asOf: now.getTime() };
  const s = loaded.state;
  const next = nextCheckpoint(s, now);
  const nextKey = next.type === 'STEP' ? next.step.key : null;
  const upcoming = s.terminal
    ? []
    : planSteps(s)
        .filter((c) => !s.done.includes(c.key) && c.key !== nextKey && c.at.getTime() >= now.getTime())
        .sort((a, b) => a.at.getTime() - b.at.getTime())
        .slice(0, 5)
        .map((c) => ({ key: c.key, at: c.at.getTime() }));
  return {
    found: true,
    kind,
    id,
    workspaceId: s.workspaceId,
    ownerId: s.ownerId,
    status: s.status,
    terminal: s.terminal,
    dueAt: s.dueAt?.getTime() ?? null,
    escalationLevel: highestLevel(s.done),
    title: loaded.title,
    details: loaded.details,
    done: s.done,
    ...(loaded.people ? { ownerName: loaded.people.ownerName, escalations: loaded.people.escalations } : {}),
    upcoming,
    asOf: now.getTime(),
    next:
      next.type === 'STEP'
        ? {
            type: 'STEP',
            key: next.step.key,
            action: next.step.action,
            level: next.step.level,
            at: next.step.at.getTime(),
          }
        : { type: next.type },
  };
}

/**
 * Loads an obligation through its kind's adapter and adds the workspace's capped
 * overdue-reminder cadence (settings.reminder_interval_hours) unless the kind set one.
 */
export async function loadObligation(
  db: Executor,
  kind: string,
  id: string,
  lock: boolean,
): Promise<LoadedObligation | null> {
  const loaded = await kindAdapter(kind).load(db, id, { lock });
  if (loaded) await withCadence(db, loaded, new Map());
  return loaded;
}

async function withCadence(db: Executor, loaded: LoadedObligation, hours: Map<string, number>) {
  const s = loaded.state;
  if (s.atDue !== 'MARK_OVERDUE' || s.overdueReminderMs !== undefined) return;
  let h = hours.get(s.workspaceId);
  if (h === undefined) {
    h = (await getSettings(db, s.workspaceId)).reminderIntervalHours;
    hours.set(s.workspaceId, h);
  }
  s.overdueReminderMs = overdueCadence(h * 3_600_000);
}

/** Views of many obligations of one kind, in a few set-based reads where the kind supports it. */
export async function loadViews(
  db: Db,
  kind: string,
  ids: string[],
  now = new Date(),
): Promise<Map<string, ObligationView>> {
  const adapter = kindAdapter(kind);
  const loaded = new Map<string, LoadedObligation>();
  if (adapter.loadMany) for (const [id, l] of await adapter.loadMany(db, ids)) loaded.set(id, l);
  else
    for (const id of ids) {
      const l = await adapter.load(db, id, { lock: false });
      if (l) loaded.set(id, l);
    }
  const hours = new Map<string, number>();
  const views = new Map<string, ObligationView>();
  for (const [id, l] of loaded) {
    await withCadence(db, l, hours);
    views.set(id, viewOf(kind, id, l, now));
  }
  await withPeople(
    db,
    [...views.values()].filter((v) => !v.escalations),
  );
  return views;
}

export async function loadView(db: Db, kind: string, id: string, now = new Date()): Promise<ObligationView> {
  const view = viewOf(kind, id, await loadObligation(db, kind, id, false), now);
  if (view.found && !view.escalations) await withPeople(db, [view]);
  return view;
}

const p = (name: string) => sql.placeholder(name);

/**
 * A step's record, its transaction's first write (a repeat is a no-op: the primary key); the same
 * statement quiets the workflow-command triggers for the rest of the transaction.
 */
const stepRecord = () => sql`
  INSERT INTO ${obligationSteps} (workspace_id, kind, obligation_id, step_key, action, level, due_at)
  SELECT ${p('workspaceId')}::uuid, ${p('kind')}, ${p('id')}::uuid, ${p('stepKey')}, ${p('action')},
         ${p('level')}, ${p('at')}::timestamptz
    FROM (SELECT ${QUIET_WORKFLOW_COMMANDS}) quiet
  ON CONFLICT DO NOTHING RETURNING step_key`;
const recordStep = preparedStatement('obligation_step', stepRecord);

export type StepOutcome = 'PERFORMED' | 'DUPLICATE' | 'STALE' | 'EARLY' | 'GONE';

/**
 * Performs one step in one transaction: re-reads the row under lock, checks the
 * step is still the next one and is due, records it (the primary key makes a
 * repeat a no-op), applies the kind's transition, records any escalation with its
 * resolved targets, writes the audit entries and enqueues notifications.
 */
export async function performStep(
  deps: { db: Db; config: Pick<Config, 'SENDGRID_API_KEY' | 'SLACK_BOT_TOKEN' | 'PUBLIC_URL' | 'PORT'> },
  kind: string,
  id: string,
  stepKey: string,
  opts: { force?: boolean } = {},
): Promise<{ outcome: StepOutcome; notificationIds: string[]; view: ObligationView }> {
  const adapter = kindAdapter(kind);
  return deps.db.transaction(async (tx) => {
    const loaded = await loadObligation(tx, kind, id, true);
    const now = new Date();
    // The escalation this step fires, as the view shows it (its targets' names from the org read).
    let fired: FiredEscalation | undefined;
    // What the step left behind, in the same transaction: the workflow plans its next
    // wake-up from it with no other round trip. A kind that reports what its step changed
    // (AppliedStep.after) is not read again; the owner's and targets' names are one statement.
    const after = async (
      outcome: StepOutcome,
      notificationIds: string[] = [],
      changed?: AppliedStep['after'],
    ) => {
      const left =
        outcome !== 'PERFORMED' || !loaded
          ? loaded
          : changed
            ? {
                ...loaded,
                people: loaded.people && {
                  ...loaded.people,
                  escalations: [...loaded.people.escalations, ...(fired ? [fired] : [])],
                },
                details: changed.details ?? loaded.details,
                state: {
                  ...loaded.state,
                  status: changed.status ?? loaded.state.status,
                  done: [...loaded.state.done, stepKey],
                },
              }
            : await loadObligation(tx, kind, id, false);
      const view = viewOf(kind, id, left, now);
      if (view.found && !view.escalations) await withPeople(tx, [view]);
      return { outcome, notificationIds, view };
    };
    if (!loaded) return after('GONE');
    const next = nextCheckpoint(loaded.state, now);
    if (next.type !== 'STEP' || next.step.key !== stepKey) return after('STALE');
    const step: Checkpoint = next.step;
    if (!opts.force && step.at.getTime() > now.getTime() + 50) return after('EARLY');
    const s = loaded.state;
    // The step's record is its first write; the same statement quiets the workflow-command
    // triggers for the rest of the transaction: the workflow performing the step knows what it
    // changes, so nothing it writes queues a command. An escalation's org read carries the
    // record at its head (one round trip for both); any other step records it alone.
    const stepValues = {
      workspaceId: s.workspaceId,
      kind,
      id,
      stepKey,
      action: step.action,
      level: step.level ?? null,
      at: step.at.toISOString(),
    };
    const level = step.action === 'ESCALATE' ? s.ladder.find((l) => l.level === step.level) : undefined;
    const ownerTeamId = loaded.ownerTeamId ?? null;
    const org =
      level &&
      (await loadOrgFor(
        tx,
        s.workspaceId,
        { ownerId: s.ownerId, ownerTeamId, target: level.target },
        { label: 'step', build: stepRecord, values: stepValues },
      ));
    const recorded = org ? org.led : (await recordStep(tx, stepValues)).length;
    if (!recorded) return after('DUPLICATE');
    const ctx = systemContext(s.workspaceId);
    // A reminder after the deadline is the engine's own (the capped cadence); the kind's state does not change.
    const applied: AppliedStep =
      step.action === 'REMIND_OVERDUE'
        ? {
            after: {},
            audit: [
              {
                action: 'REMINDER_SENT' as const,
                targetType: kind,
                targetId: id,
                newValue: { step: stepKey, owner_id: s.ownerId },
                description: `${loaded.title}: overdue reminder`,
              },
            ],
            messages: s.ownerId
              ? [
                  {
                    recipientIds: [s.ownerId],
                    template: 'obligation.overdue' as const,
                    data: { title: loaded.title, kind, id, due_at: s.dueAt?.toISOString() ?? null },
                  },
                ]
              : [],
          }
        : await adapter.apply(tx, loaded, step, now, { publicUrl: publicUrl(deps.config) });
    const messages = applied.messages.map((m) => ({
      ...m,
      channels: loaded.channels ?? (['email', 'slack'] as NotificationChannel[]),
      kind,
      obligationId: id,
      stepKey,
    }));
    // The step's writes after its record, run together at its end (executeTogether).
    const writes: SQL[] = [];
    // The escalation's org read also brings what its messages need of the people it names.
    let recipients: Map<string, Recipient> | undefined;
    if (level && org) {
      recipients = org.people;
      const targets = resolveTargets(level.target, s.ownerId, org, ownerTeamId);
      fired = {
        level: level.level,
        firedAt: now.getTime(),
        notified: targets.map((t) => org.people.get(t)?.name ?? t),
        acknowledged: false,
      };
      writes.push(
        tx
          .insert(escalations)
          .values({
            workspaceId: s.workspaceId,
            kind,
            obligationId: id,
            level: level.level,
            target: level.target,
            targetMemberIds: targets,
            channels: level.channels,
            firedAt: now,
          })
          .getSQL(),
      );
      // The level the escalation leaves on the obligation's row, where the kind records it.
      const record = adapter.escalatedUpdate?.(tx, loaded, level.level, now);
      if (record) writes.push(record.getSQL());
      applied.audit.push({
        action: 'ESCALATION_TRIGGERED',
        targetType: kind,
        targetId: id,
        newValue: {
          level: level.level,
          target: level.target,
          target_member_ids: targets,
          channels: level.channels,
        },
        description: `${loaded.title}: escalated to ${level.level} (${level.target.type})`,
      });
      messages.push({
        recipientIds: targets,
        template: 'obligation.escalation',
        data: { title: loaded.title, level: level.level, due_at: s.dueAt?.toISOString() ?? null, kind, id },
        channels: level.channels.filter((c): c is 'email' | 'slack' => c !== 'log'),
        kind,
        obligationId: id,
        stepKey,
        level: level.level,
      } as (typeof messages)[number]);
    }
    // The step's writes go in one statement: the escalation and the level it leaves, the audit
    // entries with their events, and the outbox rows (last, as they return their ids).
    const outbox = await notificationRows(tx, s.workspaceId, deps.config, messages, now, recipients);
    const audited = auditStatements(tx, ctx, applied.audit);
    if (audited) writes.push(...audited);
    if (outbox.length) writes.push(notificationInsert(tx, outbox).getSQL());
    const inserted = await executeTogether<{ id: string; status: string }>(tx, writes);
    if (!audited) await audit(tx, ctx, applied.audit);
    return after('PERFORMED', outbox.length ? queuedFrom(inserted).pending : [], applied.after);
  });
}

/** Acknowledges an obligation's latest escalation: the climb stops (as in PagerDuty). */
export async function acknowledgeEscalation(
  db: Db,
  ctx: AuthContext,
  kind: ObligationKind,
  obligationId: string,
  escalationId: string,
) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(escalations)
      .set({ acknowledgedAt: new Date(), acknowledgedById: ctx.memberId })
      .where(
        and(
          eq(escalations.workspaceId, ctx.workspaceId),
          eq(escalations.kind, kind),
          eq(escalations.obligationId, obligationId),
          eq(escalations.id, escalationId),
        ),
      )
      .returning();
    if (!row) return null;
    await audit(tx, ctx, {
      action: 'ESCALATION_ACKNOWLEDGED',
      targetType: kind,
      targetId: obligationId,
      newValue: { escalation_id: escalationId, level: row.level },
      description: `Escalation ${row.level} acknowledged`,
    });
    return row;
  });
}
