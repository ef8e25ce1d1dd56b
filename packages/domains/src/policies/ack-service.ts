import { type AuthContext, requireSelfOr, systemContext } from '@vigil/kernel/auth';
import { publicUrl } from '@vigil/kernel/config';
import type { Effects } from '@vigil/kernel/effects';
import { Conflict, Forbidden, NotFound } from '@vigil/kernel/errors';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import type { AppDeps } from '../deps';
import type { MemberHook } from '../hooks';
import { enqueueMessages } from '../notifications/service';
import { memberRoles, workspaceSettings } from '../people/schema';
import { assertInWorkspace, createMember, getMember, type MemberInput, peopleRefs } from '../people/service';
import { assertCanReadMember } from '../people/visibility';
import { assertRefs } from '../refs';
import { ackPolicies, cancelOpenRequests, type ObligationRef, settleObligations, startEvent } from './acks';
import { ACK_KIND, createAckLink } from './kind';
import { POLICY_ROWS } from './roles';
import { type AckEventType, OPEN_ACK, policiesForMember } from './rules';
import {
  type AckScope,
  acknowledgementObligations,
  acknowledgementRequests,
  policies,
  policyVersions,
} from './schema';

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Records the member's acknowledgement of the policy's active version in the caller's
 * transaction: the open request for that version becomes ACKNOWLEDGED (or a new
 * acknowledged row is written when none was requested); open requests for older versions
 * are CANCELLED. Returns the row and the obligations to wake.
 */
export async function recordAck(
  tx: Executor,
  ctx: AuthContext,
  memberId: string,
  policyId: string,
  meta: ClientMeta,
  type?: AckEventType,
) {
  const [row] = await tx
    .select({ p: policies, v: policyVersions })
    .from(policies)
    .leftJoin(policyVersions, eq(policyVersions.id, policies.activeVersionId))
    .where(and(eq(policies.workspaceId, ctx.workspaceId), eq(policies.id, policyId)));
  if (!row) throw new NotFound('Policy', policyId);
  const version = row.v;
  if (!version) throw new Conflict('The policy has no approved version to acknowledge');
  const open = await tx
    .select({
      r: acknowledgementRequests,
      type: sql<
        string | null
      >`(SELECT type FROM acknowledgement_events e WHERE e.id = ${acknowledgementRequests.eventId})`,
    })
    .from(acknowledgementRequests)
    .where(
      and(
        eq(acknowledgementRequests.workspaceId, ctx.workspaceId),
        eq(acknowledgementRequests.memberId, memberId),
        eq(acknowledgementRequests.policyId, policyId),
        inArray(acknowledgementRequests.status, [...OPEN_ACK]),
      ),
    )
    .for('update');
  const current = open.find((o) => o.r.policyVersionId === version.id);
  if (!current) {
    const [last] = await tx
      .select()
      .from(acknowledgementRequests)
      .where(
        and(
          eq(acknowledgementRequests.memberId, memberId),
          eq(acknowledgementRequests.policyVersionId, version.id),
          eq(acknowledgementRequests.status, 'ACKNOWLEDGED'),
        ),
      )
      .limit(1);
    if (last) throw new Conflict('This version of the policy is already acknowledged');
  }
  const now = new Date();
  const ackType = (type ?? current?.type ?? 'MANUAL') as AckEventType;
  const fields = {
    status: 'ACKNOWLEDGED' as const,
    acknowledgedAt: now,
    ipAddress: meta.ip,
    userAgent: meta.userAgent,
    contentSha256: version.contentSha256,
    acknowledgementType: ackType,
    recordedById: ctx.memberId,
  };
  const [ack] = current
    ? await tx
        .update(acknowledgementRequests)
        .set(fields)
        .where(eq(acknowledgementRequests.id, current.r.id))
        .returning()
    : await tx
        .insert(acknowledgementRequests)
        .values({
          workspaceId: ctx.workspaceId,
          memberId,
          policyId,
          policyVersionId: version.id,
          dueAt: now,
          ...fields,
        })
        .returning();
  if (!ack) throw new Error('acknowledgement not written');
  const stale = open.filter((o) => o.r.id !== current?.r.id).map((o) => o.r.id);
  if (stale.length)
    await tx
      .update(acknowledgementRequests)
      .set({ status: 'CANCELLED' })
      .where(inArray(acknowledgementRequests.id, stale));
  await audit(tx, ctx, {
    action: 'POLICY_ACKNOWLEDGED',
    targetType: 'policy',
    targetId: policyId,
    newValue: {
      employee_id: memberId,
      request_id: ack.id,
      policy_version_id: version.id,
      version_number: version.number,
      content_sha256: version.contentSha256,
      acknowledgement_type: ackType,
      ip_address: meta.ip,
      user_agent: meta.userAgent,
      via: ctx.via,
    },
    description: `Policy "${row.p.name}" v${version.number} acknowledged`,
  });
  const touched = open.flatMap((o) => (o.r.obligationId ? [o.r.obligationId] : []));
  return { ack, version, settled: await settleObligations(tx, touched) };
}

