import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../db';
import { escalations } from '../escalation/schema';
import { members } from '../people/schema';
import { type FiredEscalation, qualified } from './kinds';
import type { ObligationView } from './service';

type FiredJson = Array<{ level: string; fired_at: number; acknowledged: boolean; notified: string[] }>;

/** Each escalation fired, as one JSON array: level, fired_at (epoch ms), acknowledged, notified. */
const firedJson = (kind: string, id: PgColumn | SQL) => sql`
  (SELECT coalesce(json_agg(json_build_object(
            'level', e.level, 'fired_at', (extract(epoch from e.fired_at) * 1000)::float8,
            'acknowledged', e.acknowledged_at IS NOT NULL,
            'notified', array(SELECT coalesce(m.name, t.id)
                                FROM jsonb_array_elements_text(coalesce(e.target_member_ids, '[]'::jsonb))
                                     WITH ORDINALITY AS t(id, n)
                                LEFT JOIN ${members} m ON m.id = t.id::uuid
                               ORDER BY t.n)) ORDER BY e.level), '[]')
     FROM ${escalations} e WHERE e.kind = ${kind} AND e.obligation_id = ${id})`;

/**
 * What withPeople adds, as columns of a kind's own row select (`id` its id column, `owner` the
 * owner's id), so a load needs no second statement; `peopleOf` reads them back.
 */
export const peopleColumns = (kind: string, id: PgColumn, owner: PgColumn | SQL) => ({
  fired: sql<FiredJson>`${firedJson(kind, qualified(id))}`,
  ownerName: sql<string | null>`(SELECT m.name FROM ${members} m WHERE m.id = ${owner})`,
});

export function peopleOf(row: { fired: FiredJson; ownerName: string | null }): {
  ownerName: string | null;
  escalations: FiredEscalation[];
} {
  return {
    ownerName: row.ownerName,
    escalations: row.fired.map((f) => ({
      level: f.level,
      firedAt: Math.floor(f.fired_at),
      notified: f.notified ?? [],
      acknowledged: f.acknowledged === true,
    })),
  };
}

/**
 * Adds what operators read in the Web UI to views of one kind: the owner's name and, per
 * escalation fired, whom it notified. One statement for any number of views.
 */
export async function withPeople(db: Executor, views: ObligationView[]): Promise<void> {
  const kind = views[0]?.kind;
  if (!kind) return;
  // Postgres array literals: the ids are uuids from our own rows (an owner may be NULL).
  const array = (xs: Array<string | null>) => `{${xs.map((x) => x ?? 'NULL').join(',')}}`;
  // One statement: per view, the escalations fired (oldest level first) with the names they
  // notified, and the owner's name, as a load reads them (peopleColumns).
  const res = await db.execute<{ id: string; fired: FiredJson; owner_name: string | null }>(sql`
    SELECT v.id, ${firedJson(kind, sql`v.id`)} AS fired,
           (SELECT m.name FROM ${members} m WHERE m.id = v.owner) AS owner_name
      FROM unnest(${array(views.map((v) => v.id))}::uuid[], ${array(views.map((v) => v.ownerId ?? null))}::uuid[])
           AS v(id, owner)`);
  const byId = new Map(res.rows.map((r) => [r.id, peopleOf({ fired: r.fired, ownerName: r.owner_name })]));
  for (const v of views) {
    const people = byId.get(v.id);
    v.ownerName = v.ownerId ? (people?.ownerName ?? null) : null;
    v.escalations = people?.escalations ?? [];
  }
}
