import type { AuthContext } from '@vigil/kernel/auth';
import { and, asc, eq, sql } from 'drizzle-orm';
import { audit } from '../audit/service';
import type { Db, Executor } from '../db';
import { ROLE_ROWS } from '../people/service';
import { assertFound, assertRefs, workspaceRows } from '../refs';
import { policies, policyVersions, rolePolicies } from './schema';

export const POLICY_ROWS = workspaceRows(policies, 'policy');

/**
 * mode REPLACE: the role's policies become exactly policy_ids; ADD: policy_ids are added.
 * A role of another workspace in the path is a 404; a policy of another workspace is a 400.
 */
export async function assignPoliciesToRole(
  db: Db,
  ctx: AuthContext,
  roleId: string,
  input: { policy_ids: string[]; mode?: 'REPLACE' | 'ADD' },
) {
  await assertFound(db, ctx.workspaceId, ROLE_ROWS, roleId);
  const ids = [...new Set(input.policy_ids)];
  await assertRefs(db, ctx.workspaceId, [{ field: 'body.policy_ids', rows: POLICY_ROWS, ids }]);
  const mode = input.mode ?? 'REPLACE';
  return db.transaction(async (tx) => {
    const before = await tx.select().from(rolePolicies).where(eq(rolePolicies.roleId, roleId));
    if (mode === 'REPLACE') await tx.delete(rolePolicies).where(eq(rolePolicies.roleId, roleId));
    if (ids.length)
      await tx
        .insert(rolePolicies)
        .values(ids.map((policyId) => ({ workspaceId: ctx.workspaceId, roleId, policyId })))
        .onConflictDoNothing();
    await audit(tx, ctx, {
      action: 'POLICIES_ASSIGNED_TO_ROLE',
      targetType: 'role',
      targetId: roleId,
      oldValue: { policy_ids: before.map((r) => r.policyId) },
      newValue: { policy_ids: ids, mode },
      description: `${ids.length} policies assigned to role (${mode})`,
    });
    return rolePoliciesOf(tx, ctx.workspaceId, roleId);
  });
}

export async function rolePoliciesOf(db: Executor, workspaceId: string, roleId: string) {
  await assertFound(db, workspaceId, ROLE_ROWS, roleId);
  return db
    .select({ policy: policies })
    .from(rolePolicies)
    .innerJoin(policies, eq(policies.id, rolePolicies.policyId))
    .where(and(eq(rolePolicies.workspaceId, workspaceId), eq(rolePolicies.roleId, roleId)))
    .orderBy(asc(policies.id))
    .then((rows) => rows.map((r) => r.policy));
}

/** Versions pending approval for more than a day whose approver was not reminded today. */
export async function pendingApprovals(db: Executor, olderThan: Date) {
  return db
    .select()
    .from(policyVersions)
    .where(
      and(
        eq(policyVersions.status, 'PENDING_APPROVAL'),
        sql`${policyVersions.submittedAt} < ${olderThan}`,
        sql`(${policyVersions.approvalReminderAt} IS NULL OR ${policyVersions.approvalReminderAt} < ${olderThan})`,
      ),
    );
}
