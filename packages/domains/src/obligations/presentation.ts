import { and, asc, eq, inArray } from 'drizzle-orm';
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
  const fired = await db
    .select({
      obligationId: escalations.obligationId,
      level: escalations.level,
      firedAt: escalations.firedAt,
      acknowledgedAt: escalations.acknowledgedAt,
      targets: escalations.targetMemberIds,
    })
    .from(escalations)
    .where(
      and(
        eq(escalations.kind, kind),
        inArray(
          escalations.obligationId,
          views.map((v) => v.id),
        ),
      ),
    )
    .orderBy(asc(escalations.level));
  const people = [
    ...new Set([
      ...views.flatMap((v) => (v.ownerId ? [v.ownerId] : [])),
      ...fired.flatMap((e) => e.targets ?? []),
    ]),
  ];
  const named = people.length
    ? await db.select({ id: members.id, name: members.name }).from(members).where(inArray(members.id, people))
    : [];
  const names = new Map(named.map((m) => [m.id, m.name]));
  for (const v of views) {
    v.ownerName = v.ownerId ? (names.get(v.ownerId) ?? null) : null;
    v.escalations = fired
      .filter((e) => e.obligationId === v.id)
      .map((e) => ({
        level: e.level,
        firedAt: e.firedAt.getTime(),
        notified: (e.targets ?? []).map((t) => names.get(t) ?? t),
        acknowledged: e.acknowledgedAt !== null,
      }));
  }
}
