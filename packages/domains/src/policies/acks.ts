import type { AuthContext } from '@vigil/kernel/auth';
import { newId } from '@vigil/kernel/ids';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type AuditEntry, audit } from '../audit/service';
import type { Executor } from '../db';
import { ladderFor } from '../escalation/service';
import type { OffboardPreviewHook } from '../hooks';
import { getSettings } from '../people/access';
import { memberRoles, members } from '../people/schema';
import { sqlIn } from '../sql-in';
import {
  type AckEventPolicy,
  type AckEventType,
  type AckHistoryEntry,
  ackDueDate,
  OPEN_ACK,
  requestsForEvent,
} from './rules';
import {
  type AckScope,
  acknowledgementEvents,
  acknowledgementObligations,
  acknowledgementRequests,
  policies,
  policyVersions,
  rolePolicies,
} from './schema';

export interface ObligationRef {
  id: string;
  workspaceId: string;
  ownerId: string;
}

/** Active members of a workspace with their org roles. */
export async function ackMembers(db: Executor, workspaceId: string) {
  const rows = await db
    .select({ id: members.id, status: members.status })
    .from(members)
    .where(eq(members.workspaceId, workspaceId));
  const links = await db.select().from(memberRoles).where(eq(memberRoles.workspaceId, workspaceId));
  const byMember = new Map<string, string[]>();
  for (const l of links) byMember.set(l.memberId, [...(byMember.get(l.memberId) ?? []), l.roleId]);
  return rows.map((m) => ({ id: m.id, active: m.status === 'ACTIVE', roleIds: byMember.get(m.id) ?? [] }));
}

/** Every policy with its roles and active version hash. */
export async function ackPolicies(db: Executor, workspaceId: string): Promise<AckEventPolicy[]> {
  const rows = await db
    .select({ p: policies, sha: policyVersions.contentSha256 })
    .from(policies)
    .leftJoin(policyVersions, eq(policyVersions.id, policies.activeVersionId))
    .where(eq(policies.workspaceId, workspaceId));
  const roles = await db.select().from(rolePolicies).where(eq(rolePolicies.workspaceId, workspaceId));
  return rows.map(({ p, sha }) => ({
    policyId: p.id,
    appliesToAll: p.appliesToAll,
    roleIds: roles.filter((r) => r.policyId === p.id).map((r) => r.roleId),
    activeVersionId: p.activeVersionId,
    activeContentSha256: sha ?? null,
  }));
}

export async function ackHistory(
  db: Executor,
  workspaceId: string,
  policyId?: string,
): Promise<AckHistoryEntry[]> {
  const where = [
    eq(acknowledgementRequests.workspaceId, workspaceId),
    eq(acknowledgementRequests.status, 'ACKNOWLEDGED'),
  ];
  if (policyId) where.push(eq(acknowledgementRequests.policyId, policyId));
  const rows = await db
    .select()
    .from(acknowledgementRequests)
    .where(and(...where));
  return rows.map((r) => ({
    memberId: r.memberId,
    policyId: r.policyId,
    policyVersionId: r.policyVersionId,
    contentSha256: r.contentSha256 ?? '',
    acknowledgedAt: r.acknowledgedAt ?? r.createdAt,
  }));
}

export interface StartEventInput {
  type: AckEventType;
  scope: AckScope;
  changedPolicyId?: string;
  dueAt?: Date;
  periodKey?: string;
}

/**
 * Creates an event, its requests (requestsForEvent) and one obligation per member, set-based
 * in the caller's transaction. An open request for the same member and policy is replaced
 * (CANCELLED). Returns the obligations whose workflows must start after commit.
 */
