// The pack's sections: each reads its rows from the snapshot through a cursor and streams
// them into one zip entry (CSV through csv-stringify, JSONL line by line).
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { DocumentStorage } from '../documents/storage';
import { channelOf, policyVersionPath } from './rules';
import type { Snapshot } from './snapshot';
import type { PackZip, ZipFile } from './zip';

export interface SectionContext {
  snap: Snapshot;
  zip: PackZip;
  storage: DocumentStorage;
  workspaceId: string;
  from: Date;
  to: Date;
  /** Counts finished items (progress, heartbeat). */
  tick(n?: number): Promise<void>;
  /** Evidence named by a completion that storage no longer holds. */
  missing: Array<{ instance_id: string; document_id: string; storage_key: string }>;
  /** Evidence whose bytes no longer hash to the sha256 recorded at upload. */
  mismatched: Array<{ path: string; recorded_sha256: string; sha256: string }>;
}

export type Row = Record<string, unknown>;
export const t = (d: unknown) => (d instanceof Date ? d.toISOString() : d == null ? '' : String(d));

/** Streams `rows` as a CSV file with a header line; each row counts as one item. */
export async function csvFile(
  c: SectionContext,
  path: string,
  columns: string[],
  rows: AsyncIterable<Row>,
): Promise<ZipFile> {
  async function* counted() {
    for await (const r of rows) {
      yield r;
      await c.tick();
    }
  }
  const csv = stringify({ header: true, columns, cast: { date: (d) => d.toISOString() } });
  const src = Readable.from(counted());
  src.on('error', (err) => csv.destroy(err));
  src.pipe(csv);
  return c.zip.add(path, csv);
}

export const members = (alias: string, id: string) =>
  `LEFT JOIN members ${alias} ON ${alias}.id = ${id} AND ${alias}.workspace_id = $1`;

const APPROVED_VERSIONS = `
  SELECT pv.id, pv.policy_id, p.name AS policy_name, pv.number, pv.status, pv.content_sha256,
         pv.change_summary, pv.created_at, pv.submitted_at, pv.decided_at, pv.decided_by_id,
         dm.name AS decided_by_name, dm.email AS decided_by_email
    FROM policy_versions pv
    JOIN policies p ON p.id = pv.policy_id AND p.workspace_id = $1
    ${members('dm', 'pv.decided_by_id')}
   WHERE pv.workspace_id = $1 AND pv.status IN ('APPROVED', 'SUPERSEDED') AND pv.decided_at < $3::timestamptz
     AND $2::timestamptz IS NOT NULL -- every version approved before the end counts
   ORDER BY p.name, pv.policy_id, pv.number`;

/** Each approved version's content (one file each), then approvals.csv. */
export async function writePolicies(c: SectionContext): Promise<void> {
  const args = [c.workspaceId, c.from, c.to];
  for await (const v of c.snap.rows<Row>(APPROVED_VERSIONS, args, 200)) {
    const [content] = await c.snap.query<{ content: string }>(
      'SELECT content FROM policy_versions WHERE id = $1',
      [v.id],
    );
    await c.zip.add(
      policyVersionPath(String(v.policy_id), String(v.policy_name), Number(v.number)),
      content?.content ?? '',
    );
    await c.tick();
  }
  const rows = async function* () {
    for await (const v of c.snap.rows<Row>(APPROVED_VERSIONS, args)) {
      yield {
        policy_id: v.policy_id,
        policy_name: v.policy_name,
        version: v.number,
        version_id: v.id,
        status: v.status,
        content_sha256: v.content_sha256,
        file: policyVersionPath(String(v.policy_id), String(v.policy_name), Number(v.number)),
        change_summary: v.change_summary,
        created_at: t(v.created_at),
        submitted_at: t(v.submitted_at),
        approved_at: t(v.decided_at),
        approved_by_id: v.decided_by_id,
        approved_by_name: v.decided_by_name,
        approved_by_email: v.decided_by_email,
      };
    }
  };
  await csvFile(
    c,
    'policies/approvals.csv',
    [
      'policy_id',
      'policy_name',
      'version',
      'version_id',
      'status',
      'content_sha256',
      'file',
      'change_summary',
      'created_at',
      'submitted_at',
      'approved_at',
      'approved_by_id',
      'approved_by_name',
      'approved_by_email',
    ],
    rows(),
  );
}

