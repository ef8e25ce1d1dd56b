import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import type { AppDeps } from '../deps';
import { quietWorkflowCommands } from '../obligations/commands';
import type { Sweep } from '../schedules';
import { auditCorrections } from '../training/sweeps';

type Row = { id: string; workspace_id: string; status: string; events: number };

/**
 * Safety net: one UPDATE moves every ACTIVE certification inside its expiring-soon window
 * (the definition's expiring_soon_offset, else settings.cert_expiring_days) to EXPIRING_SOON,
 * stamps renewal_reminder_sent_at, and emits certification.expiring.
 */
export async function checkExpiringCerts(db: Db) {
  return db.transaction(async (tx) => {
    await quietWorkflowCommands(tx);
    const res = await tx.execute(sql`
      WITH upd AS (
        UPDATE developer_certifications d
        SET status = 'EXPIRING_SOON', renewal_reminder_sent_at = coalesce(d.renewal_reminder_sent_at, now()),
            updated_at = now()
        FROM certifications c
        LEFT JOIN workspace_settings s ON s.workspace_id = c.workspace_id
        WHERE c.id = d.certification_id AND d.status = 'ACTIVE' AND d.expiry_date IS NOT NULL
          AND d.expiry_date > now()
          AND d.expiry_date - coalesce(c.expiring_soon_offset::interval,
                make_interval(days => coalesce(s.cert_expiring_days, 30))) <= now()
        RETURNING d.id, d.workspace_id, d.developer_id, d.expiry_date, d.status
      ), ev AS (
        INSERT INTO events (id, workspace_id, type, entity_type, entity_id, payload)
        SELECT gen_random_uuid(), workspace_id, 'certification.expiring', 'member_certification', id,
               jsonb_build_object('developer_id', developer_id, 'expiry_date', expiry_date)
        FROM upd ON CONFLICT DO NOTHING RETURNING id
      )
      SELECT upd.id, upd.workspace_id, upd.status, (SELECT count(*)::int FROM ev) AS events FROM upd`);
    const rows = res.rows as unknown as Row[];
    await auditCorrections(
      tx,
      rows,
      'CERTIFICATION_EXPIRING',
      'member_certification',
      () => 'Expiring soon (daily check)',
    );
    return { corrected: rows.length, events: rows[0]?.events ?? 0 };
  });
}

/** Safety net: one UPDATE marks every live certification past its expiry EXPIRED; emits certification.expired. */
export async function checkExpiredCerts(db: Db) {
  return db.transaction(async (tx) => {
    await quietWorkflowCommands(tx);
    const res = await tx.execute(sql`
      WITH upd AS (
        UPDATE developer_certifications SET status = 'EXPIRED', updated_at = now()
        WHERE status IN ('ACTIVE', 'EXPIRING_SOON') AND expiry_date IS NOT NULL AND expiry_date <= now()
        RETURNING id, workspace_id, developer_id, expiry_date, status
      ), ev AS (
        INSERT INTO events (id, workspace_id, type, entity_type, entity_id, payload)
        SELECT gen_random_uuid(), workspace_id, 'certification.expired', 'member_certification', id,
               jsonb_build_object('developer_id', developer_id, 'expiry_date', expiry_date)
        FROM upd ON CONFLICT DO NOTHING RETURNING id
      )
      SELECT upd.id, upd.workspace_id, upd.status, (SELECT count(*)::int FROM ev) AS events FROM upd`);
    const rows = res.rows as unknown as Row[];
    await auditCorrections(
      tx,
      rows,
      'CERTIFICATION_EXPIRED',
      'member_certification',
      () => 'Expired (daily check)',
    );
    return { corrected: rows.length, events: rows[0]?.events ?? 0 };
  });
}

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
