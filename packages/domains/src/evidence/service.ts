// Evidence packs: request one (the row, its START command and its audit entry in one
// transaction), read them, and sign the download of a READY pack.
import { randomUUID } from 'node:crypto';
import type { AuthContext } from '@vigil/kernel/auth';
import { BadRequest } from '@vigil/kernel/errors';
import { newId } from '@vigil/kernel/ids';
import { iso } from '@vigil/kernel/serialize';
import { eq, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { requireStorage } from '../documents/storage';
import { listPage, type PageArgs } from '../paging';
import { downloadName, normalizeSections, type PackSection, periodErrors } from './rules';
import { evidencePacks } from './schema';
import { EVIDENCE_PACK_KIND } from './signals';

export type PackRow = typeof evidencePacks.$inferSelect;
type StorageConfig = Parameters<typeof requireStorage>[0];

export interface PackRequest {
  from: string;
  to: string;
  include?: PackSection[];
}

/**
 * Records a pack request: the PENDING row, the START command of its `evidence_pack/<id>`
 * workflow (workflow_commands, delivered by the command relay after commit) and the audit
 * entry, in one transaction. Storage must be configured (else 503, before anything is written).
 */
export async function requestPack(
  db: Db,
  config: StorageConfig,
  ctx: AuthContext,
  input: PackRequest,
): Promise<PackRow> {
  requireStorage(config);
  const from = new Date(input.from);
  const to = new Date(input.to);
  const errors = periodErrors(from, to, new Date());
  if (errors.length) throw new BadRequest('The period is not valid', errors);
  const sections = normalizeSections(input.include);
  const id = newId();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(evidencePacks)
      .values({
        id,
        workspaceId: ctx.workspaceId,
        requestedById: ctx.via === 'SYSTEM' ? null : ctx.memberId,
        periodFrom: from,
        periodTo: to,
        include: sections,
      })
      .returning();
    if (!row) throw new Error('evidence pack not written');
    await queueStart(tx, ctx.workspaceId, id);
    await audit(tx, ctx, {
      action: 'EVIDENCE_PACK_REQUESTED',
      targetType: 'evidence_pack',
      targetId: id,
      newValue: { period_from: from.toISOString(), period_to: to.toISOString(), include: sections },
      description: `Evidence pack requested for ${from.toISOString()} to ${to.toISOString()}`,
    });
    return row;
  });
}

/** The durable START: the same outbox the obligation triggers write (drizzle/0009_reliability.sql). */
async function queueStart(tx: Executor, workspaceId: string, packId: string): Promise<void> {
  await tx.execute(sql`
    INSERT INTO workflow_commands (id, workspace_id, kind, obligation_id, action, task_queue)
    VALUES (${randomUUID()}, ${workspaceId}, ${EVIDENCE_PACK_KIND}, ${packId}, 'START',
            coalesce(nullif(current_setting('vigil.task_queue', true), ''), 'vigil'))`);
}

export async function getPack(db: Executor, workspaceId: string, id: string): Promise<PackRow> {
  return findInWorkspace(db, evidencePacks, 'Evidence pack', workspaceId, id);
}

export function listPacks(db: Executor, workspaceId: string, f: PageArgs) {
  return listPage(db, evidencePacks, [eq(evidencePacks.workspaceId, workspaceId)], f);
}

/** The API shape of a pack; a READY one carries a presigned download URL. */
export async function packJson(row: PackRow, config: StorageConfig) {
  const ready = row.status === 'READY' && row.storageKey !== null;
  const url =
    ready && row.storageKey
      ? await requireStorage(config).presignGet(row.storageKey, downloadName(row.periodFrom, row.periodTo))
      : null;
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    requested_by_id: row.requestedById,
    from: row.periodFrom.toISOString(),
    to: row.periodTo.toISOString(),
    include: row.include,
    status: row.status,
    progress: { done: row.itemsDone, total: row.itemsTotal },
    size_bytes: row.sizeBytes,
    sha256: row.sha256,
    error: row.error,
    download_url: url,
    started_at: iso(row.startedAt),
    completed_at: iso(row.completedAt),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
