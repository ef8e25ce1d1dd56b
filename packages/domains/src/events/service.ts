import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Executor } from '../db';
import { listPage } from '../paging';
import type { NewEvent } from './rules';
import { events } from './schema';

export type EventRow = typeof events.$inferSelect;

/**
 * Inserts events in the caller's transaction; a repeat of (type, subject, day, dedupe key) is
 * ignored. Returns the ids inserted.
 */
export async function emitEvents(tx: Executor, list: NewEvent[]): Promise<string[]> {
  if (!list.length) return [];
  const ids: string[] = [];
  for (let i = 0; i < list.length; i += 1000) {
    const rows = await eventInsert(tx, list.slice(i, i + 1000)).returning({ id: events.id });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** The insert of up to 1,000 events (a repeated dedupe key is skipped), for a caller to run or embed. */
export function eventInsert(tx: Executor, list: NewEvent[]) {
  return tx
    .insert(events)
    .values(
      list.map((e) => ({
        workspaceId: e.workspaceId,
        type: e.type,
        entityType: e.subjectType,
        entityId: e.subjectId,
        payload: e.payload,
        dedupeKey: e.dedupeKey ?? '',
      })),
    )
    .onConflictDoNothing();
}

export interface EventFilter {
  type?: string[];
  subject_type?: string;
  subject_id?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

/** The workspace's events, newest first. */
export async function listEvents(db: Executor, workspaceId: string, f: EventFilter) {
  const where = [eq(events.workspaceId, workspaceId)];
  if (f.type?.length) where.push(inArray(events.type, f.type));
  if (f.subject_type) where.push(eq(events.entityType, f.subject_type));
  if (f.subject_id) where.push(eq(events.entityId, f.subject_id));
  if (f.from) where.push(gte(events.createdAt, f.from));
  if (f.to) where.push(lte(events.createdAt, f.to));
  return listPage(db, events, where, f);
}

export async function getEvent(db: Executor, workspaceId: string, id: string): Promise<EventRow | null> {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), eq(events.id, id)));
  return row ?? null;
}

/** The event as the API and webhooks show it. */
export const eventJson = (e: EventRow) => ({
  id: e.id,
  type: e.type,
  occurred_at: e.createdAt.toISOString(),
  workspace_id: e.workspaceId,
  subject: { type: e.entityType, id: e.entityId },
  payload: e.payload,
});
