// Tags on documents: add, remove, and the workspace's tags in use.
import type { AuthContext } from '@vigil/kernel/auth';
import { BadRequest, NotFound } from '@vigil/kernel/errors';
import { eq, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import { addTags, MAX_TAGS_PER_DOCUMENT, normalizeTag } from './rules';
import { documents } from './schema';
import { cleanTags, getWithVersions, lockForWrite } from './service';

/** Adds tags (normalized, deduplicated); more than the per-document limit is a 400. */
export async function tagDocument(db: Db, ctx: AuthContext, id: string, added: string[]) {
  const clean = cleanTags(added);
  await db.transaction(async (tx) => {
    const before = await lockForWrite(tx, ctx, id);
    const tags = addTags(before.tags, clean);
    if (!tags) {
      throw new BadRequest(`A document carries at most ${MAX_TAGS_PER_DOCUMENT} tags`, [
        { field: 'body.tags', message: `At most ${MAX_TAGS_PER_DOCUMENT} tags per document` },
      ]);
    }
    if (tags.length === before.tags.length) return;
    await tx.update(documents).set({ tags, updatedAt: new Date() }).where(eq(documents.id, id));
    await audit(tx, ctx, {
      action: 'DOCUMENT_UPDATED',
      targetType: 'document',
      targetId: id,
      oldValue: { tags: before.tags },
      newValue: { tags },
    });
  });
  return getWithVersions(db, ctx.workspaceId, id);
}

/** Removes one tag; a tag the document does not carry is a 404. */
export async function untagDocument(db: Db, ctx: AuthContext, id: string, raw: string) {
  const tag = normalizeTag(raw);
  await db.transaction(async (tx) => {
    const before = await lockForWrite(tx, ctx, id);
    if (!tag || !before.tags.includes(tag)) throw new NotFound(`Tag "${raw}" on document`, id);
    const tags = before.tags.filter((t) => t !== tag);
    await tx.update(documents).set({ tags, updatedAt: new Date() }).where(eq(documents.id, id));
    await audit(tx, ctx, {
      action: 'DOCUMENT_UPDATED',
      targetType: 'document',
      targetId: id,
      oldValue: { tags: before.tags },
      newValue: { tags },
    });
  });
  return getWithVersions(db, ctx.workspaceId, id);
}

/** Tags in use on the workspace's documents that are not deleted, with how many carry each. */
export async function workspaceTags(db: Executor, ws: string, limit: number) {
  const res = await db.execute<{ tag: string; count: number }>(sql`
    SELECT t.tag, count(*)::int AS count
    FROM ${documents} d, jsonb_array_elements_text(d.tags) AS t(tag)
    WHERE d.workspace_id = ${ws} AND d.status <> 'DELETED'
    GROUP BY t.tag
    ORDER BY t.tag
    LIMIT ${limit}`);
  return res.rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
}
