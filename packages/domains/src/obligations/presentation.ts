import { sql } from 'drizzle-orm';
import type { Executor } from '../db';
import { escalations } from '../escalation/schema';
import { members } from '../people/schema';
import type { ObligationView } from './service';

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
