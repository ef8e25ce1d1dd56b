/**
 * Member-certification lifecycle: issue a held certification, then update, verify, renew or
 * revoke it. Each change is one transaction with its audit entry and signals the holding's workflow.
 */
import { type AuthContext, requireSelfOr } from '@vigil/kernel/auth';
import { BadRequest, Unprocessable } from '@vigil/kernel/errors';
import { and, eq } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import { escalations } from '../escalation/schema';
import { ladderFor } from '../escalation/service';
import { events } from '../events/schema';
import { obligationSteps } from '../obligations/schema';
import { changedConcurrently, stillIn } from '../obligations/transitions';
import { firstTeam } from '../people/memberships';
import { members } from '../people/schema';
import { assertInWorkspace } from '../people/service';
import { certStatus, expiryFor, statusRank } from './rules';
import { type CertStatus, developerCertifications } from './schema';
import { getCert, getHeld, type HeldRow, windowFor } from './service';

const KIND = 'member_certification' as const;

export interface HeldInput {
  developer_id: string;
  certification_id: string;
  issued_date?: string;
  expiry_date?: string | null;
  credential_id?: string | null;
  verification_url?: string | null;
  certificate_url?: string | null;
  score?: number | null;
}

/** A holding that a write moved into EXPIRING_SOON or EXPIRED emits the event the engine's step would have. */
async function statusEvent(tx: Executor, row: HeldRow, before: CertStatus | null) {
  if (row.status === before || (row.status !== 'EXPIRING_SOON' && row.status !== 'EXPIRED')) return;
  await tx
    .insert(events)
    .values({
      workspaceId: row.workspaceId,
      type: row.status === 'EXPIRED' ? 'certification.expired' : 'certification.expiring',
      entityType: KIND,
      entityId: row.id,
      payload: { developer_id: row.developerId, expiry_date: row.expiryDate?.toISOString() ?? null },
    })
    .onConflictDoNothing();
}

/** The expiry plan starts over: forget the previous cycle's performed steps and escalations. */
async function restartPlan(tx: Executor, id: string) {
  await tx
    .delete(obligationSteps)
    .where(and(eq(obligationSteps.kind, KIND), eq(obligationSteps.obligationId, id)));
  await tx.delete(escalations).where(and(eq(escalations.kind, KIND), eq(escalations.obligationId, id)));
}

/** Records a certification a member holds; its workflow plans EXPIRING_SOON, EXPIRED and (if required) escalation. */
export async function issueHeld(db: Db, ctx: AuthContext, input: HeldInput) {
  requireSelfOr(ctx, input.developer_id, ['ADMIN', 'MANAGER']);
  await assertInWorkspace(db, ctx.workspaceId, { members: { 'body.developer_id': [input.developer_id] } });
  const cert = await getCert(db, ctx.workspaceId, input.certification_id).catch(() => {
    throw new Unprocessable('body.certification_id: no such certification in this workspace', [
      { field: 'body.certification_id', message: 'No such certification in this workspace' },
    ]);
  });
  const [m] = await db
    .select({ status: members.status })
    .from(members)
    .where(eq(members.id, input.developer_id));
  if (m?.status !== 'ACTIVE')
    throw new Unprocessable('body.developer_id: member is not active', [
      { field: 'body.developer_id', message: 'Member is not active' },
    ]);
  const issued = input.issued_date ? new Date(input.issued_date) : new Date();
  const expiry =
    input.expiry_date !== undefined
      ? input.expiry_date
        ? new Date(input.expiry_date)
        : null
      : expiryFor(issued, cert.validityMonths);
  if (expiry && expiry.getTime() <= issued.getTime())
    throw new BadRequest('body.expiry_date: must be after issued_date', [
      { field: 'body.expiry_date', message: 'Must be after issued_date' },
    ]);
  const ladder = (await ladderFor(db, ctx.workspaceId, { teamId: await firstTeam(db, input.developer_id) }))
    .levels;
  // Inside its window (or past expiry) already: the status says so from the first moment.
  const status = certStatus(expiry, await windowFor(db, cert), new Date(), false);
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .insert(developerCertifications)
      .values({
        workspaceId: ctx.workspaceId,
        developerId: input.developer_id,
        certificationId: cert.id,
        issuedDate: issued,
        expiryDate: expiry,
        status,
        credentialId: input.credential_id ?? null,
        verificationUrl: input.verification_url ?? null,
        certificateUrl: input.certificate_url ?? null,
        score: input.score ?? null,
        ladder,
      })
      .returning();
    if (!r) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'CERTIFICATION_ISSUED',
      targetType: KIND,
      targetId: r.id,
      newValue: { ...input, expiry_date: expiry?.toISOString() ?? null, status },
      description: `"${cert.name}" recorded`,
    });
    await statusEvent(tx, r, null);
    return r;
  });
  return row;
}

