import type { AuthContext } from '@vigil/kernel/auth';
import { beforeCommit } from '@vigil/kernel/db';
import { newId } from '@vigil/kernel/ids';
import { and, asc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { type Executor, executeTogether } from '../db';
import { eventsFromAudit } from '../events/rules';
import { emitEvents, eventInsert } from '../events/service';
import { filterEquals, listPage } from '../paging';
import { type AuditAction, firstBrokenSeq } from './rules';
import { auditChainHeads, auditLogs, auditPending } from './schema';

export interface AuditEntry {
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
  description?: string;
}

type Actor = Pick<AuthContext, 'workspaceId' | 'memberId' | 'ip' | 'userAgent' | 'via'>;

const actorIdOf = (ctx: Actor) => (ctx.via === 'SYSTEM' ? null : ctx.memberId);

type AuditRow = typeof auditPending.$inferInsert;
/** Entries queued in each open transaction, inserted together at its end. */
const queuedIn = new WeakMap<object, AuditRow[]>();

/**
 * Inserts audit rows and, in the same transaction, the events they emit (events/rules.ts).
 * The rows go to audit_pending, which the commit moves into the chain (schema.ts): with their
 * events in one statement, or, past 1,000 events, events first and then the entries.
 */
const insertRows = async (db: Executor, rows: AuditRow[]) => {
  const emitted = emittedBy(rows);
  const together = statementsFor(db, rows, emitted);
  if (together) {
    await executeTogether(db, together);
    return;
  }
  await emitEvents(db, emitted);
  await db.execute(pendingInsert(rows));
};

/** The events' insert (if any), then the entries'; null when the events are too many for one statement. */
const statementsFor = (
  db: Executor,
  rows: AuditRow[],
  emitted: ReturnType<typeof emittedBy>,
): SQL[] | null =>
  emitted.length > 1000
    ? null
    : [...(emitted.length ? [eventInsert(db, emitted).getSQL()] : []), pendingInsert(rows)];

/**
 * The entries' insert: each column goes as one array parameter, unnested in order, so the
 * statement's text stays small however many rows it carries (a bulk assignment of 10,000
 * members writes 10,000 entries). Its first row queues the move into the chain at commit.
 */
const pendingInsert = (rows: AuditRow[]): SQL => {
  const column = (pick: (r: AuditRow, i: number) => unknown) => sql.param(rows.map(pick));
  const json = (v: unknown) => (v == null ? null : JSON.stringify(v));
  return sql`
    INSERT INTO ${auditPending} (lead, id, workspace_id, actor_id, action_type, target_type, target_id,
                                 old_value, new_value, description, ip_address, user_agent)
    SELECT * FROM unnest(
      ${column((_, i) => i === 0)}::boolean[], ${column((r) => r.id)}::uuid[],
      ${column((r) => r.workspaceId)}::uuid[], ${column((r) => r.actorId ?? null)}::uuid[],
      ${column((r) => r.actionType)}::text[], ${column((r) => r.targetType)}::text[],
      ${column((r) => r.targetId ?? null)}::text[], ${column((r) => json(r.oldValue))}::jsonb[],
      ${column((r) => json(r.newValue))}::jsonb[], ${column((r) => r.description ?? null)}::text[],
      ${column((r) => r.ipAddress ?? null)}::text[], ${column((r) => r.userAgent ?? null)}::text[])`;
};

/**
 * Writes audit entries inside the caller's transaction, so the change and its record
 * commit together or not at all. The database assigns seq and hashes when the transaction
 * commits (drizzle/0018_audit_chain_at_commit.sql). In a transaction, the entries are
 * inserted together at its end, in one statement with the events they emit.
 */
export async function audit(tx: Executor, ctx: Actor, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (!list.length) return;
  const rows = rowsOf(ctx, list);
  const queued = queuedIn.get(tx);
  if (queued) {
    queued.push(...rows);
    return;
  }
  const buffer = [...rows];
  if (beforeCommit(tx, () => insertRows(tx, buffer))) queuedIn.set(tx, buffer);
  else await insertRows(tx, rows);
}

/**
 * The entries' insert and that of the events they emit, as data-modifying statements for the
 * caller to run as part of one statement of its own (the engine's step writes its escalation,
 * outbox rows and audit entries together). Null when their events are too many for one
 * statement: then the caller calls audit(). Like audit(), the commit moves them into the chain.
 */
export function auditStatements(tx: Executor, ctx: Actor, entries: AuditEntry[]): SQL[] | null {
  const rows = rowsOf(ctx, entries);
  return rows.length ? statementsFor(tx, rows, emittedBy(rows)) : [];
}

const emittedBy = (rows: AuditRow[]) =>
  rows.flatMap((r) =>
    eventsFromAudit({
      id: r.id,
      workspaceId: r.workspaceId,
      actorId: r.actorId ?? null,
      actionType: r.actionType,
      targetType: r.targetType,
      targetId: r.targetId ?? null,
      newValue: r.newValue,
    }),
  );

function rowsOf(ctx: Actor, list: AuditEntry[]): AuditRow[] {
  return list.map((e) => ({
    id: newId(),
    workspaceId: ctx.workspaceId,
    actorId: actorIdOf(ctx),
    actionType: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    oldValue: e.oldValue ?? null,
    newValue: e.newValue ?? null,
    description: e.description ?? null,
    ipAddress: ctx.ip,
    userAgent: ctx.userAgent,
  }));
}

export interface AuditFilter {
  action_type?: string;
  target_type?: string;
  target_id?: string;
  actor_id?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

export async function listAudit(db: Executor, workspaceId: string, f: AuditFilter) {
  const where = [eq(auditLogs.workspaceId, workspaceId)];
  where.push(
    ...filterEquals(f, {
      action_type: auditLogs.actionType,
      target_type: auditLogs.targetType,
      target_id: auditLogs.targetId,
      actor_id: auditLogs.actorId,
    }),
  );
  if (f.from) where.push(gte(auditLogs.createdAt, f.from));
  if (f.to) where.push(lte(auditLogs.createdAt, f.to));
  return listPage(db, auditLogs, where, f);
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  head_seq: number;
  first_broken_seq: number | null;
  reason: string | null;
}

/** Recomputes the workspace's chain in seq order, in batches, and reports the first broken seq. */
export async function verifyChain(db: Executor, workspaceId: string, batch = 5000): Promise<VerifyResult> {
  const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.workspaceId, workspaceId));
  let prev = { seq: 0, hash: '' };
  let count = 0;
  for (;;) {
    const rows = await db
      .select({
        seq: auditLogs.seq,
        prevHash: auditLogs.prevHash,
        hash: auditLogs.hash,
        recomputed: sql<string>`audit_entry_hash(${auditLogs.prevHash}, ${auditLogs.seq}, ${auditLogs.id},
          ${auditLogs.workspaceId}, ${auditLogs.actorId}, ${auditLogs.actionType}, ${auditLogs.targetType},
          ${auditLogs.targetId}, ${auditLogs.oldValue}, ${auditLogs.newValue}, ${auditLogs.description},
          ${auditLogs.ipAddress}, ${auditLogs.userAgent}, ${auditLogs.createdAt})`,
      })
      .from(auditLogs)
      .where(and(eq(auditLogs.workspaceId, workspaceId), sql`${auditLogs.seq} > ${prev.seq}`))
      .orderBy(asc(auditLogs.seq))
      .limit(batch);
    const broken = firstBrokenSeq(rows, prev);
    if (broken) {
      return {
        ok: false,
        entries: count,
        head_seq: head?.seq ?? 0,
        first_broken_seq: broken.seq,
        reason: broken.reason,
      };
    }
    count += rows.length;
    const last = rows[rows.length - 1];
    if (last) prev = { seq: last.seq, hash: last.hash };
    if (rows.length < batch) break;
  }
  const headSeq = head?.seq ?? 0;
  if (headSeq !== prev.seq) {
    // Entries after the last readable one were removed (the head remembers them).
    return {
      ok: false,
      entries: count,
      head_seq: headSeq,
      first_broken_seq: prev.seq + 1,
      reason: 'MISSING_TAIL',
    };
  }
  return { ok: true, entries: count, head_seq: headSeq, first_broken_seq: null, reason: null };
}