export async function writeAcknowledgements(c: SectionContext): Promise<void> {
  const sql = `
    SELECT ar.id, ar.member_id, m.name AS member_name, m.email AS member_email, ar.policy_id,
           p.name AS policy_name, pv.number AS version, ar.policy_version_id, ar.content_sha256,
           ar.acknowledged_at, ar.acknowledgement_type, a.via, ar.ip_address, ar.user_agent
      FROM acknowledgement_requests ar
      JOIN members m ON m.id = ar.member_id
      JOIN policies p ON p.id = ar.policy_id
      JOIN policy_versions pv ON pv.id = ar.policy_version_id
      LEFT JOIN (
        SELECT new_value->>'request_id' AS request_id, new_value->>'via' AS via
          FROM audit_logs
         WHERE workspace_id = $1 AND action_type = 'POLICY_ACKNOWLEDGED'
           AND created_at >= $2::timestamptz - interval '1 day' AND created_at < $3::timestamptz + interval '1 day'
      ) a ON a.request_id = ar.id::text
     WHERE ar.workspace_id = $1 AND ar.status = 'ACKNOWLEDGED'
       AND ar.acknowledged_at >= $2::timestamptz AND ar.acknowledged_at < $3::timestamptz
     ORDER BY ar.acknowledged_at, ar.id`;
  const rows = async function* () {
    for await (const r of c.snap.rows<Row>(sql, [c.workspaceId, c.from, c.to], 1000, { hashJoins: true })) {
      yield {
        acknowledgement_id: r.id,
        member_id: r.member_id,
        member_name: r.member_name,
        member_email: r.member_email,
        policy_id: r.policy_id,
        policy_name: r.policy_name,
        version: r.version,
        policy_version_id: r.policy_version_id,
        content_sha256: r.content_sha256,
        acknowledged_at: t(r.acknowledged_at),
        acknowledgement_type: r.acknowledgement_type,
        channel: channelOf(r.via as string | null),
        ip_address: r.ip_address,
        user_agent: r.user_agent,
      };
    }
  };
  await csvFile(
    c,
    'acknowledgements/acknowledgements.csv',
    [
      'acknowledgement_id',
      'member_id',
      'member_name',
      'member_email',
      'policy_id',
      'policy_name',
      'version',
      'policy_version_id',
      'content_sha256',
      'acknowledged_at',
      'acknowledgement_type',
      'channel',
      'ip_address',
      'user_agent',
    ],
    rows(),
  );
}

export async function writeTraining(c: SectionContext): Promise<void> {
  const sql = `
    SELECT ta.id AS assignment_id, ta.mandatory_training_id AS training_id, tr.name AS training_name,
           ta.developer_id AS member_id, m.name AS member_name, m.email AS member_email, ta.cycle,
           ta.status, ta.created_at AS assigned_at, ta.due_date, ta.acknowledged_at, ta.started_at,
           ta.completed_at, ta.progress_percentage, ta.waived_at, ta.waiver_reason,
           (ta.completed_at >= $2::timestamptz AND ta.completed_at < $3::timestamptz) AS completed_in_period
      FROM training_assignments ta
      JOIN mandatory_trainings tr ON tr.id = ta.mandatory_training_id
      JOIN members m ON m.id = ta.developer_id
     WHERE ta.workspace_id = $1 AND ta.created_at < $3::timestamptz
       AND (ta.completed_at IS NULL OR ta.completed_at >= $2::timestamptz)
       AND (ta.waived_at IS NULL OR ta.waived_at >= $2::timestamptz)
     ORDER BY ta.id`;
  const columns = [
    'assignment_id',
    'training_id',
    'training_name',
    'member_id',
    'member_name',
    'member_email',
    'cycle',
    'status',
    'assigned_at',
    'due_date',
    'acknowledged_at',
    'started_at',
    'completed_at',
    'completed_in_period',
    'progress_percentage',
    'waived_at',
    'waiver_reason',
  ];
  await csvFile(c, 'training/assignments.csv', columns, c.snap.rows<Row>(sql, [c.workspaceId, c.from, c.to]));
}

export async function writeCertifications(c: SectionContext): Promise<void> {
  const held = `
    SELECT dc.id AS member_certification_id, dc.developer_id AS member_id, m.name AS member_name,
           m.email AS member_email, dc.certification_id, ce.name AS certification_name,
           ce.issuing_authority, dc.issued_date, dc.expiry_date, dc.status, dc.credential_id,
           dc.verified_at, dc.revoked_at, dc.revoke_reason
      FROM developer_certifications dc
      JOIN certifications ce ON ce.id = dc.certification_id
      JOIN members m ON m.id = dc.developer_id
     WHERE dc.workspace_id = $1 AND dc.issued_date < $3::timestamptz
       AND (dc.expiry_date IS NULL OR dc.expiry_date >= $2::timestamptz)
       AND (dc.revoked_at IS NULL OR dc.revoked_at >= $2::timestamptz)
     ORDER BY dc.id`;
  await csvFile(
    c,
    'certifications/held.csv',
    [
      'member_certification_id',
      'member_id',
      'member_name',
      'member_email',
      'certification_id',
      'certification_name',
      'issuing_authority',
      'issued_date',
      'expiry_date',
      'status',
      'credential_id',
      'verified_at',
      'revoked_at',
      'revoke_reason',
    ],
    c.snap.rows<Row>(held, [c.workspaceId, c.from, c.to]),
  );
  const changes = `
    SELECT a.seq AS audit_seq, a.created_at AS changed_at, a.action_type, a.target_id AS member_certification_id,
           dc.developer_id AS member_id, m.email AS member_email, ce.name AS certification_name,
           a.old_value->>'status' AS old_status, a.new_value->>'status' AS new_status,
           a.actor_id, a.description
      FROM audit_logs a
      LEFT JOIN developer_certifications dc ON dc.id::text = a.target_id AND dc.workspace_id = $1
      LEFT JOIN certifications ce ON ce.id = dc.certification_id
      LEFT JOIN members m ON m.id = dc.developer_id
     WHERE a.workspace_id = $1 AND a.target_type = 'member_certification'
       AND a.created_at >= $2::timestamptz AND a.created_at < $3::timestamptz
     ORDER BY a.seq`;
  await csvFile(
    c,
    'certifications/status-changes.csv',
    [
      'audit_seq',
      'changed_at',
      'action_type',
      'member_certification_id',
      'member_id',
      'member_email',
      'certification_name',
      'old_status',
      'new_status',
      'actor_id',
      'description',
    ],
    c.snap.rows<Row>(changes, [c.workspaceId, c.from, c.to]),
  );
}

