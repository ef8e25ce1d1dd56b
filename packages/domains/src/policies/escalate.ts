import type { AuthContext } from '@vigil/kernel/auth';
import type { Config } from '@vigil/kernel/config';
import { Conflict, NotFound } from '@vigil/kernel/errors';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db } from '../db';
import { loadOrgFor } from '../escalation/org';
import { resolveTargets } from '../escalation/rules';
import { escalations } from '../escalation/schema';
import { enqueueMessages } from '../notifications/service';
import type { Target } from '../obligations/rules';
import { getSettings } from '../people/access';
import { members } from '../people/schema';
import { ACK_KIND } from './kind';
import { pendingApprovals } from './roles';
import { OPEN_ACK } from './rules';
import { acknowledgementObligations, acknowledgementRequests, policies, policyVersions } from './schema';

export type ManualLevel = 'L1' | 'L2' | 'L3' | 'L4' | 'CXO';

const DEFAULT_TARGETS: Record<ManualLevel, Target> = {
  L1: { type: 'TEAM_LEAD' },
  L2: { type: 'MANAGER' },
  L3: { type: 'DIRECTOR' },
  L4: { type: 'VP_EXEC' },
  CXO: { type: 'CXO' },
};

/**
 * A manual escalation of an OVERDUE acknowledgement: the escalation row (level "CXO", or
 * "MANUAL_Ln" so the ladder's own Ln step still fires), outbox messages to the resolved
 * targets and an ESCALATION_TRIGGERED audit entry, in one transaction.
 */
export async function escalateAcknowledgement(
  db: Db,
  config: Pick<Config, 'SENDGRID_API_KEY' | 'SLACK_BOT_TOKEN'>,
  ctx: AuthContext,
  input: {
    company_id?: string;
    employee_id: string;
    policy_id: string;
    policy_version_id?: string;
    escalation_level: ManualLevel;
  },
) {
  if (input.company_id && input.company_id !== ctx.workspaceId)
    throw new NotFound('Company', input.company_id);
  const [policy] = await db
    .select()
    .from(policies)
    .where(and(eq(policies.workspaceId, ctx.workspaceId), eq(policies.id, input.policy_id)));
  if (!policy) throw new NotFound('Policy', input.policy_id);
  const where = [
    eq(acknowledgementRequests.workspaceId, ctx.workspaceId),
    eq(acknowledgementRequests.memberId, input.employee_id),
    eq(acknowledgementRequests.policyId, input.policy_id),
    inArray(acknowledgementRequests.status, [...OPEN_ACK]),
  ];
  if (input.policy_version_id)
    where.push(eq(acknowledgementRequests.policyVersionId, input.policy_version_id));
  const [req] = await db
    .select()
    .from(acknowledgementRequests)
    .where(and(...where))
    .orderBy(desc(acknowledgementRequests.createdAt))
    .limit(1);
  if (!req?.obligationId)
    throw new NotFound('Open acknowledgement request for this employee and policy', input.policy_id);
  if (req.status !== 'OVERDUE') throw new Conflict('The acknowledgement is not overdue yet');
  const obligationId = req.obligationId;
  const level = input.escalation_level === 'CXO' ? 'CXO' : `MANUAL_${input.escalation_level}`;
  const [ob] = await db
    .select()
    .from(acknowledgementObligations)
    .where(eq(acknowledgementObligations.id, obligationId));
  const own = ob?.ladder.find((l) => l.level === input.escalation_level);
  const target = own?.target ?? DEFAULT_TARGETS[input.escalation_level];
  const now = new Date();
  return db.transaction(async (tx) => {
    const org = await loadOrgFor(tx, ctx.workspaceId, { ownerId: input.employee_id, target });
    const targets = resolveTargets(target, input.employee_id, org, null);
    const [row] = await tx
      .insert(escalations)
      .values({
        workspaceId: ctx.workspaceId,
        kind: ACK_KIND,
        obligationId,
        level,
        target,
        targetMemberIds: targets,
        channels: ['email', 'slack'],
        firedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`Already escalated to ${input.escalation_level}`);
    const title = `Overdue acknowledgement of "${policy.name}"`;
    const queued = await enqueueMessages(
      tx,
      ctx.workspaceId,
      config,
      [
        {
          recipientIds: targets,
          template: 'obligation.escalation',
          data: {
            title,
            level: input.escalation_level,
            due_at: req.dueAt.toISOString(),
            kind: ACK_KIND,
            id: obligationId,
          },
          channels: ['email', 'slack'],
          kind: ACK_KIND,
          obligationId,
          stepKey: `ESCALATE:${level}`,
          level,
        },
      ],
      now,
    );
    await audit(tx, ctx, {
      action: 'ESCALATION_TRIGGERED',
      targetType: ACK_KIND,
      targetId: obligationId,
      newValue: {
        manual: true,
        level: input.escalation_level,
        target,
        target_member_ids: targets,
        employee_id: input.employee_id,
        policy_id: input.policy_id,
        policy_version_id: req.policyVersionId,
        due_at: req.dueAt.toISOString(),
      },
      description: `${title}: escalated to ${input.escalation_level} (${target.type})`,
    });
    return { escalation: row, notification_ids: queued.ids, pending: queued.pending };
  });
}

/** Daily: remind the approver(s) of versions waiting more than a day. */
export async function approvalReminderSweep(
  db: Db,
  config: Pick<Config, 'SENDGRID_API_KEY' | 'SLACK_BOT_TOKEN'>,
  now = new Date(),
) {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const waiting = await pendingApprovals(db, dayAgo);
  let reminded = 0;
  for (const v of waiting) {
    await db.transaction(async (tx) => {
      const settings = await getSettings(tx, v.workspaceId);
      const approvers = settings.policyApproverId
        ? [settings.policyApproverId]
        : (
            await tx
              .select({ id: members.id })
              .from(members)
              .where(and(eq(members.workspaceId, v.workspaceId), eq(members.accessRole, 'APPROVER')))
          ).map((m) => m.id);
      const [p] = await tx.select().from(policies).where(eq(policies.id, v.policyId));
      await enqueueMessages(
        tx,
        v.workspaceId,
        config,
        [
          {
            recipientIds: approvers,
            template: 'obligation.reminder',
            data: {
              title: `Approve policy "${p?.name ?? ''}" version ${v.number}`,
              kind: 'policy_version',
              due_at: null,
            },
            channels: ['email', 'slack'],
            kind: 'policy_version',
            obligationId: v.id,
            stepKey: `APPROVAL_REMINDER:${now.toISOString().slice(0, 10)}`,
          },
        ],
        now,
      );
      await tx.update(policyVersions).set({ approvalReminderAt: now }).where(eq(policyVersions.id, v.id));
    });
    reminded++;
  }
  return { reminded };
}
