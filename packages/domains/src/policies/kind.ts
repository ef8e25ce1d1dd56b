import { createHash, randomBytes } from 'node:crypto';
import { requireSelfOr } from '@vigil/kernel/auth';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AuditEntry } from '../audit/service';
import type { Executor } from '../db';
import { secretPlaceholder } from '../notifications/rules';
import {
  type KindAdapter,
  type LoadedObligation,
  openIdsOf,
  ownedBy,
  recordLevelOn,
} from '../obligations/kinds';
import { loadObligationRow } from '../obligations/row-load';
import { durationToMs, oneOf, resolveLadder } from '../obligations/rules';
import { getSettings } from '../people/access';
import { acknowledgeObligation } from './ack-service';
import { OPEN_ACK, TERMINAL_ACK_OBLIGATION } from './rules';
import {
  acknowledgementLinks,
  acknowledgementObligations,
  acknowledgementRequests,
  policies,
} from './schema';

export const ACK_KIND = 'acknowledgement_request' as const;
const DAY_MS = 86_400_000;

export const hashLinkToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** A one-time link for the obligation's pending policies; only the token's hash is stored. */
export async function createAckLink(
  tx: Executor,
  o: { workspaceId: string; obligationId: string; memberId: string; dueAt: Date },
  now: Date,
  baseUrl: string,
): Promise<{ url: string; secrets: Record<string, string> }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Math.max(o.dueAt.getTime(), now.getTime()) + 14 * DAY_MS);
  await tx.insert(acknowledgementLinks).values({
    workspaceId: o.workspaceId,
    obligationId: o.obligationId,
    memberId: o.memberId,
    tokenHash: hashLinkToken(token),
    expiresAt,
  });
  // The message holds a placeholder; the token itself goes to the provider only (notifications/delivery.ts).
  return { url: `${baseUrl}/ack/${secretPlaceholder('ack_token')}`, secrets: { ack_token: token } };
}

async function openRequests(db: Executor, obligationId: string) {
  return db
    .select({ r: acknowledgementRequests, name: policies.name })
    .from(acknowledgementRequests)
    .innerJoin(policies, eq(policies.id, acknowledgementRequests.policyId))
    .where(
      and(
        eq(acknowledgementRequests.obligationId, obligationId),
        inArray(acknowledgementRequests.status, [...OPEN_ACK]),
      ),
    )
    .orderBy(asc(policies.name));
}

