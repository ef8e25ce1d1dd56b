// Asking for a version's metadata extraction again (after a FAILED one, a limit raised or a
// summariser configured): one transaction resets the version to PENDING, queues its workflow
// command and writes the audit entry; the relay then starts document/<version id> again.
import type { AuthContext } from '@vigil/kernel/auth';
import { Conflict, NotFound } from '@vigil/kernel/errors';
import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db } from '../db';
import type { DocumentWithVersions } from './api-schemas';
import { documentVersions } from './schema';
import { getWithVersions, lockForWrite } from './service';
import { DOCUMENT_EXTRACTION_KIND } from './signals';

export async function requestExtraction(
  db: Db,
  ctx: AuthContext,
  documentId: string,
  version: number,
): Promise<DocumentWithVersions> {
  await db.transaction(async (tx) => {
    await lockForWrite(tx, ctx, documentId);
    const [v] = await tx
      .select()
      .from(documentVersions)
      .where(and(eq(documentVersions.documentId, documentId), eq(documentVersions.version, version)))
      .for('update');
    if (!v) throw new NotFound('Version', String(version));
    if (v.extractionStatus === 'PENDING') {
      throw new Conflict(`Version ${version} is already waiting for its extraction`, [
        { field: 'path.version', message: 'Extraction is PENDING' },
      ]);
    }
    await tx
      .update(documentVersions)
      .set({ extractionStatus: 'PENDING', extractionError: null, metadata: null, extractedAt: null })
      .where(eq(documentVersions.id, v.id));
    await tx.execute(sql`
      INSERT INTO workflow_commands (id, workspace_id, kind, obligation_id, action, task_queue)
      VALUES (gen_random_uuid(), ${ctx.workspaceId}, ${DOCUMENT_EXTRACTION_KIND}, ${v.id}, 'START',
              coalesce(nullif(current_setting('vigil.task_queue', true), ''), 'vigil'))`);
    await audit(tx, ctx, {
      action: 'DOCUMENT_UPDATED',
      targetType: 'document',
      targetId: documentId,
      oldValue: {
        version,
        version_id: v.id,
        extraction_status: v.extractionStatus,
        extraction_error: v.extractionError,
      },
      newValue: { version, version_id: v.id, extraction_status: 'PENDING' },
      description: `Metadata extraction of version ${version} requested again`,
    });
  });
  return getWithVersions(db, ctx.workspaceId, documentId);
}

/**
 * Safety net (hourly sweep): a version still PENDING an hour after it was stored, with no
 * command waiting, gets its extraction command queued again. The start is USE_EXISTING, so a
 * running extraction is left alone; a finished one runs again and records the version.
 */
export async function requeuePendingExtractions(db: Db): Promise<{ queued: number }> {
  const r = await db.execute(sql`
    INSERT INTO workflow_commands (id, workspace_id, kind, obligation_id, action, task_queue)
    SELECT gen_random_uuid(), v.workspace_id, ${DOCUMENT_EXTRACTION_KIND}, v.id, 'START',
           coalesce(nullif(current_setting('vigil.task_queue', true), ''), 'vigil')
      FROM document_versions v
     WHERE v.extraction_status = 'PENDING'
       AND v.created_at < now() - interval '1 hour'
       AND NOT EXISTS (SELECT 1 FROM workflow_commands c
                        WHERE c.kind = ${DOCUMENT_EXTRACTION_KIND} AND c.obligation_id = v.id)
     LIMIT 10000`);
  return { queued: r.rowCount ?? 0 };
}
