// Links between documents and compliance entities, and the documents of one entity.
import type { AuthContext } from '@vigil/kernel/auth';
import { BadRequest, Conflict, NotFound } from '@vigil/kernel/errors';
import { and, asc, desc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import { certifications, developerCertifications } from '../certifications/schema';
import type { Db, Executor } from '../db';
import { tickets } from '../escalation/schema';
import { policies } from '../policies/schema';
import { questionnaires } from '../questionnaires/schema';
import { reminderInstances, reminders } from '../reminders/schema';
import { mandatoryTrainings, trainingAssignments } from '../training/schema';
import type { DocumentRow } from './api-schemas';
import { MAX_LINKS_PER_DOCUMENT } from './rules';
import { type DocumentStatus, documentLinks, documents, type LinkEntityType } from './schema';
import { lockForWrite } from './service';

export type LinkRow = typeof documentLinks.$inferSelect;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const one = async (rows: Promise<{ id: string }[]>) => (await rows).length > 0;

/** Whether the entity exists in the workspace (a deleted questionnaire does not). */
export async function entityExists(
  db: Executor,
  ws: string,
  type: LinkEntityType,
  id: string,
): Promise<boolean> {
  switch (type) {
    case 'REMINDER':
      return one(
        db
          .select({ id: reminders.id })
          .from(reminders)
          .where(and(eq(reminders.workspaceId, ws), eq(reminders.id, id))),
      );
    case 'REMINDER_INSTANCE':
      return one(
        db
          .select({ id: reminderInstances.id })
          .from(reminderInstances)
          .where(and(eq(reminderInstances.workspaceId, ws), eq(reminderInstances.id, id))),
      );
    case 'CERTIFICATION':
      return one(
        db
          .select({ id: certifications.id })
          .from(certifications)
          .where(and(eq(certifications.workspaceId, ws), eq(certifications.id, id))),
      );
    case 'DEVELOPER_CERTIFICATION':
      return one(
        db
          .select({ id: developerCertifications.id })
          .from(developerCertifications)
          .where(and(eq(developerCertifications.workspaceId, ws), eq(developerCertifications.id, id))),
      );
    case 'TRAINING':
      return one(
        db
          .select({ id: mandatoryTrainings.id })
          .from(mandatoryTrainings)
          .where(and(eq(mandatoryTrainings.workspaceId, ws), eq(mandatoryTrainings.id, id))),
      );
    case 'TRAINING_ASSIGNMENT':
      return one(
        db
          .select({ id: trainingAssignments.id })
          .from(trainingAssignments)
          .where(and(eq(trainingAssignments.workspaceId, ws), eq(trainingAssignments.id, id))),
      );
    case 'POLICY':
      return one(
        db
          .select({ id: policies.id })
          .from(policies)
          .where(and(eq(policies.workspaceId, ws), eq(policies.id, id))),
      );
    case 'QUESTIONNAIRE':
      return one(
        db
          .select({ id: questionnaires.id })
          .from(questionnaires)
          .where(
            and(
              eq(questionnaires.workspaceId, ws),
              eq(questionnaires.id, id),
              isNull(questionnaires.deletedAt),
            ),
          ),
      );
    case 'TICKET':
      return one(
        db
          .select({ id: tickets.id })
          .from(tickets)
          .where(and(eq(tickets.workspaceId, ws), eq(tickets.id, id))),
      );
  }
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
    .filter((d): d is string => typeof d === 'string' && UUID_RE.test(d));
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
): Promise<DocumentRow[]> {
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
  if (f.cursor) where.push(lt(documents.id, f.cursor));
  return db
    .select()
    .from(documents)
    .where(and(...where))
    .orderBy(desc(documents.id))
    .limit(f.limit + 1);
}
