import type { AuthContext } from '@vigil/kernel/auth';
import { Unprocessable } from '@vigil/kernel/errors';
import { toColumns } from '@vigil/kernel/serialize';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { filterEquals, listPage } from '../paging';
import { patchInWorkspace } from '../patch';
import { getSettings } from '../people/access';
import { readableBy, type Visible, visibleMembers } from '../people/visibility';
import { sqlIn } from '../sql-in';
import { expiringWindowMs, HELD_CERT, isValidHolding } from './rules';
import { type CertStatus, certifications, developerCertifications } from './schema';

export type CertRow = typeof certifications.$inferSelect;
export type HeldRow = typeof developerCertifications.$inferSelect;

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
  ...toColumns(i, [
    'name',
    'issuing_authority',
    'description',
    'validity_months',
    'renewal_required',
    'category',
    'skill_tags',
    'prerequisites',
    'is_required',
    'external_url',
    'logo_url',
    'expiring_soon_offset',
  ]),
});

export async function getCert(db: Executor, workspaceId: string, id: string): Promise<CertRow> {
  return findInWorkspace(db, certifications, 'Certification', workspaceId, id);
}

/** The definition's EXPIRING_SOON window in ms (its expiring_soon_offset, else settings.cert_expiring_days). */
export async function windowFor(db: Executor, cert: Pick<CertRow, 'workspaceId' | 'expiringSoonOffset'>) {
  const settings = await getSettings(db, cert.workspaceId);
  return expiringWindowMs(cert.expiringSoonOffset, settings.certExpiringDays);
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
  return patchInWorkspace(
    db,
    ctx,
    { table: certifications, what: 'Certification', id },
    {
      check: () => checkPrerequisites(db, ctx.workspaceId, input.prerequisites),
      set: certColumns(input),
      audit: (before) => ({
        action: 'CERTIFICATION_UPDATED',
        targetType: 'certification',
        targetId: id,
        oldValue: {
          name: before.name,
          validity_months: before.validityMonths,
          is_required: before.isRequired,
        },
        newValue: input,
      }),
    },
  );
}

/** Definitions with holder stats; for required ones, the active members who hold no valid copy. */
export async function listCerts(db: Executor, ctx: AuthContext) {
  const workspaceId = ctx.workspaceId;
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
  // The count covers the workspace; the ids name only members the caller may read.
  const visible = visibleMembers(ctx);
  const readable = visible === 'all' ? missing : await missingByCert(db, workspaceId, visible);
  return defs.map((c) => {
    const n = (s: CertStatus) => counts.find((x) => x.certId === c.id && x.status === s)?.n ?? 0;
    const miss = c.isRequired ? (missing.get(c.id) ?? []) : [];
    const named = c.isRequired ? (readable.get(c.id) ?? []) : [];
    return {
      cert: c,
      stats: {
        holders: n('ACTIVE') + n('EXPIRING_SOON'),
        active: n('ACTIVE'),
        expiring_soon: n('EXPIRING_SOON'),
        expired: n('EXPIRED'),
        revoked: n('REVOKED'),
        missing_required_count: miss.length,
        missing_required_developer_ids: named.slice(0, 1000),
      },
    };
  });
}

/** For each required certification: active members (of `among`) without a valid (ACTIVE/EXPIRING_SOON) holding. */
async function missingByCert(db: Executor, workspaceId: string, among: Visible = 'all') {
  const res = await db.execute(sql`
    SELECT c.id AS cert_id, m.id AS member_id
    FROM certifications c
    JOIN members m ON m.workspace_id = c.workspace_id AND m.status = 'ACTIVE'
    WHERE c.workspace_id = ${workspaceId} AND c.is_required
      AND ${among === 'all' ? sql`TRUE` : sql`m.id IN ${among}`}
      AND NOT EXISTS (
        SELECT 1 FROM developer_certifications d
        WHERE d.certification_id = c.id AND d.developer_id = m.id AND d.status IN ${sqlIn(HELD_CERT)})`);
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
  return findInWorkspace(db, developerCertifications, 'Developer certification', workspaceId, id);
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
  const where = [
    eq(developerCertifications.workspaceId, ctx.workspaceId),
    readableBy(ctx, developerCertifications.developerId),
  ];
  where.push(
    ...filterEquals(f, {
      certification_id: developerCertifications.certificationId,
      developer_id: developerCertifications.developerId,
      status: developerCertifications.status,
    }),
  );
  if (f.expiring_soon !== undefined)
    where.push(
      f.expiring_soon
        ? eq(developerCertifications.status, 'EXPIRING_SOON')
        : sql`${developerCertifications.status} <> 'EXPIRING_SOON'`,
    );
  return listPage(db, developerCertifications, where, f);
}
