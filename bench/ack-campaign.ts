import { relayWorkflowCommands } from '@vigil/domains/obligations/commands';
import { memberRoles, members, orgRoles } from '@vigil/domains/people/schema';
import { startEvent } from '@vigil/domains/policies/acks';
import { contentSha256 } from '@vigil/domains/policies/rules';
import { policies, policyVersions, rolePolicies } from '@vigil/domains/policies/schema';
import { systemContext } from '@vigil/kernel/auth';
import { newId } from '@vigil/kernel/ids';
import { eq } from 'drizzle-orm';
import { benchStack } from './stack';

const CHUNK = 1000;

/**
 * A PERIODIC acknowledgement event for N members (default 5,000) x P policies (default 12):
 * set-based inserts of the event, obligations, requests and audit rows in one transaction,
 * then bounded-concurrency workflow starts (one per member).
 */
export async function ackCampaign(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 5000);
  const p = Number(args[1] ?? 12);
  const concurrency = Number(args[2] ?? 64);
  const stack = await benchStack();
  try {
    const { deps, workspace } = stack;
    const ws = workspace.workspace.id;
    const ctx = { ...systemContext(ws), memberId: workspace.admin.id, via: 'TOKEN' as const };
    const roleId = newId();
    await deps.db.insert(orgRoles).values({ id: roleId, workspaceId: ws, name: 'Everyone' });
    const people = Array.from({ length: n }, (_, i) => ({
      id: newId(),
      workspaceId: ws,
      name: `Member ${i}`,
      email: `m${i}@bench.test`,
    }));
    for (let i = 0; i < n; i += CHUNK) {
      const chunk = people.slice(i, i + CHUNK);
      await deps.db.insert(members).values(chunk);
      await deps.db
        .insert(memberRoles)
        .values(chunk.map((m) => ({ workspaceId: ws, roleId, memberId: m.id })));
    }
    for (let j = 0; j < p; j++) {
      const policyId = newId();
      const versionId = newId();
      const content = `Policy ${j}\n\nRules of policy ${j}.\n`;
      await deps.db.insert(policies).values({ id: policyId, workspaceId: ws, name: `Policy ${j}` });
      await deps.db.insert(policyVersions).values({
        id: versionId,
        workspaceId: ws,
        policyId,
        number: 1,
        content,
        contentSha256: contentSha256(content),
        status: 'APPROVED',
      });
      await deps.db.update(policies).set({ activeVersionId: versionId }).where(eq(policies.id, policyId));
      await deps.db.insert(rolePolicies).values({ workspaceId: ws, roleId, policyId });
    }

    const t0 = Date.now();
    const result = await deps.db.transaction((tx) =>
      startEvent(tx, ctx, { type: 'PERIODIC', scope: { all: true } }),
    );
    const insertMs = Date.now() - t0;
    const obligations = result.obligations.length;
    const rows = result.requests + obligations * 2 + 1; // requests + obligations + audit entries + event
    const t1 = Date.now();
    // The relay starts the workflows the new obligation rows queued.
    let started = 0;
    for (let pass = await relayWorkflowCommands(deps); pass.claimed; pass = await relayWorkflowCommands(deps))
      started += pass.started;
    const startMs = Date.now() - t1;
    const total = Date.now() - t0;
    console.log(`ack-campaign: PERIODIC event for ${n} members x ${p} policies`);
    console.log(
      `  inserts: ${rows} rows (${result.requests} requests, ${obligations} obligations, ${obligations} audit) in ${insertMs} ms = ${Math.round((rows * 1000) / Math.max(1, insertMs))} rows/s`,
    );
    console.log(
      `  workflows started: ${started} in ${startMs} ms (${Math.round((started * 1000) / Math.max(1, startMs))}/s, concurrency ${concurrency})`,
    );
    console.log(`  elapsed: ${total} ms`);
  } finally {
    await stack.close();
  }
}
