import { type AuthContext, requireSelfOr } from '@vigil/kernel/auth';
import type { Effects } from '@vigil/kernel/effects';
import { NotFound, Unprocessable } from '@vigil/kernel/errors';
import type { TemporalHandle } from '@vigil/kernel/temporal';
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import { escalations } from '../escalation/schema';
import { ladderFor } from '../escalation/service';
import { obligationSteps } from '../obligations/schema';
import { signalAfterCommit } from '../obligations/service';
import { members, teamMembers } from '../people/schema';
import { assertInWorkspace } from '../people/service';
import { expiryFor, isValidHolding } from './rules';
import { type CertStatus, certifications, developerCertifications } from './schema';

export type CertRow = typeof certifications.$inferSelect;
export type HeldRow = typeof developerCertifications.$inferSelect;
const KIND = 'member_certification' as const;

export interface CertInput {
  name?: string;
  issuing_authority?: string | null;
  description?: string | null;
  validity_months?: number | null;
  renewal_required?: boolean;
  category?: string | null;
  skill_tags?: string[];
  prerequisites?: string[];
  is_required?: boolean;
  external_url?: string | null;
  logo_url?: string | null;
  expiring_soon_offset?: string | null;
}

const certColumns = (i: CertInput) => ({
  ...(i.name !== undefined && { name: i.name }),
  ...(i.issuing_authority !== undefined && { issuingAuthority: i.issuing_authority }),
  ...(i.description !== undefined && { description: i.description }),
  ...(i.validity_months !== undefined && { validityMonths: i.validity_months }),
  ...(i.renewal_required !== undefined && { renewalRequired: i.renewal_required }),
  ...(i.category !== undefined && { category: i.category }),
  ...(i.skill_tags !== undefined && { skillTags: i.skill_tags }),
  ...(i.prerequisites !== undefined && { prerequisites: i.prerequisites }),
  ...(i.is_required !== undefined && { isRequired: i.is_required }),
  ...(i.external_url !== undefined && { externalUrl: i.external_url }),
  ...(i.logo_url !== undefined && { logoUrl: i.logo_url }),
  ...(i.expiring_soon_offset !== undefined && { expiringSoonOffset: i.expiring_soon_offset }),
});

export async function getCert(db: Executor, workspaceId: string, id: string): Promise<CertRow> {
  const [row] = await db
    .select()
    .from(certifications)
    .where(and(eq(certifications.workspaceId, workspaceId), eq(certifications.id, id)));
  if (!row) throw new NotFound('Certification', id);
  return row;
}

async function checkPrerequisites(db: Executor, workspaceId: string, ids: string[] | undefined) {
  if (!ids?.length) return;
  const found = await db
    .select({ id: certifications.id })
    .from(certifications)
    .where(and(eq(certifications.workspaceId, workspaceId), inArray(certifications.id, ids)));
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length)
    throw new Unprocessable(`body.prerequisites: no such certification: ${missing.join(', ')}`, [
      {
        field: 'body.prerequisites',
        message: `No such certification in this workspace: ${missing.join(', ')}`,
      },
    ]);
}

export async function createCert(db: Db, ctx: AuthContext, input: CertInput & { name: string }) {
  await checkPrerequisites(db, ctx.workspaceId, input.prerequisites);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(certifications)
      .values({ workspaceId: ctx.workspaceId, name: input.name, ...certColumns(input) })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'CERTIFICATION_CREATED',
      targetType: 'certification',
      targetId: row.id,
      newValue: input,
      description: `Certification "${row.name}" defined`,
    });
    return row;
  });
}

export async function updateCert(db: Db, ctx: AuthContext, id: string, input: CertInput) {
  const before = await getCert(db, ctx.workspaceId, id);
  await checkPrerequisites(db, ctx.workspaceId, input.prerequisites);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(certifications)
      .set({ ...certColumns(input), updatedAt: new Date() })
      .where(eq(certifications.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'CERTIFICATION_UPDATED',
      targetType: 'certification',
      targetId: id,
      oldValue: { name: before.name, validity_months: before.validityMonths, is_required: before.isRequired },
      newValue: input,
    });
    return row ?? before;
  });
}

