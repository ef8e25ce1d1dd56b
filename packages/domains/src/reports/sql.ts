import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db';
import { OPEN_INSTANCE } from '../reminders/rules';
import { sqlIn } from '../sql-in';
import { OVERVIEW_EXPIRING_DAYS } from './rules';

type Row = Record<string, unknown>;
/** Small helpers over raw SQL rows, shared by the report queries. */
export const rows = async (db: Executor, q: SQL): Promise<Row[]> => (await db.execute(q)).rows as Row[];
export const num = (v: unknown): number => Number(v ?? 0);
export const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
export const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** A raw row with timestamps as ISO strings (column aliases are the JSON names). */
export const jsonRow = (r: Row): Row =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
export const counts = (rs: Row[]) => rs.map((r) => ({ status: String(r.status), n: num(r.n) }));

export const ASSIGNMENT = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'OVERDUE', 'WAIVED'] as const;
export const CERT = ['ACTIVE', 'EXPIRING_SOON', 'EXPIRED', 'REVOKED'] as const;
export const INSTANCE = [
  'PENDING',
  'NOTIFIED',
  'ACKNOWLEDGED',
  'COMPLETED',
  'SKIPPED',
  'ESCALATED',
  'OVERDUE',
] as const;
export const ACK = ['PENDING', 'ACKNOWLEDGED', 'OVERDUE', 'CANCELLED'] as const;
export const TICKET = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'CLOSED'] as const;
export const OPEN_INSTANCES = sqlIn(OPEN_INSTANCE);

export async function certExpiringDays(db: Executor, workspaceId: string): Promise<number> {
  const [r] = await rows(
    db,
    sql`SELECT cert_expiring_days FROM workspace_settings WHERE workspace_id = ${workspaceId}`,
  );
  return r ? num(r.cert_expiring_days) : OVERVIEW_EXPIRING_DAYS;
}
