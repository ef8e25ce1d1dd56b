import { systemContext } from '@vigil/kernel/auth';
import { newId } from '@vigil/kernel/ids';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import type { AppDeps } from '../deps';
import { tickets } from '../escalation/schema';
import { createTicket } from '../escalation/service';
import { events } from '../events/schema';
import { enqueueMessages } from '../notifications/service';
import { OBLIGATION_KINDS } from '../obligations/rules';
import { loadObligation } from '../obligations/service';
import { getSettings } from '../people/access';
import { members, teamMembers, teams } from '../people/schema';
import { webhookEndpoints } from '../webhooks/schema';
import { queueDeliveries } from '../webhooks/service';
import { type AutomationAction, type EventContext, matches, renderTemplate } from './rules';
import { automationRuns, automations } from './schema';

type EventRow = typeof events.$inferSelect;
type AutomationRow = typeof automations.$inferSelect;

const BATCH = 100;

interface Context extends EventContext {
  ownerId: string | null;
  ownerTeamId: string | null;
}

/** What conditions, templates and recipients read: the payload plus the subject's owner, title, team, severity. */
async function contextOf(tx: Executor, e: EventRow): Promise<Context> {
  const p = e.payload ?? {};
  const pick = (...keys: string[]) =>
    keys.map((k) => p[k]).find((v): v is string => typeof v === 'string') ?? null;
  let ownerId = e.entityType === 'member' ? e.entityId : pick('developer_id', 'member_id', 'employee_id');
  let title: string | null = null;
  let ownerTeamId: string | null = null;
  let severity: string | null = null;
  if ((OBLIGATION_KINDS as readonly string[]).includes(e.entityType)) {
    const loaded = await loadObligation(tx, e.entityType, e.entityId, false);
    if (loaded) {
      ownerId = loaded.state.ownerId ?? ownerId;
      title = loaded.title;
      ownerTeamId = loaded.ownerTeamId ?? null;
    }
    if (e.entityType === 'ticket') {
      const [t] = await tx
        .select({ severity: tickets.severity })
        .from(tickets)
        .where(eq(tickets.id, e.entityId));
      severity = t?.severity ?? null;
    }
  }
  return {
    event: { id: e.id, type: e.type, occurred_at: e.createdAt.toISOString() },
    subject: { type: e.entityType, id: e.entityId, title },
    payload: p,
    team_id: ownerTeamId,
    severity,
    ownerId,
    ownerTeamId,
  };
}

/**
 * The context, or (if the subject cannot be read) the payload alone, in a savepoint: an event whose
 * subject fails to load must not block the events behind it.
 */
async function safeContextOf(tx: Db, e: EventRow, deps: AppDeps): Promise<Context> {
  try {
    return await tx.transaction((sp) => contextOf(sp, e));
  } catch (err) {
    deps.log.warn({ err, event: e.id }, 'event subject not readable; automations see the payload only');
    return {
      event: { id: e.id, type: e.type, occurred_at: e.createdAt.toISOString() },
      subject: { type: e.entityType, id: e.entityId, title: null },
      payload: e.payload ?? {},
      ownerId: null,
      ownerTeamId: null,
    };
  }
}

async function recipientsOf(
  tx: Executor,
  ws: string,
  a: Extract<AutomationAction, { type: 'notify' }>,
  c: Context,
) {
  const ids = new Set<string>(a.member_ids ?? []);
  const owner = c.ownerId;
  if (a.recipients.includes('OWNER') && owner) ids.add(owner);
  if (a.recipients.includes('MANAGER') && owner) {
    const [m] = await tx
      .select({ managerId: members.managerId })
      .from(members)
      .where(and(eq(members.workspaceId, ws), eq(members.id, owner)));
    if (m?.managerId) ids.add(m.managerId);
  }
  if (a.recipients.includes('TEAM_LEAD') && owner) {
    const leads = c.ownerTeamId
      ? await tx
          .select({ lead: teams.leadId })
          .from(teams)
          .where(and(eq(teams.workspaceId, ws), eq(teams.id, c.ownerTeamId)))
      : await tx
          .select({ lead: teams.leadId })
          .from(teamMembers)
          .innerJoin(teams, eq(teams.id, teamMembers.teamId))
          .where(and(eq(teams.workspaceId, ws), eq(teamMembers.memberId, owner)));
    for (const l of leads) if (l.lead && l.lead !== owner) ids.add(l.lead);
  }
  if (a.recipients.includes('ESCALATION_CONTACTS')) {
    const s = await getSettings(tx, ws);
    for (const id of [s.directorContactId, s.vpExecContactId, s.cxoContactId]) if (id) ids.add(id);
  }
  return [...ids];
}

