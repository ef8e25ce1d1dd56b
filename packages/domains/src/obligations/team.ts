import type { AuthContext } from '@vigil/kernel/auth';
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../db';
import { members } from '../people/schema';
import { reportsOf } from '../people/visibility';
import { percent } from '../percent';
import { acknowledgementRequests, policies } from '../policies/schema';
import { mandatoryTrainings, trainingAssignments } from '../training/schema';
import { type InboxItem, openItemsOf } from './inbox';

export interface TeamCompletion {
  id: string;
  name: string;
  /** Members of the team asked (a training's latest cycle, not waived; a policy's latest request). */
  asked: number;
  done: number;
  overdue: number;
  rate: number | null;
}

export interface MyTeam {
  members: Array<{ id: string; name: string; email: string }>;
  items: Array<InboxItem & { ownerId: string }>;
  training: TeamCompletion[];
  policies: TeamCompletion[];
}

const tally = (rows: Array<{ id: string; name: string; status: string }>, done: string, overdue: string) => {
  const by = new Map<string, TeamCompletion>();
  for (const r of rows) {
    const c = by.get(r.id) ?? { id: r.id, name: r.name, asked: 0, done: 0, overdue: 0, rate: null };
    c.asked += 1;
    if (r.status === done) c.done += 1;
    if (r.status === overdue) c.overdue += 1;
    by.set(r.id, c);
  }
  return [...by.values()]
    .map((c) => ({ ...c, rate: percent(c.done, c.asked) }))
    .sort((a, b) => a.name.localeCompare(b.name));
};

/**
 * The caller's team (direct and indirect reports, and the members of the teams they lead; not the
 * caller, and not everyone even for an admin): their open items across kinds in inbox order, with
 * each item's owner, and the team's completion per training and per policy.
 */
export async function myTeam(db: Db, ctx: AuthContext, now = new Date()): Promise<MyTeam> {
  const ws = ctx.workspaceId;
  const team = reportsOf(ctx);
  const people = await db
    .select({ id: members.id, name: members.name, email: members.email })
    .from(members)
    .where(and(eq(members.workspaceId, ws), inArray(members.id, team)))
    .orderBy(asc(members.name));
  if (!people.length) return { members: [], items: [], training: [], policies: [] };

  const items = await openItemsOf(db, ws, team, now);
  const assignments = await db
    .selectDistinctOn([trainingAssignments.mandatoryTrainingId, trainingAssignments.developerId], {
      id: trainingAssignments.mandatoryTrainingId,
      name: mandatoryTrainings.name,
      status: trainingAssignments.status,
    })
    .from(trainingAssignments)
    .innerJoin(mandatoryTrainings, eq(mandatoryTrainings.id, trainingAssignments.mandatoryTrainingId))
    .where(and(eq(trainingAssignments.workspaceId, ws), inArray(trainingAssignments.developerId, team)))
    .orderBy(
      trainingAssignments.mandatoryTrainingId,
      trainingAssignments.developerId,
      desc(trainingAssignments.cycle),
    );
  const requests = await db
    .selectDistinctOn([acknowledgementRequests.policyId, acknowledgementRequests.memberId], {
      id: acknowledgementRequests.policyId,
      name: policies.name,
      status: acknowledgementRequests.status,
    })
    .from(acknowledgementRequests)
    .innerJoin(policies, eq(policies.id, acknowledgementRequests.policyId))
    .where(
      and(
        eq(acknowledgementRequests.workspaceId, ws),
        inArray(acknowledgementRequests.memberId, team),
        ne(acknowledgementRequests.status, 'CANCELLED'),
      ),
    )
    .orderBy(
      acknowledgementRequests.policyId,
      acknowledgementRequests.memberId,
      desc(acknowledgementRequests.createdAt),
    );
  return {
    members: people,
    items,
    training: tally(
      assignments.filter((a) => a.status !== 'WAIVED'),
      'COMPLETED',
      'OVERDUE',
    ),
    policies: tally(requests, 'ACKNOWLEDGED', 'OVERDUE'),
  };
}
