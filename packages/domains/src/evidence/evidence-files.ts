// The reminders section: instances completed in the period, their evidence files copied
// from S3 (streamed, one at a time, each hash compared with the one recorded at upload).
import type { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { evidencePath } from './rules';
import { csvFile, members, type Row, type SectionContext, t } from './sections';

const COMPLETED_INSTANCES = `
  SELECT ri.id, ri.reminder_id, r.title, r.control_id, r.domain, ri.due_date, ri.assigned_owner_id,
         om.email AS owner_email, ri.completed_at, ri.completed_by_id, cm.email AS completed_by_email,
         ri.completed_notes, ri.evidence_links
    FROM reminder_instances ri
    JOIN reminders r ON r.id = ri.reminder_id
    ${members('om', 'ri.assigned_owner_id')}
    ${members('cm', 'ri.completed_by_id')}
   WHERE ri.workspace_id = $1 AND ri.status = 'COMPLETED' AND ri.completed_at >= $2::timestamptz AND ri.completed_at < $3::timestamptz
   ORDER BY ri.completed_at, ri.id`;

interface EvidenceDoc {
  document_id: string;
  version: number;
  file_name: string;
  storage_key: string;
  sha256: string;
}

/** The documents an instance's completion names (evidence links and document links), at their version then. */
async function evidenceOf(c: SectionContext, instance: Row): Promise<EvidenceDoc[]> {
  const links = (instance.evidence_links as Array<{ document_id?: string }> | null) ?? [];
  const named = links.flatMap((l) => (l.document_id ? [l.document_id] : []));
  return c.snap.query<EvidenceDoc>(
    `SELECT DISTINCT ON (d.id) d.id AS document_id, dv.version, dv.file_name, dv.storage_key, dv.sha256
       FROM documents d JOIN document_versions dv ON dv.document_id = d.id
      WHERE d.workspace_id = $1
        AND (d.id = ANY($2::uuid[]) OR d.id IN (
              SELECT document_id FROM document_links
               WHERE workspace_id = $1 AND entity_type = 'REMINDER_INSTANCE' AND entity_id = $3::uuid))
      ORDER BY d.id, (dv.created_at <= $4::timestamptz) DESC,
               CASE WHEN dv.created_at <= $4::timestamptz THEN dv.version ELSE -dv.version END DESC`,
    [c.workspaceId, named, instance.id, instance.completed_at],
  );
}

/** Evidence files first (copied from S3, streamed), then instances.csv naming them. */
export async function writeReminders(c: SectionContext): Promise<void> {
  const args = [c.workspaceId, c.from, c.to];
  for await (const inst of c.snap.rows<Row>(COMPLETED_INSTANCES, args, 200)) {
    for (const doc of await evidenceOf(c, inst)) {
      const path = evidencePath(String(inst.id), doc.document_id, doc.version, doc.file_name);
      const body = await c.storage.client
        .send(new GetObjectCommand({ Bucket: c.storage.bucket, Key: doc.storage_key }))
        .then((r) => r.Body as Readable)
        .catch((err: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
          if (err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) return null;
          throw err;
        });
      if (!body) {
        c.missing.push({
          instance_id: String(inst.id),
          document_id: doc.document_id,
          storage_key: doc.storage_key,
        });
      } else {
        const file = await c.zip.add(path, body);
        if (file.sha256 !== doc.sha256)
          c.mismatched.push({ path, recorded_sha256: doc.sha256, sha256: file.sha256 });
      }
      await c.tick();
    }
  }
  const rows = async function* () {
    for await (const inst of c.snap.rows<Row>(COMPLETED_INSTANCES, args, 200)) {
      const docs = await evidenceOf(c, inst);
      const links = (inst.evidence_links as Array<{ url?: string }> | null) ?? [];
      yield {
        instance_id: inst.id,
        reminder_id: inst.reminder_id,
        title: inst.title,
        control_id: inst.control_id,
        domain: inst.domain,
        due_date: t(inst.due_date),
        owner_id: inst.assigned_owner_id,
        owner_email: inst.owner_email,
        completed_at: t(inst.completed_at),
        completed_by_id: inst.completed_by_id,
        completed_by_email: inst.completed_by_email,
        notes: inst.completed_notes,
        evidence_files: docs
          .map((d) => evidencePath(String(inst.id), d.document_id, d.version, d.file_name))
          .join('; '),
        evidence_urls: links.flatMap((l) => (l.url ? [l.url] : [])).join('; '),
      };
    }
  };
  await csvFile(
    c,
    'reminders/instances.csv',
    [
      'instance_id',
      'reminder_id',
      'title',
      'control_id',
      'domain',
      'due_date',
      'owner_id',
      'owner_email',
      'completed_at',
      'completed_by_id',
      'completed_by_email',
      'notes',
      'evidence_files',
      'evidence_urls',
    ],
    rows(),
  );
}