export async function acknowledgePolicy(
  db: Db,
  ctx: AuthContext,
  policyId: string,
  input: { employee_id?: string; acknowledgement_type?: AckEventType },
  meta: ClientMeta,
) {
  const memberId = input.employee_id ?? ctx.memberId;
  if (memberId !== ctx.memberId) requireSelfOr(ctx, memberId);
  if (ctx.role === 'AUDITOR') throw new Forbidden('Auditors read only');
  // The acknowledgement is recorded for employee_id: it must be a member of this workspace.
  await assertInWorkspace(db, ctx.workspaceId, { members: { 'body.employee_id': [memberId] } });
  const result = await db.transaction((tx) =>
    recordAck(tx, ctx, memberId, policyId, meta, input.acknowledgement_type),
  );
  return result;
}

/** Acknowledges every open request of one obligation (Slack button, signed link). */
export async function acknowledgeObligation(
  db: Db,
  ctx: AuthContext,
  obligationId: string,
  memberId: string,
) {
  const settled = await db.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(acknowledgementRequests)
      .where(
        and(
          eq(acknowledgementRequests.obligationId, obligationId),
          inArray(acknowledgementRequests.status, [...OPEN_ACK]),
        ),
      );
    const out: ObligationRef[] = [];
    for (const r of open) {
      const res = await recordAck(tx, ctx, memberId, r.policyId, { ip: ctx.ip, userAgent: ctx.userAgent });
      out.push(...res.settled);
    }
    return out;
  });
  return settled.length;
}

/**
 * Per applicable or requested policy: the active version, the latest acknowledgement and the open request.
 * Readable by admins, approvers and auditors, the member, and those who manage them or lead one of their
 * teams (people/visibility.ts); anyone else gets 404, as for an unknown member.
 */
export async function ackStatus(db: Executor, ctx: AuthContext, memberId: string) {
  await getMember(db, ctx.workspaceId, memberId);
  await assertCanReadMember(db, ctx, memberId);
  const roles = await db.select().from(memberRoles).where(eq(memberRoles.memberId, memberId));
  const all = await ackPolicies(db, ctx.workspaceId);
  const applicable = new Set(
    policiesForMember(
      roles.map((r) => r.roleId),
      all,
    ),
  );
  const reqs = await db
    .select()
    .from(acknowledgementRequests)
    .where(
      and(
        eq(acknowledgementRequests.workspaceId, ctx.workspaceId),
        eq(acknowledgementRequests.memberId, memberId),
      ),
    )
    .orderBy(desc(acknowledgementRequests.createdAt));
  const ids = [...new Set([...applicable, ...reqs.map((r) => r.policyId)])];
  const names = ids.length
    ? await db
        .select({ id: policies.id, name: policies.name })
        .from(policies)
        .where(inArray(policies.id, ids))
    : [];
  return ids.sort().map((policyId) => {
    const p = all.find((x) => x.policyId === policyId);
    const open = reqs.find(
      (r) => r.policyId === policyId && (r.status === 'PENDING' || r.status === 'OVERDUE'),
    );
    const last = reqs
      .filter((r) => r.policyId === policyId && r.status === 'ACKNOWLEDGED')
      .sort((a, b) => (b.acknowledgedAt?.getTime() ?? 0) - (a.acknowledgedAt?.getTime() ?? 0))[0];
    const upToDate = last && last.policyVersionId === p?.activeVersionId;
    return {
      policy_id: policyId,
      policy_name: names.find((n) => n.id === policyId)?.name ?? null,
      applies: applicable.has(policyId),
      active_version_id: p?.activeVersionId ?? null,
      status: open ? open.status : upToDate ? 'ACKNOWLEDGED' : last ? 'OUTDATED' : 'NOT_REQUESTED',
      due_at: open?.dueAt.toISOString() ?? null,
      request_id: open?.id ?? null,
      last_acknowledged_version_id: last?.policyVersionId ?? null,
      last_acknowledged_at: last?.acknowledgedAt?.toISOString() ?? null,
    };
  });
}

/** Every request of a member (all policies, all versions), with version numbers; read scope as ackStatus. */
export async function ackHistoryOf(db: Executor, ctx: AuthContext, memberId: string) {
  await getMember(db, ctx.workspaceId, memberId);
  await assertCanReadMember(db, ctx, memberId);
  return db
    .select({ r: acknowledgementRequests, number: policyVersions.number, name: policies.name })
    .from(acknowledgementRequests)
    .innerJoin(policyVersions, eq(policyVersions.id, acknowledgementRequests.policyVersionId))
    .innerJoin(policies, eq(policies.id, acknowledgementRequests.policyId))
    .where(
      and(
        eq(acknowledgementRequests.workspaceId, ctx.workspaceId),
        eq(acknowledgementRequests.memberId, memberId),
      ),
    )
    .orderBy(asc(acknowledgementRequests.createdAt));
}

