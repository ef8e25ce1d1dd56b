import type { AuthContext } from '@vigil/kernel/auth';
import { Forbidden } from '@vigil/kernel/errors';
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db';
import { acknowledgementRequests } from '../policies/schema';

/** How long a session opened by an acknowledgement link lasts (at most). */
export const ACK_SESSION_SECONDS = 30 * 60;

const LIMITED =
  'This session was opened by an acknowledgement link: it may only read and acknowledge the policies of that link. Sign in to use the rest of the console.';

/**
 * What a session opened by an acknowledgement link may call: its own acknowledgement page's data,
 * the diff of a policy it covers, and the acknowledgement of such a policy for the member
 * themselves. `scope` names the path parameter checked against the session's scope.
 */
const ACK_ROUTES: Record<string, { param: string; scope: 'obligation' | 'policy'; selfOnly?: boolean }> = {
  'get /workspaces/:ws/me/acknowledgements/:obligation_id': { param: 'obligation_id', scope: 'obligation' },
  'get /api/policies/:policy_id/diff': { param: 'policy_id', scope: 'policy' },
  'post /api/acknowledge/:policy_id': { param: 'policy_id', scope: 'policy', selfOnly: true },
};

/** The policies the session's obligations ask the member to acknowledge (any status). */
async function scopedPolicyIds(db: Executor, ctx: AuthContext, obligationIds: string[]) {
  if (!obligationIds.length) return new Set<string>();
  const rows = await db
    .selectDistinct({ id: acknowledgementRequests.policyId })
    .from(acknowledgementRequests)
    .where(
      and(
        eq(acknowledgementRequests.workspaceId, ctx.workspaceId),
        eq(acknowledgementRequests.memberId, ctx.memberId),
        inArray(acknowledgementRequests.obligationId, obligationIds),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/** A purpose-limited session calls only its routes, on its own obligations and policies: else 403. */
export async function assertPurposeAllows(
  db: Executor,
  ctx: AuthContext,
  route: { method: string; path: string },
  req: { params: Record<string, string | string[]>; body?: unknown },
): Promise<void> {
  if (!ctx.purpose) return;
  const rule = ACK_ROUTES[`${route.method} ${route.path}`];
  if (!rule) throw new Forbidden(LIMITED);
  const value = String(req.params[rule.param] ?? '');
  const allowed =
    rule.scope === 'obligation'
      ? ctx.purpose.obligationIds.includes(value)
      : (await scopedPolicyIds(db, ctx, ctx.purpose.obligationIds)).has(value);
  if (!allowed) throw new Forbidden(LIMITED);
  const body = req.body as { employee_id?: unknown } | undefined;
  if (rule.selfOnly && body?.employee_id !== undefined && body.employee_id !== ctx.memberId)
    throw new Forbidden(LIMITED);
}
