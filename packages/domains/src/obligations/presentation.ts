import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../db';
import { escalations } from '../escalation/schema';
import { members } from '../people/schema';
import { qualified } from './kinds';
import type { ObligationView } from './service';

type Fired = NonNullable<ObligationView['escalations']>;

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
  fired: sql<
    Array<{ level: string; fired_at: number; acknowledged: boolean; notified: string[] }>
  >`${firedJson(kind, qualified(id))}`,
  ownerName: sql<string | null>`(SELECT m.name FROM ${members} m WHERE m.id = ${owner})`,
});

export function peopleOf(row: {
  fired: Array<{ level: string; fired_at: number; acknowledged: boolean; notified: string[] }>;
  ownerName: string | null;
}): { ownerName: string | null; escalations: Fired } {
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
 * escalation fired, whom it notified. Two statements for any number of views.
 */
export async function withPeople(db: Executor, views: ObligationView[]): Promise<void> {
  const kind = views[0]?.kind;
  if (!kind) return;
  const uuids = (ids: string[]) => `{${[...new Set(ids)].join(',')}}`;
  const owners = views.flatMap((v) => (v.ownerId ? [v.ownerId] : []));
  // One statement: the escalations fired (oldest level first) with their targets' names, and the owners' names.
  const res = await db.execute<{
    obligation_id: string | null;
    level: string | null;
    fired_at: number | null;
    acknowledged: boolean | null;
    notified: string[] | null;
    owner_id: string | null;
    owner_name: string | null;
  }>(sql`
    SELECT e.obligation_id, e.level, (extract(epoch from e.fired_at) * 1000)::float8 AS fired_at, e.acknowledged_at IS NOT NULL AS acknowledged,
           array(SELECT coalesce(m.name, t.id)
                   FROM jsonb_array_elements_text(coalesce(e.target_member_ids, '[]'::jsonb))
                        WITH ORDINALITY AS t(id, n)
                   LEFT JOIN ${members} m ON m.id = t.id::uuid
                  ORDER BY t.n) AS notified,
           NULL::uuid AS owner_id, NULL::text AS owner_name
      FROM ${escalations} e
     WHERE e.kind = ${kind} AND e.obligation_id = ANY(${uuids(views.map((v) => v.id))}::uuid[])
    UNION ALL
    SELECT NULL, NULL, NULL, NULL, NULL, m.id, m.name FROM ${members} m
     WHERE m.id = ANY(${uuids(owners)}::uuid[])
    ORDER BY 2`);
  const names = new Map<string, string>();
  const fired = new Map<string, NonNullable<ObligationView['escalations']>>();
  for (const r of res.rows) {
    if (r.owner_id) names.set(r.owner_id, r.owner_name ?? '');
    else if (r.obligation_id && r.level && r.fired_at != null) {
      const list = fired.get(r.obligation_id) ?? [];
      list.push({
        level: r.level,
        firedAt: Math.floor(r.fired_at),
        notified: r.notified ?? [],
        acknowledged: r.acknowledged === true,
      });
      fired.set(r.obligation_id, list);
    }
  }
  for (const v of views) {
    v.ownerName = v.ownerId ? (names.get(v.ownerId) ?? null) : null;
    v.escalations = fired.get(v.id) ?? [];
  }
}