export async function writeEscalations(c: SectionContext): Promise<void> {
  const sql = `
    SELECT e.id AS escalation_id, e.kind AS obligation_kind, e.obligation_id, e.level, e.target::text AS target,
           (SELECT string_agg(m.email, '; ' ORDER BY m.email) FROM members m
             WHERE m.workspace_id = $1
               AND m.id::text IN (SELECT jsonb_array_elements_text(e.target_member_ids))) AS target_emails,
           (SELECT string_agg(ch, '; ') FROM jsonb_array_elements_text(e.channels) ch) AS channels,
           e.fired_at, e.acknowledged_at, e.acknowledged_by_id, am.email AS acknowledged_by_email
      FROM escalations e
      ${members('am', 'e.acknowledged_by_id')}
     WHERE e.workspace_id = $1 AND e.fired_at >= $2::timestamptz AND e.fired_at < $3::timestamptz
     ORDER BY e.fired_at, e.id`;
  await csvFile(
    c,
    'escalations/escalations.csv',
    [
      'escalation_id',
      'obligation_kind',
      'obligation_id',
      'level',
      'target',
      'target_emails',
      'channels',
      'fired_at',
      'acknowledged_at',
      'acknowledged_by_id',
      'acknowledged_by_email',
    ],
    c.snap.rows<Row>(sql, [c.workspaceId, c.from, c.to]),
  );
}

/** How many items each section will write (for progress); evidence files are counted as named. */
export async function countItems(c: SectionContext, sections: readonly string[]): Promise<number> {
  const parts: Record<string, string> = {
    POLICIES: `(SELECT 2 * count(*) FROM (${APPROVED_VERSIONS}) v)`,
    ACKNOWLEDGEMENTS: `(SELECT count(*) FROM acknowledgement_requests WHERE workspace_id = $1
                         AND status = 'ACKNOWLEDGED' AND acknowledged_at >= $2::timestamptz AND acknowledged_at < $3::timestamptz)`,
    TRAINING: `(SELECT count(*) FROM training_assignments WHERE workspace_id = $1 AND created_at < $3::timestamptz
                  AND (completed_at IS NULL OR completed_at >= $2::timestamptz) AND (waived_at IS NULL OR waived_at >= $2::timestamptz))`,
    CERTIFICATIONS: `(SELECT count(*) FROM developer_certifications WHERE workspace_id = $1 AND issued_date < $3::timestamptz
                        AND (expiry_date IS NULL OR expiry_date >= $2::timestamptz) AND (revoked_at IS NULL OR revoked_at >= $2::timestamptz))
                     + (SELECT count(*) FROM audit_logs WHERE workspace_id = $1 AND target_type = 'member_certification'
                        AND created_at >= $2::timestamptz AND created_at < $3::timestamptz)`,
    REMINDERS: `(SELECT count(*) + coalesce(sum(jsonb_array_length(evidence_links)), 0) FROM reminder_instances
                  WHERE workspace_id = $1 AND status = 'COMPLETED' AND completed_at >= $2::timestamptz AND completed_at < $3::timestamptz)`,
    ESCALATIONS: `(SELECT count(*) FROM escalations WHERE workspace_id = $1 AND fired_at >= $2::timestamptz AND fired_at < $3::timestamptz)`,
    AUDIT_LOG: `(SELECT count(*) FROM audit_logs WHERE workspace_id = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz)`,
  };
  const expr = sections.map((s) => parts[s]).filter(Boolean);
  if (!expr.length) return 0;
  const [r] = await c.snap.query<{ n: string }>(`SELECT (${expr.join(' + ')})::bigint AS n`, [
    c.workspaceId,
    c.from,
    c.to,
  ]);
  return Number(r?.n ?? 0);
}
