// Links between documents and compliance entities, and the documents of one entity.
import type { AuthContext } from '@vigil/kernel/auth';
import { BadRequest, Conflict, NotFound } from '@vigil/kernel/errors';
import type { Page } from '@vigil/kernel/pagination';
import { and, asc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import { certifications, developerCertifications } from '../certifications/schema';
import type { Db, Executor } from '../db';
import { tickets } from '../escalation/schema';
import { listPage } from '../paging';
import { policies } from '../policies/schema';
import { questionnaires } from '../questionnaires/schema';
import { existingIds, isUuid, type WorkspaceRows, workspaceRows } from '../refs';
import { reminderInstances, reminders } from '../reminders/schema';
import { mandatoryTrainings, trainingAssignments } from '../training/schema';
import type { DocumentRow } from './api-schemas';
import { MAX_LINKS_PER_DOCUMENT } from './rules';
import { type DocumentStatus, documentLinks, documents, type LinkEntityType } from './schema';
import { lockForWrite } from './service';

export type LinkRow = typeof documentLinks.$inferSelect;

/** Where each linkable entity lives (a deleted questionnaire does not count). */
const LINK_ROWS: Record<LinkEntityType, WorkspaceRows> = {
  REMINDER: workspaceRows(reminders, 'reminder'),
  REMINDER_INSTANCE: workspaceRows(reminderInstances, 'reminder instance'),
  CERTIFICATION: workspaceRows(certifications, 'certification'),
  DEVELOPER_CERTIFICATION: workspaceRows(developerCertifications, 'member certification'),
  TRAINING: workspaceRows(mandatoryTrainings, 'training'),
  TRAINING_ASSIGNMENT: workspaceRows(trainingAssignments, 'training assignment'),
  POLICY: workspaceRows(policies, 'policy'),
  QUESTIONNAIRE: workspaceRows(questionnaires, 'questionnaire', isNull(questionnaires.deletedAt)),
  TICKET: workspaceRows(tickets, 'ticket'),
};

/** Whether the entity exists in the workspace (a deleted questionnaire does not). */
export async function entityExists(
  db: Executor,
  ws: string,
  type: LinkEntityType,
  id: string,
): Promise<boolean> {
  return (await existingIds(db, ws, LINK_ROWS[type], [id])).has(id);
}

export async function addLink(
  db: Db,
  ctx: AuthContext,
  docId: string,
  input: { entity_type: LinkEntityType; entity_id: string },
): Promise<LinkRow> {
  return db.transaction(async (tx) => {
    await lockForWrite(tx, ctx, docId);
    if (!(await entityExists(tx, ctx.workspaceId, input.entity_type, input.entity_id))) {
      throw new BadRequest(`body.entity_id: no ${input.entity_type} ${input.entity_id} in this workspace`, [
        { field: 'body.entity_id', message: `No such ${input.entity_type} in this workspace` },
      ]);
    }
    const existing = await tx
      .select({
        id: documentLinks.id,
        entityType: documentLinks.entityType,
        entityId: documentLinks.entityId,
      })
      .from(documentLinks)
      .where(eq(documentLinks.documentId, docId));
    if (existing.some((l) => l.entityType === input.entity_type && l.entityId === input.entity_id)) {
      throw new Conflict('The document is already linked to this entity', [
        { field: 'body.entity_id', message: 'Already linked' },
      ]);
    }
    if (existing.length >= MAX_LINKS_PER_DOCUMENT) {
      throw new Conflict(`A document has at most ${MAX_LINKS_PER_DOCUMENT} links`, [
        { field: 'path.doc_id', message: 'Too many links' },
      ]);
    }
    const [row] = await tx
      .insert(documentLinks)
      .values({
        workspaceId: ctx.workspaceId,
        documentId: docId,
        entityType: input.entity_type,
        entityId: input.entity_id,
        createdById: ctx.via === 'SYSTEM' ? null : ctx.memberId,
      })
      .returning();
    if (!row) throw new Error('link insert returned nothing');
    await audit(tx, ctx, {
      action: 'DOCUMENT_LINKED',
      targetType: 'document',
      targetId: docId,
      newValue: { link_id: row.id, entity_type: row.entityType, entity_id: row.entityId },
    });
    return row;
  });
}

export async function listLinks(db: Executor, ws: string, docId: string): Promise<LinkRow[]> {
  const [doc] = await db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.workspaceId, ws), eq(documents.id, docId)));
  if (!doc) throw new NotFound('Document', docId);
  return db
    .select()
    .from(documentLinks)
    .where(and(eq(documentLinks.workspaceId, ws), eq(documentLinks.documentId, docId)))
    .orderBy(asc(documentLinks.id));
}

export async function removeLink(db: Db, ctx: AuthContext, docId: string, linkId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockForWrite(tx, ctx, docId);
    const [gone] = await tx
      .delete(documentLinks)
      .where(
        and(
          eq(documentLinks.workspaceId, ctx.workspaceId),
          eq(documentLinks.documentId, docId),
          eq(documentLinks.id, linkId),
        ),
      )
      .returning();
    if (!gone) throw new NotFound('Link', linkId);
    await audit(tx, ctx, {
      action: 'DOCUMENT_UNLINKED',
      targetType: 'document',
      targetId: docId,
      oldValue: { link_id: gone.id, entity_type: gone.entityType, entity_id: gone.entityId },
    });
  });
}

/** Document ids a reminder instance names in its evidence links (set when it was completed). */
async function evidenceDocumentIds(db: Executor, ws: string, instanceId: string): Promise<string[]> {
  const [row] = await db
    .select({ evidence: reminderInstances.evidenceLinks })
    .from(reminderInstances)
    .where(and(eq(reminderInstances.workspaceId, ws), eq(reminderInstances.id, instanceId)));
  return (row?.evidence ?? [])
    .map((e) => e.document_id)
    .filter((d): d is string => typeof d === 'string' && isUuid(d));
}

/**
 * Documents linked to an entity, newest first; for a reminder instance also the
 * documents its completion evidence names. Deleted documents only when asked for
 * by status. An entity that does not exist in the workspace is a 404.
 */
export async function documentsForEntity(
  db: Executor,
  ws: string,
  type: LinkEntityType,
  entityId: string,
  f: { status?: DocumentStatus; limit: number; cursor?: string },
): Promise<Page<DocumentRow>> {
  if (!(await entityExists(db, ws, type, entityId))) throw new NotFound(type, entityId);
  const linked = db
    .select({ id: documentLinks.documentId })
    .from(documentLinks)
    .where(
      and(
        eq(documentLinks.workspaceId, ws),
        eq(documentLinks.entityType, type),
        eq(documentLinks.entityId, entityId),
      ),
    );
  const evidence = type === 'REMINDER_INSTANCE' ? await evidenceDocumentIds(db, ws, entityId) : [];
  const where = [
    eq(documents.workspaceId, ws),
    evidence.length
      ? (or(inArray(documents.id, linked), inArray(documents.id, evidence)) ?? sql`false`)
      : inArray(documents.id, linked),
    f.status ? eq(documents.status, f.status) : ne(documents.status, 'DELETED'),
  ];
  return listPage(db, documents, where, f);
}
