import type { AuthContext } from '@vigil/kernel/auth';
import { and, asc, desc, eq, ne } from 'drizzle-orm';
import type { Executor } from '../db';
import { members } from '../people/schema';
import { readableBy } from '../people/visibility';
import { acknowledgementRequests, policyVersions } from './schema';
import { getPolicy } from './service';

/** A member's standing on one policy, from their latest request (as GET /api/acknowledge/status words it). */
export type AckStanding = 'PENDING' | 'OVERDUE' | 'ACKNOWLEDGED' | 'OUTDATED';

/**
 * Who was asked to acknowledge a policy, within the caller's read scope: each member's latest
 * non-cancelled request, its version and standing (ACKNOWLEDGED only when the acknowledged
 * version is the active one; an older one is OUTDATED). Another workspace's policy is 404.
 */
export async function acknowledgementsOfPolicy(db: Executor, ctx: AuthContext, policyId: string) {
  const policy = await getPolicy(db, ctx.workspaceId, policyId);
  const rows = await db
    .selectDistinctOn([acknowledgementRequests.memberId], {
      r: acknowledgementRequests,
      number: policyVersions.number,
      name: members.name,
      email: members.email,
    })
    .from(acknowledgementRequests)
    .innerJoin(members, eq(members.id, acknowledgementRequests.memberId))
    .innerJoin(policyVersions, eq(policyVersions.id, acknowledgementRequests.policyVersionId))
    .where(
      and(
        eq(acknowledgementRequests.workspaceId, ctx.workspaceId),
        eq(acknowledgementRequests.policyId, policyId),
        ne(acknowledgementRequests.status, 'CANCELLED'),
        readableBy(ctx, acknowledgementRequests.memberId),
      ),
    )
    .orderBy(asc(acknowledgementRequests.memberId), desc(acknowledgementRequests.createdAt));
  const data = rows
    .map(({ r, number, name, email }) => ({
      member_id: r.memberId,
      member_name: name,
      member_email: email,
      request_id: r.id,
      policy_version_id: r.policyVersionId,
      version_number: number,
      status: (r.status === 'ACKNOWLEDGED'
        ? r.policyVersionId === policy.activeVersionId
          ? 'ACKNOWLEDGED'
          : 'OUTDATED'
        : r.status) as AckStanding,
      due_at: r.dueAt.toISOString(),
      acknowledged_at: r.acknowledgedAt?.toISOString() ?? null,
    }))
    .sort((a, b) => a.member_name.localeCompare(b.member_name));
  return { policy_id: policy.id, policy_name: policy.name, active_version_id: policy.activeVersionId, data };
}
