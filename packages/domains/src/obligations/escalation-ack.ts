import type { AuthContext } from '@vigil/kernel/auth';
import { NotFound } from '@vigil/kernel/errors';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { escalations } from '../escalation/schema';
import type { ObligationKind } from './rules';
import { acknowledgeEscalation } from './service';

/**
 * Acknowledges an escalation addressed to the caller (any kind), from their inbox: the climb stops.
 * Not addressed to them, another workspace's, or already acknowledged: 404.
 */
export async function acknowledgeMyEscalation(db: Db, ctx: AuthContext, escalationId: string) {
  const [e] = await db
    .select()
    .from(escalations)
    .where(
      and(
        eq(escalations.workspaceId, ctx.workspaceId),
        eq(escalations.id, escalationId),
        isNull(escalations.acknowledgedAt),
        sql`${escalations.targetMemberIds} @> ${JSON.stringify([ctx.memberId])}::jsonb`,
      ),
    );
  if (!e) throw new NotFound('Escalation', escalationId);
  const row = await acknowledgeEscalation(db, ctx, e.kind as ObligationKind, e.obligationId, e.id);
  if (!row) throw new NotFound('Escalation', escalationId);
  return {
    id: row.id,
    kind: row.kind,
    obligation_id: row.obligationId,
    level: row.level,
    acknowledged_at: (row.acknowledgedAt ?? new Date()).toISOString(),
  };
}