/** One obligation per (event, member): reminded once, OVERDUE at the deadline, then the ladder. */
export const ackKind: KindAdapter = {
  kind: ACK_KIND,
  async load(db, id, { lock }) {
    const found = await loadObligationRow(
      db,
      ACK_KIND,
      acknowledgementObligations,
      acknowledgementObligations.memberId,
      id,
      lock,
    );
    if (!found) return null;
    const { row: o, progress, people } = found;
    const settings = await getSettings(db, o.workspaceId);
    const window = Math.max(0, o.dueAt.getTime() - o.createdAt.getTime());
    const largest = Math.max(0, ...settings.reminderOffsets.map((x) => durationToMs(x)));
    const open = await openRequests(db, id);
    const names = open.map((x) => x.name);
    return {
      people,
      title: names.length
        ? `Acknowledge ${names.length === 1 ? '1 policy' : `${names.length} policies`}: ${names.join(', ')}`
        : 'Policy acknowledgement',
      details: {
        event_id: o.eventId,
        member_id: o.memberId,
        pending_policy_ids: open.map((x) => x.r.policyId),
        current_escalation_level: o.currentEscalationLevel,
      },
      state: {
        kind: ACK_KIND,
        id: o.id,
        workspaceId: o.workspaceId,
        ownerId: o.memberId,
        status: o.status,
        terminal: oneOf(TERMINAL_ACK_OBLIGATION, o.status),
        openedAt: o.createdAt,
        dueAt: o.dueAt,
        // One reminder: planned once, at the largest configured offset that fits the window.
        preDue: o.reminderSentAt ? [] : [{ offsetMs: Math.min(largest, window), action: 'REMIND' }],
        atDue: 'MARK_OVERDUE',
        escalateFrom: 'DUE',
        ladder: resolveLadder(o.ladder),
        done: progress.done,
        escalationAcknowledged: progress.acked,
      },
    };
  },
  async apply(tx, loaded: LoadedObligation, step, now, env) {
    const s = loaded.state;
    const open = await openRequests(tx, s.id);
    const data = {
      title: loaded.title,
      kind: ACK_KIND,
      due_at: s.dueAt?.toISOString() ?? null,
      policies: open.map((x) => x.name),
    };
    const auditEntries: AuditEntry[] = [];
    if (step.action === 'REMIND' && s.ownerId && open.length) {
      const { url, secrets } = await createAckLink(
        tx,
        { workspaceId: s.workspaceId, obligationId: s.id, memberId: s.ownerId, dueAt: s.dueAt ?? now },
        now,
        env.publicUrl,
      );
      await tx
        .update(acknowledgementObligations)
        .set({ reminderSentAt: now, updatedAt: now })
        .where(eq(acknowledgementObligations.id, s.id));
      auditEntries.push({
        action: 'REMINDER_SENT',
        targetType: ACK_KIND,
        targetId: s.id,
        newValue: { member_id: s.ownerId, policies: data.policies },
        description: `Reminder: ${loaded.title}`,
      });
      return {
        audit: auditEntries,
        messages: [
          { recipientIds: [s.ownerId], template: 'obligation.reminder', data: { ...data, url }, secrets },
        ],
      };
    }
    if (step.action === 'MARK_OVERDUE') {
      await tx
        .update(acknowledgementObligations)
        .set({ status: 'OVERDUE', updatedAt: now })
        .where(eq(acknowledgementObligations.id, s.id));
      await tx
        .update(acknowledgementRequests)
        .set({ status: 'OVERDUE' })
        .where(
          and(eq(acknowledgementRequests.obligationId, s.id), eq(acknowledgementRequests.status, 'PENDING')),
        );
      auditEntries.push({
        action: 'ACKNOWLEDGEMENT_OVERDUE',
        targetType: ACK_KIND,
        targetId: s.id,
        newValue: { member_id: s.ownerId, policy_ids: open.map((x) => x.r.policyId) },
        description: `Overdue: ${loaded.title}`,
      });
      return {
        audit: auditEntries,
        messages: s.ownerId ? [{ recipientIds: [s.ownerId], template: 'obligation.overdue', data }] : [],
      };
    }
    return { audit: [], messages: [] };
  },
  escalatedUpdate: recordLevelOn(acknowledgementObligations),
  async act(deps, ctx, _fx, id) {
    const [o] = await deps.db
      .select()
      .from(acknowledgementObligations)
      .where(
        and(
          eq(acknowledgementObligations.workspaceId, ctx.workspaceId),
          eq(acknowledgementObligations.id, id),
        ),
      );
    if (!o) return;
    requireSelfOr(ctx, o.memberId);
    await acknowledgeObligation(deps.db, ctx, o.id, o.memberId);
  },
  async openItems(db, workspaceId, owner) {
    const rows = await db
      .select()
      .from(acknowledgementObligations)
      .where(
        and(
          eq(acknowledgementObligations.workspaceId, workspaceId),
          inArray(acknowledgementObligations.status, [...OPEN_ACK]),
          ownedBy(acknowledgementObligations.memberId, owner),
        ),
      );
    // The inbox names the policies waiting to be read.
    const names = new Map<string, string[]>();
    if (rows.length)
      for (const r of await db
        .select({ obligationId: acknowledgementRequests.obligationId, name: policies.name })
        .from(acknowledgementRequests)
        .innerJoin(policies, eq(policies.id, acknowledgementRequests.policyId))
        .where(
          and(
            inArray(
              acknowledgementRequests.obligationId,
              rows.map((o) => o.id),
            ),
            inArray(acknowledgementRequests.status, [...OPEN_ACK]),
          ),
        )
        .orderBy(asc(policies.name)))
        if (r.obligationId) names.set(r.obligationId, [...(names.get(r.obligationId) ?? []), r.name]);
    return rows.map((o) => ({
      kind: ACK_KIND,
      id: o.id,
      ownerId: o.memberId,
      title: names.get(o.id)?.length
        ? `Acknowledge: ${names.get(o.id)?.join(', ')}`
        : 'Policy acknowledgement',
      dueAt: o.dueAt,
      status: o.status,
      overdue: o.status === 'OVERDUE',
    }));
  },
  openIds: openIdsOf(acknowledgementObligations, OPEN_ACK),
};