export async function createAckEvent(
  db: Db,
  ctx: AuthContext,
  input: { type: 'MANUAL' | 'PERIODIC'; scope: AckScope; dueAt?: Date; periodKey?: string },
) {
  // The scope is stored with the event: every id it names must be of this workspace.
  await assertRefs(db, ctx.workspaceId, [
    ...peopleRefs({
      members: { 'body.scope.member_ids': input.scope.member_ids ?? [] },
      roles: { 'body.scope.role_ids': input.scope.role_ids ?? [] },
    }),
    { field: 'body.scope.policy_ids', rows: POLICY_ROWS, ids: input.scope.policy_ids ?? [] },
  ]);
  const result = await db.transaction((tx) => startEvent(tx, ctx, input));
  // Their workflows start from the commands the new obligation rows queued in that transaction.
  return { ...result, started: result.obligations.length };
}

export async function onboardEmployee(
  deps: Pick<AppDeps, 'db' | 'config'>,
  ctx: AuthContext,
  fx: Effects,
  input: MemberInput & { name: string; email: string; due_in_ms?: number },
) {
  const { due_in_ms, ...memberInput } = input;
  return deps.db.transaction(async (tx) => {
    const member = await createMember(tx as unknown as Db, ctx, fx, memberInput);
    const started = await startEvent(tx, ctx, {
      type: 'NEW_HIRE',
      scope: { member_ids: [member.id] },
      ...(due_in_ms !== undefined && { dueAt: new Date(Date.now() + due_in_ms) }),
    });
    // The new hire hears at once, with a link to acknowledge; the engine's reminders follow.
    for (const o of started.obligations) await queueWelcome(tx, deps.config, o, member.id);
    return { member, ...started };
  });
}

/** The welcome message of a new hire's acknowledgement obligation (once: step WELCOME), with its one-time link. */
async function queueWelcome(tx: Executor, config: AppDeps['config'], o: ObligationRef, memberId: string) {
  const [row] = await tx
    .select()
    .from(acknowledgementObligations)
    .where(eq(acknowledgementObligations.id, o.id));
  if (!row) return;
  const names = (
    await tx
      .select({ name: policies.name })
      .from(acknowledgementRequests)
      .innerJoin(policies, eq(policies.id, acknowledgementRequests.policyId))
      .where(
        and(
          eq(acknowledgementRequests.obligationId, o.id),
          inArray(acknowledgementRequests.status, [...OPEN_ACK]),
        ),
      )
  ).map((r) => r.name);
  if (!names.length) return;
  const now = new Date();
  const link = await createAckLink(
    tx,
    { workspaceId: row.workspaceId, obligationId: row.id, memberId, dueAt: row.dueAt },
    now,
    publicUrl(config),
  );
  await enqueueMessages(
    tx,
    row.workspaceId,
    config,
    [
      {
        recipientIds: [memberId],
        template: 'policy.welcome',
        data: { policies: names, due_at: row.dueAt.toISOString(), url: link.url },
        secrets: link.secrets,
        channels: ['email', 'slack'],
        kind: ACK_KIND,
        obligationId: row.id,
        stepKey: 'WELCOME',
      },
    ],
    now,
  );
}

// A cancelled obligation's workflow is woken by the command its row's update queues (0009).
export const onMemberOffboarded: MemberHook = async (tx, ctx, _fx, memberId) => {
  await cancelOpenRequests(tx, ctx, memberId, 'member offboarded');
};

/** Cancels open requests for policies that no longer apply to the member's roles. */
export const onMemberScopeChanged: MemberHook = async (tx, ctx, _fx, memberId) => {
  const roles = await tx.select().from(memberRoles).where(eq(memberRoles.memberId, memberId));
  const all = await ackPolicies(tx, ctx.workspaceId);
  const applicable = new Set(
    policiesForMember(
      roles.map((r) => r.roleId),
      all,
    ),
  );
  const stale = all.map((p) => p.policyId).filter((id) => !applicable.has(id));
  await cancelOpenRequests(tx, ctx, memberId, 'policy no longer applies to the member', stale);
};

/** Daily: a PERIODIC event for every workspace whose settings.periodicAck is today (once a year). */
export async function periodicSweep(db: Db, now = new Date()) {
  const rows = await db.select().from(workspaceSettings);
  let events = 0;
  let started = 0;
  for (const s of rows) {
    const p = s.periodicAck;
    if (!p || p.month !== now.getUTCMonth() + 1 || p.day !== now.getUTCDate()) continue;
    const res = await createAckEvent(db, systemContext(s.workspaceId), {
      type: 'PERIODIC',
      scope: { all: true },
      periodKey: String(now.getUTCFullYear()),
    });
    if (res.event) events++;
    started += res.started;
  }
  return { events, workflows_started: started };
}
