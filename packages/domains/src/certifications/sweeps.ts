import { sql } from 'drizzle-orm';
import type { AuditAction } from '../audit/rules';
import type { Db, Executor } from '../db';
import { quietWorkflowCommands } from '../obligations/commands';
import type { Sweep } from '../schedules';
import { sqlIn } from '../sql-in';
import { auditCorrections } from '../training/sweeps';
import { certStatus, expiringWindowMs, HELD_CERT } from './rules';
import type { CertStatus } from './schema';

interface Candidate {
  id: string;
  workspace_id: string;
  certification_id: string;
  status: CertStatus;
  expiry_date: Date | string | null;
}

/** Each definition's EXPIRING_SOON window in ms (its expiring_soon_offset, else settings.cert_expiring_days). */
async function windows(tx: Executor): Promise<Map<string, number>> {
  const res = await tx.execute(sql`
    SELECT c.id, c.expiring_soon_offset, coalesce(s.cert_expiring_days, 30) AS days
    FROM certifications c LEFT JOIN workspace_settings s ON s.workspace_id = c.workspace_id`);
  const rows = res.rows as Array<{ id: string; expiring_soon_offset: string | null; days: number }>;
  return new Map(rows.map((r) => [r.id, expiringWindowMs(r.expiring_soon_offset, Number(r.days))]));
}

const EVENT: Partial<Record<CertStatus, string>> = {
  EXPIRING_SOON: 'certification.expiring',
  EXPIRED: 'certification.expired',
};

const CORRECTION: Record<CertStatus, { action: AuditAction; text: string }> = {
  ACTIVE: { action: 'CERTIFICATION_UPDATED', text: 'Active again: outside its (narrower) window' },
  EXPIRING_SOON: { action: 'CERTIFICATION_EXPIRING', text: 'Expiring soon' },
  EXPIRED: { action: 'CERTIFICATION_EXPIRED', text: 'Expired' },
  REVOKED: { action: 'CERTIFICATION_REVOKED', text: 'Revoked' },
};

/**
 * Safety net: every live holding (ACTIVE or EXPIRING_SOON) whose status `certStatus` now
 * answers differently, and into one of `into`, takes that status; events and audit entries follow.
 * The candidates are read with each definition's window, so SQL only narrows and the pure rule decides.
 */
async function correctStatuses(db: Db, into: CertStatus[], now: Date, label: string) {
  return db.transaction(async (tx) => {
    await quietWorkflowCommands(tx);
    const win = await windows(tx);
    const ids = [...win.keys()];
    const ms = ids.map((id) => win.get(id) ?? 0);
    const res = await tx.execute(sql`
      SELECT d.id, d.workspace_id, d.certification_id, d.status, d.expiry_date
      FROM developer_certifications d
      JOIN unnest(${`{${ids.join(',')}}`}::uuid[], ${`{${ms.join(',')}}`}::bigint[]) AS w(id, ms)
        ON w.id = d.certification_id
      WHERE d.status IN ${sqlIn(HELD_CERT)}
        AND (d.status = 'EXPIRING_SOON' OR
             d.expiry_date <= ${now.toISOString()}::timestamptz + w.ms * interval '1 millisecond')
      FOR UPDATE OF d`);
    const byTarget = new Map<CertStatus, Candidate[]>();
    for (const c of res.rows as unknown as Candidate[]) {
      const expiry = c.expiry_date === null ? null : new Date(c.expiry_date);
      const target = certStatus(expiry, win.get(c.certification_id) ?? 0, now, false);
      if (target === c.status || !into.includes(target)) continue;
      byTarget.set(target, [...(byTarget.get(target) ?? []), c]);
    }
    let corrected = 0;
    let emitted = 0;
    for (const [target, rows] of byTarget) {
      const list = `{${rows.map((r) => r.id).join(',')}}`;
      const stamp =
        target === 'EXPIRING_SOON'
          ? sql`coalesce(renewal_reminder_sent_at, ${now.toISOString()}::timestamptz)`
          : target === 'ACTIVE'
            ? sql`NULL`
            : sql`renewal_reminder_sent_at`;
      const upd = await tx.execute(sql`
        UPDATE developer_certifications SET status = ${target}, renewal_reminder_sent_at = ${stamp},
          updated_at = now()
        WHERE id = ANY(${list}::uuid[])
        RETURNING id, workspace_id, status`);
      const done = upd.rows as Array<{ id: string; workspace_id: string; status: string }>;
      corrected += done.length;
      const type = EVENT[target];
      if (type) {
        const ev = await tx.execute(sql`
          INSERT INTO events (id, workspace_id, type, entity_type, entity_id, payload)
          SELECT vigil_uuid_v7(), workspace_id, ${type}, 'member_certification', id,
                 jsonb_build_object('developer_id', developer_id, 'expiry_date', expiry_date)
          FROM developer_certifications WHERE id = ANY(${list}::uuid[])
          ON CONFLICT DO NOTHING RETURNING id`);
        emitted += ev.rows.length;
      }
      const { action, text } = CORRECTION[target];
      await auditCorrections(tx, done, action, 'member_certification', () => `${text} (${label})`);
    }
    return { corrected, events: emitted };
  });
}

/** Safety net: holdings inside their window become EXPIRING_SOON (and ones a narrower window left outside, ACTIVE). */
export const checkExpiringCerts = (db: Db, now = new Date()) =>
  correctStatuses(db, ['EXPIRING_SOON', 'ACTIVE'], now, 'daily check');

/** Safety net: live holdings past their expiry become EXPIRED. */
export const checkExpiredCerts = (db: Db, now = new Date()) =>
  correctStatuses(db, ['EXPIRED'], now, 'daily check');

export const certificationSweeps: Sweep[] = [
  {
    id: 'check-expiring-certs',
    description: 'Safety net: certifications inside their expiring-soon window become EXPIRING_SOON',
    spec: { cronExpressions: ['15 6 * * *'] },
    run: (deps) => checkExpiringCerts(deps.db),
  },
  {
    id: 'check-expired-certs',
    description: 'Safety net: certifications past expiry become EXPIRED',
    spec: { cronExpressions: ['20 6 * * *'] },
    run: (deps) => checkExpiredCerts(deps.db),
  },
];