/** Runs one action in the run's transaction; returns its result for the run record. */
async function runAction(
  tx: Executor,
  deps: AppDeps,
  runId: string,
  index: number,
  a: AutomationAction,
  auto: AutomationRow,
  c: Context,
): Promise<Record<string, unknown>> {
  const ws = auto.workspaceId;
  if (a.type === 'notify') {
    const recipientIds = await recipientsOf(tx, ws, a, c);
    const queued = await enqueueMessages(
      tx,
      ws,
      deps.config,
      [
        {
          recipientIds,
          template: 'automation.notify',
          data: {
            automation_name: auto.name,
            event_type: c.event.type,
            title: c.subject.title ?? c.subject.type,
            subject: a.subject ? renderTemplate(a.subject, c, 200) : undefined,
            message: a.message ? renderTemplate(a.message, c, 4000) : undefined,
          },
          channels: a.channels,
          kind: 'automation_run',
          obligationId: runId,
          stepKey: `notify:${index}`,
        },
      ],
      new Date(),
    );
    return { type: 'notify', recipient_ids: recipientIds, notification_ids: queued.ids };
  }
  if (a.type === 'create_ticket') {
    const linked =
      (OBLIGATION_KINDS as readonly string[]).includes(c.subject.type) && c.subject.type !== 'ticket';
    const t = await createTicket(tx as Db, systemContext(ws), {
      title: renderTemplate(a.title, c, 300) || auto.name,
      description: a.description ? renderTemplate(a.description, c, 4000) : null,
      severity: a.severity ?? null,
      team_id: a.team_id ?? null,
      ...(linked ? { obligation_kind: c.subject.type, obligation_id: c.subject.id } : {}),
    });
    return { type: 'create_ticket', ticket_id: t.id };
  }
  const [endpoint] = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, ws), eq(webhookEndpoints.id, a.endpoint_id)));
  if (!endpoint) throw new Error(`Webhook ${a.endpoint_id} no longer exists`);
  const queued = await queueDeliveries(tx, ws, c.event.id, [endpoint.id]);
  return { type: 'webhook', endpoint_id: endpoint.id, delivery_id: queued[0]?.id ?? null };
}

/**
 * One automation for one event: the run row (unique per automation, event and replay) and every
 * action's rows (notifications, ticket, webhook delivery) commit together in a savepoint; a failing
 * action rolls them back and the run is recorded FAILED with its error. A key already present means
 * it ran: nothing happens.
 */
export async function runAutomation(
  tx: Executor,
  deps: AppDeps,
  auto: AutomationRow,
  e: EventRow,
  replay = 0,
  c?: Context,
) {
  const ctx = c ?? (await contextOf(tx, e));
  const runId = newId();
  try {
    return await (tx as Db).transaction(async (sp) => {
      const [run] = await sp
        .insert(automationRuns)
        .values({
          id: runId,
          workspaceId: auto.workspaceId,
          automationId: auto.id,
          eventId: e.id,
          replay,
          status: 'SUCCEEDED',
        })
        .onConflictDoNothing()
        .returning({ id: automationRuns.id });
      if (!run) return null;
      const results: Record<string, unknown>[] = [];
      for (const [i, a] of auto.actions.entries())
        results.push(await runAction(sp, deps, runId, i, a, auto, ctx));
      await sp.update(automationRuns).set({ results }).where(eq(automationRuns.id, runId));
      return runId;
    });
  } catch (err) {
    const [failed] = await tx
      .insert(automationRuns)
      .values({
        id: runId,
        workspaceId: auto.workspaceId,
        automationId: auto.id,
        eventId: e.id,
        replay,
        status: 'FAILED',
        error: String((err as Error).message ?? err).slice(0, 2000),
      })
      .onConflictDoNothing()
      .returning({ id: automationRuns.id });
    deps.log.warn({ err, automation: auto.id, event: e.id }, 'automation run failed');
    return failed?.id ?? null;
  }
}

