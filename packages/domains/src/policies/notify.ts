import type { AuthContext } from '@vigil/kernel/auth';
import type { Config } from '@vigil/kernel/config';
import type { Logger } from '@vigil/kernel/logger';
import type { Db, Executor } from '../db';
import { enqueueMessages } from '../notifications/service';
import { getMember } from '../people/service';

export type DeliveryDeps = { db: Db; config: Config; log: Logger };

/**
 * Tells the version's author that it was approved or rejected (not when they decided it
 * themselves): queued in the deciding transaction, delivered after commit.
 */
export async function queueDecisionNotice(
  tx: Executor,
  deps: DeliveryDeps,
  ctx: AuthContext,
  notice: {
    policyId: string;
    policyName: string;
    version: { id: string; number: number; createdById: string | null };
    decision: 'APPROVED' | 'REJECTED';
    reason?: string;
  },
): Promise<void> {
  const author = notice.version.createdById;
  if (!author || author === ctx.memberId) return;
  const decider = ctx.memberId ? await getMember(tx, ctx.workspaceId, ctx.memberId).catch(() => null) : null;
  await enqueueMessages(
    tx,
    ctx.workspaceId,
    deps.config,
    [
      {
        recipientIds: [author],
        template: 'policy.decision',
        data: {
          title: notice.policyName,
          number: notice.version.number,
          decision: notice.decision,
          reason: notice.reason ?? null,
          owner_name: decider?.name ?? null,
        },
        channels: ['email', 'slack'],
        kind: 'policy_version',
        obligationId: notice.version.id,
        stepKey: `DECISION:${notice.decision}`,
      },
    ],
    new Date(),
  );
}