/** Definitions with holder stats; for required ones, the active members who hold no valid copy. */
export async function listCerts(db: Executor, workspaceId: string) {
  const defs = await db
    .select()
    .from(certifications)
    .where(eq(certifications.workspaceId, workspaceId))
    .orderBy(desc(certifications.id));
  const counts = await db
    .select({
      certId: developerCertifications.certificationId,
      status: developerCertifications.status,
      n: sql<number>`count(distinct ${developerCertifications.developerId})::int`,
    })
    .from(developerCertifications)
    .where(eq(developerCertifications.workspaceId, workspaceId))
    .groupBy(developerCertifications.certificationId, developerCertifications.status);
  const missing = await missingByCert(db, workspaceId);
  return defs.map((c) => {
    const n = (s: CertStatus) => counts.find((x) => x.certId === c.id && x.status === s)?.n ?? 0;
    const miss = c.isRequired ? (missing.get(c.id) ?? []) : [];
    return {
      cert: c,
      stats: {
        holders: n('ACTIVE') + n('EXPIRING_SOON'),
        active: n('ACTIVE'),
        expiring_soon: n('EXPIRING_SOON'),
        expired: n('EXPIRED'),
        revoked: n('REVOKED'),
        missing_required_count: miss.length,
        missing_required_developer_ids: miss.slice(0, 1000),
      },
    };
  });
}

/** For each required certification: active members without a valid (ACTIVE/EXPIRING_SOON) holding. */
async function missingByCert(db: Executor, workspaceId: string) {
  const res = await db.execute(sql`
    SELECT c.id AS cert_id, m.id AS member_id
    FROM certifications c
    JOIN members m ON m.workspace_id = c.workspace_id AND m.status = 'ACTIVE'
    WHERE c.workspace_id = ${workspaceId} AND c.is_required
      AND NOT EXISTS (
        SELECT 1 FROM developer_certifications d
        WHERE d.certification_id = c.id AND d.developer_id = m.id AND d.status IN ('ACTIVE', 'EXPIRING_SOON'))`);
  const out = new Map<string, string[]>();
  for (const r of res.rows as Array<{ cert_id: string; member_id: string }>)
    out.set(r.cert_id, [...(out.get(r.cert_id) ?? []), r.member_id]);
  return out;
}

/** Required certifications a member lacks (no valid holding). */
export async function missingRequired(db: Executor, workspaceId: string, developerId: string) {
  const required = await db
    .select({ id: certifications.id, name: certifications.name })
    .from(certifications)
    .where(and(eq(certifications.workspaceId, workspaceId), eq(certifications.isRequired, true)));
  if (!required.length) return [];
  const held = await db
    .select({ certId: developerCertifications.certificationId, status: developerCertifications.status })
    .from(developerCertifications)
    .where(eq(developerCertifications.developerId, developerId));
  const valid = new Set(held.filter((h) => isValidHolding(h.status)).map((h) => h.certId));
  return required.filter((r) => !valid.has(r.id)).map((r) => ({ certification_id: r.id, name: r.name }));
}

export async function getHeld(db: Executor, workspaceId: string, id: string): Promise<HeldRow> {
  const [row] = await db
    .select()
    .from(developerCertifications)
    .where(and(eq(developerCertifications.workspaceId, workspaceId), eq(developerCertifications.id, id)));
  if (!row) throw new NotFound('Developer certification', id);
  return row;
}

export interface HeldFilter {
  certification_id?: string;
  developer_id?: string;
  status?: CertStatus;
  expiring_soon?: boolean;
  limit: number;
  cursor?: string;
}