/** Handles one event: its matching enabled automations run once each, subscribed endpoints get a delivery. */
async function dispatchEvent(tx: Executor, deps: AppDeps, e: EventRow) {
  const list = await tx
    .select()
    .from(automations)
    .where(
      and(
        eq(automations.workspaceId, e.workspaceId),
        eq(automations.eventType, e.type),
        eq(automations.enabled, true),
      ),
    );
  let runs = 0;
  if (list.length) {
    const c = await safeContextOf(tx as Db, e, deps);
    for (const auto of list)
      if (matches(auto.conditions, c) && (await runAutomation(tx, deps, auto, e, 0, c))) runs++;
  }
  const subscribed = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.workspaceId, e.workspaceId),
        eq(webhookEndpoints.enabled, true),
        sql`${webhookEndpoints.eventTypes} @> ${JSON.stringify([e.type])}::jsonb`,
      ),
    );
  const deliveries = await queueDeliveries(
    tx,
    e.workspaceId,
    e.id,
    subscribed.map((s) => s.id),
  );
  await tx.update(events).set({ dispatchedAt: new Date() }).where(eq(events.id, e.id));
  return { runs, deliveries: deliveries.length };
}

/**
 * One pass of the event consumer: each undispatched event (oldest first, SKIP LOCKED so several
 * processes share the work) is handled in its own transaction, which also marks it dispatched.
 * Exactly once per (automation, event): a crash before commit leaves the event undispatched and
 * nothing of its runs written; the unique run key guards any other path (a replay).
 */
export async function dispatchEvents(deps: AppDeps): Promise<{ claimed: number; runs: number }> {
  let claimed = 0;
  let runs = 0;
  for (; claimed < BATCH; claimed++) {
    // Looked up outside a transaction first: an idle pass commits nothing, so it wakes no relay.
    const waiting = await deps.db.execute(sql`SELECT 1 FROM events WHERE dispatched_at IS NULL LIMIT 1`);
    if (!waiting.rows.length) break;
    const done = await deps.db.transaction(async (tx) => {
      const [e] = await tx
        .select()
        .from(events)
        .where(isNull(events.dispatchedAt))
        .orderBy(events.id)
        .limit(1)
        .for('update', { skipLocked: true });
      if (!e) return null;
      return dispatchEvent(tx, deps, e);
    });
    if (!done) break;
    runs += done.runs;
  }
  return { claimed, runs };
}

/** `admin automation replay EVENT_ID`: runs the event through its enabled automations again, as new runs. */
export async function replayEvent(deps: AppDeps, eventId: string) {
  return deps.db.transaction(async (tx) => {
    const [e] = await tx.select().from(events).where(eq(events.id, eventId));
    if (!e) return null;
    const list = await tx
      .select()
      .from(automations)
      .where(
        and(
          eq(automations.workspaceId, e.workspaceId),
          eq(automations.eventType, e.type),
          eq(automations.enabled, true),
        ),
      );
    const c = await safeContextOf(tx as Db, e, deps);
    const out: Array<{ automation_id: string; run_id: string | null }> = [];
    for (const auto of list.filter((a) => matches(a.conditions, c))) {
      const [last] = await tx
        .select({ n: sql<number>`coalesce(max(${automationRuns.replay}), -1)::int` })
        .from(automationRuns)
        .where(and(eq(automationRuns.automationId, auto.id), eq(automationRuns.eventId, e.id)));
      out.push({
        automation_id: auto.id,
        run_id: await runAutomation(tx, deps, auto, e, (last?.n ?? -1) + 1, c),
      });
    }
    await audit(tx, systemContext(e.workspaceId), {
      action: 'AUTOMATION_REPLAYED',
      targetType: 'event',
      targetId: e.id,
      newValue: { runs: out },
      description: `Event ${e.type} replayed into ${out.length} automation(s)`,
    });
    return { event_id: e.id, workspace_id: e.workspaceId, runs: out };
  });
}