export async function startEvent(tx: Executor, ctx: AuthContext, input: StartEventInput) {
  const now = new Date();
  const settings = await getSettings(tx, ctx.workspaceId);
  const dueAt = input.dueAt ?? ackDueDate(now, settings.ackDeadlineDays);
  const all = input.scope.all === true;
  const plan = requestsForEvent({
    type: input.type,
    members: await ackMembers(tx, ctx.workspaceId),
    policies: await ackPolicies(tx, ctx.workspaceId),
    history:
      input.type === 'POLICY_UPDATE' ? await ackHistory(tx, ctx.workspaceId, input.changedPolicyId) : [],
    scope: {
      ...(!all && input.scope.member_ids && { memberIds: input.scope.member_ids }),
      ...(!all && input.scope.role_ids && { roleIds: input.scope.role_ids }),
      ...(input.scope.policy_ids && { policyIds: input.scope.policy_ids }),
    },
    changedPolicyId: input.changedPolicyId,
  });
  const [event] = await tx
    .insert(acknowledgementEvents)
    .values({
      workspaceId: ctx.workspaceId,
      type: input.type,
      triggeredById: ctx.via === 'SYSTEM' ? null : ctx.memberId,
      triggeredAt: now,
      scope: input.scope,
      periodKey: input.periodKey ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!event) return { event: null, obligations: [] as ObligationRef[], requests: 0 };
  if (!plan.length) return { event, obligations: [] as ObligationRef[], requests: 0 };

  const ladder = (await ladderFor(tx, ctx.workspaceId, {})).levels;
  const obligationOf = new Map<string, string>();
  for (const p of plan) if (!obligationOf.has(p.memberId)) obligationOf.set(p.memberId, newId());

  // Replace open requests for the same (member, policy).
  const planMembers = [...obligationOf.keys()];
  const planPolicies = [...new Set(plan.map((p) => p.policyId))];
  const replaced = await tx
    .update(acknowledgementRequests)
    .set({ status: 'CANCELLED' })
    .where(
      and(
        eq(acknowledgementRequests.workspaceId, ctx.workspaceId),
        inArray(acknowledgementRequests.status, [...OPEN_ACK]),
        inArray(acknowledgementRequests.policyId, planPolicies),
        inArray(acknowledgementRequests.memberId, planMembers),
      ),
    )
    .returning();
  const obligationRows = planMembers.map((memberId) => ({
    id: obligationOf.get(memberId) as string,
    workspaceId: ctx.workspaceId,
    eventId: event.id,
    memberId,
    dueAt,
    ladder,
    createdAt: now,
    updatedAt: now,
  }));
  // Set-based: one INSERT ... SELECT FROM unnest(...) per table (uuid arrays as literals).
  const uuids = (ids: string[]) => `{${ids.join(',')}}`;
  await tx.execute(sql`
    INSERT INTO acknowledgement_obligations
      (id, workspace_id, event_id, member_id, due_at, status, ladder, created_at, updated_at)
    SELECT x.id, ${ctx.workspaceId}::uuid, ${event.id}::uuid, x.member_id, ${dueAt.toISOString()}::timestamptz,
      'PENDING', ${JSON.stringify(ladder)}::jsonb, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    FROM unnest(${uuids(obligationRows.map((o) => o.id))}::uuid[], ${uuids(planMembers)}::uuid[])
      AS x(id, member_id)`);
  await tx.execute(sql`
    INSERT INTO acknowledgement_requests
      (id, workspace_id, obligation_id, event_id, member_id, policy_id, policy_version_id, due_at, status, created_at)
    SELECT x.id, ${ctx.workspaceId}::uuid, x.obligation_id, ${event.id}::uuid, x.member_id, x.policy_id,
      x.policy_version_id, ${dueAt.toISOString()}::timestamptz, 'PENDING', ${now.toISOString()}::timestamptz
    FROM unnest(
      ${uuids(plan.map(() => newId()))}::uuid[],
      ${uuids(plan.map((p) => obligationOf.get(p.memberId) as string))}::uuid[],
      ${uuids(plan.map((p) => p.memberId))}::uuid[],
      ${uuids(plan.map((p) => p.policyId))}::uuid[],
      ${uuids(plan.map((p) => p.policyVersionId))}::uuid[]
    ) AS x(id, obligation_id, member_id, policy_id, policy_version_id)`);
  const settled = await settleObligations(
    tx,
    replaced.flatMap((r) => (r.obligationId ? [r.obligationId] : [])),
  );
  const policiesOf = new Map<string, string[]>();
  for (const p of plan) policiesOf.set(p.memberId, [...(policiesOf.get(p.memberId) ?? []), p.policyId]);
  const entries: AuditEntry[] = replaced.map((r) => ({
    action: 'ACKNOWLEDGEMENT_CANCELLED',
    targetType: 'acknowledgement_request',
    targetId: r.obligationId ?? r.id,
    newValue: {
      request_id: r.id,
      member_id: r.memberId,
      policy_id: r.policyId,
      reason: 'replaced',
      event_id: event.id,
    },
    description: `Acknowledgement request replaced by a ${input.type} request`,
  }));
  entries.push(
    ...obligationRows.map(
      (o): AuditEntry => ({
        action: 'ACKNOWLEDGEMENT_REQUESTED',
        targetType: 'acknowledgement_request',
        targetId: o.id,
        newValue: {
          event_id: event.id,
          type: input.type,
          member_id: o.memberId,
          policy_ids: policiesOf.get(o.memberId) ?? [],
          due_at: dueAt.toISOString(),
        },
        description: `${input.type}: ${(policiesOf.get(o.memberId) ?? []).length} policies to acknowledge`,
      }),
    ),
  );
  await audit(tx, ctx, entries);
  const obligations: ObligationRef[] = [
    ...obligationRows.map((o) => ({ id: o.id, workspaceId: o.workspaceId, ownerId: o.memberId })),
    ...settled,
  ];
  return { event, obligations, requests: plan.length };
}

/**
 * Obligations among `ids` with no open request left become COMPLETED (something was
 * acknowledged) or CANCELLED. Returns the ones that changed.
 */
export async function settleObligations(tx: Executor, ids: string[]): Promise<ObligationRef[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const rows = await tx
    .update(acknowledgementObligations)
    .set({
      status: sql`CASE WHEN EXISTS (SELECT 1 FROM acknowledgement_requests r WHERE r.obligation_id = ${acknowledgementObligations.id} AND r.status = 'ACKNOWLEDGED') THEN 'COMPLETED' ELSE 'CANCELLED' END`,
      updatedAt: new Date(),
    })
    .where(
      and(
        inArray(acknowledgementObligations.id, unique),
        inArray(acknowledgementObligations.status, [...OPEN_ACK]),
        sql`NOT EXISTS (SELECT 1 FROM acknowledgement_requests r WHERE r.obligation_id = ${acknowledgementObligations.id} AND r.status IN ${sqlIn(OPEN_ACK)})`,
      ),
    )
    .returning();
  return rows.map((o) => ({ id: o.id, workspaceId: o.workspaceId, ownerId: o.memberId }));
}

/** Cancels a member's open requests (all, or for the given policies), audits each, settles obligations. */
export async function cancelOpenRequests(
  tx: Executor,
  ctx: AuthContext,
  memberId: string,
  reason: string,
  policyIds?: string[],
): Promise<ObligationRef[]> {
  if (policyIds && !policyIds.length) return [];
  const where = [
    eq(acknowledgementRequests.workspaceId, ctx.workspaceId),
    eq(acknowledgementRequests.memberId, memberId),
    inArray(acknowledgementRequests.status, [...OPEN_ACK]),
  ];
  if (policyIds) where.push(inArray(acknowledgementRequests.policyId, policyIds));
  const rows = await tx
    .update(acknowledgementRequests)
    .set({ status: 'CANCELLED' })
    .where(and(...where))
    .returning();
  if (!rows.length) return [];
  await audit(
    tx,
    ctx,
    rows.map((r) => ({
      action: 'ACKNOWLEDGEMENT_CANCELLED' as const,
      targetType: 'acknowledgement_request',
      targetId: r.obligationId ?? r.id,
      newValue: { request_id: r.id, member_id: memberId, policy_id: r.policyId, reason },
      description: `Acknowledgement request cancelled: ${reason}`,
    })),
  );
  return settleObligations(
    tx,
    rows.flatMap((r) => (r.obligationId ? [r.obligationId] : [])),
  );
}

/** The offboarding preview of policies: the member's open acknowledgement requests, which offboarding cancels. */
export const previewOffboardingAcks: OffboardPreviewHook = async (db, workspaceId, memberId) => {
  const rows = await db
    .select({ id: acknowledgementRequests.id, dueAt: acknowledgementRequests.dueAt, name: policies.name })
    .from(acknowledgementRequests)
    .innerJoin(policies, eq(policies.id, acknowledgementRequests.policyId))
    .where(
      and(
        eq(acknowledgementRequests.workspaceId, workspaceId),
        eq(acknowledgementRequests.memberId, memberId),
        inArray(acknowledgementRequests.status, [...OPEN_ACK]),
      ),
    );
  return rows.map((r) => ({
    area: 'policies',
    target_type: 'acknowledgement_request',
    target_id: r.id,
    label: `Acknowledge ${r.name}`,
    action: 'CANCEL' as const,
    to_member_id: null,
    detail: `Open acknowledgement request due ${r.dueAt.toISOString().slice(0, 10)}; cancelled`,
  }));
};
