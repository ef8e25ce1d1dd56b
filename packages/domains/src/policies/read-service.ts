import type { AuthContext } from '@vigil/kernel/auth';
import { NotFound } from '@vigil/kernel/errors';
import { and, asc, desc, eq, lt, ne } from 'drizzle-orm';
import { z } from 'zod';
import { nullableTs, ts } from '../api-schemas';
import type { Executor } from '../db';
import { ACK_REQUEST_STATUSES } from './rules';
import { acknowledgementObligations, acknowledgementRequests, policies, policyVersions } from './schema';

export const myAckSchema = z.object({
  obligation_id: z.uuid(),
  status: z.string().describe('PENDING, OVERDUE, DONE or CANCELLED'),
  due_at: ts,
  policies: z.array(
    z.object({
      request_id: z.uuid(),
      policy_id: z.uuid(),
      policy_name: z.string(),
      status: z.enum(ACK_REQUEST_STATUSES),
      version_id: z.uuid(),
      version_number: z.number().int(),
      content: z.string().describe('The requested version’s Markdown'),
      content_sha256: z.string(),
      change_summary: z.string().nullable(),
      acknowledged_at: nullableTs,
      previous_version_number: z
        .number()
        .int()
        .nullable()
        .describe(
          'The version of this policy the caller acknowledged before; null for a first acknowledgement',
        ),
    }),
  ),
});

/** The caller's own acknowledgement obligation with each policy to read (another's: 404). */
export async function myAcknowledgement(db: Executor, ctx: AuthContext, obligationId: string) {
  const [o] = await db
    .select()
    .from(acknowledgementObligations)
    .where(
      and(
        eq(acknowledgementObligations.id, obligationId),
        eq(acknowledgementObligations.workspaceId, ctx.workspaceId),
        eq(acknowledgementObligations.memberId, ctx.memberId),
      ),
    );
  if (!o) throw new NotFound('Acknowledgement', obligationId);
  const rows = await db
    .select({ r: acknowledgementRequests, v: policyVersions, name: policies.name })
    .from(acknowledgementRequests)
    .innerJoin(policyVersions, eq(policyVersions.id, acknowledgementRequests.policyVersionId))
    .innerJoin(policies, eq(policies.id, acknowledgementRequests.policyId))
    .where(
      and(
        eq(acknowledgementRequests.obligationId, o.id),
        eq(acknowledgementRequests.memberId, ctx.memberId),
        ne(acknowledgementRequests.status, 'CANCELLED'),
      ),
    )
    .orderBy(asc(policies.name));
  const out = [];
  for (const { r, v, name } of rows) {
    const [prev] = await db
      .select({ number: policyVersions.number })
      .from(acknowledgementRequests)
      .innerJoin(policyVersions, eq(policyVersions.id, acknowledgementRequests.policyVersionId))
      .where(
        and(
          eq(acknowledgementRequests.memberId, ctx.memberId),
          eq(acknowledgementRequests.policyId, r.policyId),
          eq(acknowledgementRequests.status, 'ACKNOWLEDGED'),
          lt(policyVersions.number, v.number),
        ),
      )
      .orderBy(desc(policyVersions.number))
      .limit(1);
    out.push({
      request_id: r.id,
      policy_id: r.policyId,
      policy_name: name,
      status: r.status,
      version_id: v.id,
      version_number: v.number,
      content: v.content,
      content_sha256: v.contentSha256,
      change_summary: v.changeSummary,
      acknowledged_at: r.acknowledgedAt?.toISOString() ?? null,
      previous_version_number: prev?.number ?? null,
    });
  }
  return { obligation_id: o.id, status: o.status, due_at: o.dueAt.toISOString(), policies: out };
}