type HeldChange =
  | { type: 'update'; input: Partial<Omit<HeldInput, 'developer_id' | 'certification_id'>> }
  | { type: 'verify' }
  | {
      type: 'renew';
      input: { issued_date?: string; expiry_date?: string | null; credential_id?: string | null };
    }
  | { type: 'revoke'; reason: string };

/** Update, verify, renew or revoke a held certification, each in one transaction with its audit entry. */
export async function changeHeld(db: Db, ctx: AuthContext, id: string, change: HeldChange) {
  const before = await getHeld(db, ctx.workspaceId, id);
  if (change.type === 'verify') requireSelfOr(ctx, null, ['ADMIN']);
  else if (change.type === 'revoke') requireSelfOr(ctx, null, ['ADMIN', 'MANAGER']);
  else requireSelfOr(ctx, before.developerId, ['ADMIN', 'MANAGER']);
  if (before.status === 'REVOKED')
    throw new Unprocessable('The certification is REVOKED; it can no longer change', [
      { field: 'status', message: 'Already REVOKED' },
    ]);
  const cert = await getCert(db, ctx.workspaceId, before.certificationId);
  const windowMs = await windowFor(db, cert);
  const now = new Date();
  const row = await db.transaction(async (tx) => {
    const set: Partial<HeldRow> = { updatedAt: now };
    let action:
      | 'CERTIFICATION_UPDATED'
      | 'CERTIFICATION_VERIFIED'
      | 'CERTIFICATION_RENEWED'
      | 'CERTIFICATION_REVOKED';
    let newValue: unknown;
    if (change.type === 'update') {
      const i = change.input;
      action = 'CERTIFICATION_UPDATED';
      newValue = i;
      if (i.issued_date !== undefined) set.issuedDate = new Date(i.issued_date);
      if (i.expiry_date !== undefined) set.expiryDate = i.expiry_date ? new Date(i.expiry_date) : null;
      if (i.credential_id !== undefined) set.credentialId = i.credential_id;
      if (i.verification_url !== undefined) set.verificationUrl = i.verification_url;
      if (i.certificate_url !== undefined) set.certificateUrl = i.certificate_url;
      if (i.score !== undefined) set.score = i.score;
      set.status = certStatus(set.expiryDate ?? before.expiryDate, windowMs, now, false);
      if (i.expiry_date !== undefined) newValue = { ...i, status: set.status };
      // A later expiry takes the holding back (EXPIRED or EXPIRING_SOON to an earlier status): its plan starts over.
      if (statusRank(set.status) < statusRank(before.status)) {
        Object.assign(set, {
          currentEscalationLevel: null,
          ...(set.status === 'ACTIVE' && { renewalReminderSentAt: null }),
        });
        await restartPlan(tx, id);
      }
    } else if (change.type === 'verify') {
      action = 'CERTIFICATION_VERIFIED';
      set.verifiedAt = now;
      set.verifiedById = ctx.memberId;
      newValue = { verified_by_id: ctx.memberId };
    } else if (change.type === 'renew') {
      action = 'CERTIFICATION_RENEWED';
      const issued = change.input.issued_date ? new Date(change.input.issued_date) : now;
      const expiry =
        change.input.expiry_date !== undefined
          ? change.input.expiry_date
            ? new Date(change.input.expiry_date)
            : null
          : expiryFor(issued, cert.validityMonths);
      Object.assign(set, {
        issuedDate: issued,
        expiryDate: expiry,
        status: certStatus(expiry, windowMs, now, false),
        renewalReminderSentAt: null,
        currentEscalationLevel: null,
        ...(change.input.credential_id !== undefined && { credentialId: change.input.credential_id }),
      });
      newValue = {
        issued_date: issued.toISOString(),
        expiry_date: expiry?.toISOString() ?? null,
        status: set.status,
      };
      await restartPlan(tx, id);
    } else {
      action = 'CERTIFICATION_REVOKED';
      set.status = certStatus(before.expiryDate, windowMs, now, true);
      set.revokedAt = now;
      set.revokeReason = change.reason;
      newValue = { status: 'REVOKED', reason: change.reason };
    }
    const [r] = await tx
      .update(developerCertifications)
      .set(set)
      .where(stillIn(developerCertifications, id, before.status))
      .returning();
    if (!r) throw changedConcurrently('Certification', id);
    await statusEvent(tx, r, change.type === 'renew' ? null : before.status);
    await audit(tx, ctx, {
      action,
      targetType: KIND,
      targetId: id,
      oldValue: {
        status: before.status,
        issued_date: before.issuedDate.toISOString(),
        expiry_date: before.expiryDate?.toISOString() ?? null,
      },
      newValue,
    });
    return r;
  });
  return row;
}