export async function listHeld(db: Executor, ctx: AuthContext, f: HeldFilter) {
  const where = [eq(developerCertifications.workspaceId, ctx.workspaceId)];
  if (ctx.role === 'MEMBER' || ctx.role === 'APPROVER')
    where.push(eq(developerCertifications.developerId, ctx.memberId));
  if (f.certification_id) where.push(eq(developerCertifications.certificationId, f.certification_id));
  if (f.developer_id) where.push(eq(developerCertifications.developerId, f.developer_id));
  if (f.status) where.push(eq(developerCertifications.status, f.status));
  if (f.expiring_soon !== undefined)
    where.push(
      f.expiring_soon
        ? eq(developerCertifications.status, 'EXPIRING_SOON')
        : sql`${developerCertifications.status} <> 'EXPIRING_SOON'`,
    );
  if (f.cursor) where.push(lt(developerCertifications.id, f.cursor));
  return db
    .select()
    .from(developerCertifications)
    .where(and(...where))
    .orderBy(desc(developerCertifications.id))
    .limit(f.limit + 1);
}

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

async function firstTeam(db: Executor, memberId: string) {
  const [t] = await db
    .select({ id: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.memberId, memberId))
    .limit(1);
  return t?.id ?? null;
}

const signal = (fx: Effects, temporal: TemporalHandle, row: HeldRow) =>
  signalAfterCommit(fx, temporal, {
    kind: KIND,
    id: row.id,
    workspaceId: row.workspaceId,
    ownerId: row.developerId,
  });

/** Records a certification a member holds; its workflow plans EXPIRING_SOON, EXPIRED and (if required) escalation. */
export async function issueHeld(
  db: Db,
  temporal: TemporalHandle,
  ctx: AuthContext,
  fx: Effects,
  input: HeldInput,
) {
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
  const ladder = (await ladderFor(db, ctx.workspaceId, { teamId: await firstTeam(db, input.developer_id) }))
    .levels;
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .insert(developerCertifications)
      .values({
        workspaceId: ctx.workspaceId,
        developerId: input.developer_id,
        certificationId: cert.id,
        issuedDate: issued,
        expiryDate: expiry,
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
      newValue: { ...input, expiry_date: expiry?.toISOString() ?? null },
      description: `"${cert.name}" recorded`,
    });
    return r;
  });
  signal(fx, temporal, row);
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
export async function changeHeld(
  db: Db,
  temporal: TemporalHandle,
  ctx: AuthContext,
  fx: Effects,
  id: string,
  change: HeldChange,
) {
  const before = await getHeld(db, ctx.workspaceId, id);
  if (change.type === 'verify') requireSelfOr(ctx, null, ['ADMIN']);
  else if (change.type === 'revoke') requireSelfOr(ctx, null, ['ADMIN', 'MANAGER']);
  else requireSelfOr(ctx, before.developerId, ['ADMIN', 'MANAGER']);
  if (before.status === 'REVOKED')
    throw new Unprocessable('The certification is REVOKED; it can no longer change', [
      { field: 'status', message: 'Already REVOKED' },
    ]);
  const cert = await getCert(db, ctx.workspaceId, before.certificationId);
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
        status: 'ACTIVE',
        renewalReminderSentAt: null,
        currentEscalationLevel: null,
        ...(change.input.credential_id !== undefined && { credentialId: change.input.credential_id }),
      });
      newValue = { issued_date: issued.toISOString(), expiry_date: expiry?.toISOString() ?? null };
      // The plan starts over: forget the previous cycle's performed steps and escalations.
      await tx
        .delete(obligationSteps)
        .where(and(eq(obligationSteps.kind, KIND), eq(obligationSteps.obligationId, id)));
      await tx.delete(escalations).where(and(eq(escalations.kind, KIND), eq(escalations.obligationId, id)));
    } else {
      action = 'CERTIFICATION_REVOKED';
      set.status = 'REVOKED';
      set.revokedAt = now;
      set.revokeReason = change.reason;
      newValue = { status: 'REVOKED', reason: change.reason };
    }
    const [r] = await tx
      .update(developerCertifications)
      .set(set)
      .where(eq(developerCertifications.id, id))
      .returning();
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
    return r ?? before;
  });
  signal(fx, temporal, row);
  return row;
}
