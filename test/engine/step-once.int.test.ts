import { auditLogs } from '@vigil/domains/audit/schema';
import { escalations, tickets } from '@vigil/domains/escalation/schema';
import { notifications } from '@vigil/domains/notifications/schema';
import { performStep } from '@vigil/domains/obligations/service';
import { newId } from '@vigil/kernel/ids';
import { and, eq } from 'drizzle-orm';
import { type Harness, startHarness, type TestWorkspace } from '../harness';
import { ladderOrg, secondsLadder } from './org';

/**
 * An escalation step records itself in the statement that reads the org chart. The step
 * performed twice, one after the other and at the same moment, fires once: one escalation, one
 * audit entry, one message to the resolved target, and the repeat writes nothing.
 */
describe('an escalation step performed twice', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let org: Awaited<ReturnType<typeof ladderOrg>>;

  beforeAll(async () => {
    // No worker and no relays: the test performs the steps itself.
    h = await startHarness({ worker: false, relays: false });
    ws = await h.workspace();
    org = await ladderOrg(h, ws);
  });
  afterAll(() => h.close());

  const dueTicket = async () => {
    const id = newId();
    await h.deps.db.insert(tickets).values({
      id,
      workspaceId: ws.id,
      title: 'Rotated key left in a log',
      status: 'OPEN',
      teamId: org.teamId,
      assigneeId: org.owner.id,
      ladderSource: 'OWN',
      ladder: secondsLadder([1]) as (typeof tickets.$inferInsert)['ladder'],
      createdAt: new Date(Date.now() - 60_000),
    });
    return id;
  };

  const written = async (id: string) => ({
    escalations: await h.deps.db.select().from(escalations).where(eq(escalations.obligationId, id)),
    audit: await h.deps.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.targetId, id), eq(auditLogs.actionType, 'ESCALATION_TRIGGERED'))),
    outbox: await h.deps.db.select().from(notifications).where(eq(notifications.obligationId, id)),
  });

  it('one after the other: the repeat is stale and writes nothing', async () => {
    const id = await dueTicket();
    const first = await performStep(h.deps, 'ticket', id, 'ESCALATE:L1');
    expect(first.outcome).toBe('PERFORMED');
    expect(first.view.escalationLevel).toBe('L1');
    const again = await performStep(h.deps, 'ticket', id, 'ESCALATE:L1');
    expect(again.outcome).toBe('STALE');
    expect(again.notificationIds).toEqual([]);
    const rows = await written(id);
    expect(rows.escalations).toHaveLength(1);
    expect(rows.escalations[0]?.targetMemberIds).toEqual([org.lead.id]);
    expect(rows.audit).toHaveLength(1);
    expect(rows.outbox.map((n) => n.recipientId)).toEqual([org.lead.id]);
  });

  it('at the same moment: one performs it, the other finds it done', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => dueTicket()));
    for (const id of ids) {
      const outcomes = (
        await Promise.all([1, 2, 3].map(() => performStep(h.deps, 'ticket', id, 'ESCALATE:L1')))
      ).map((r) => r.outcome);
      expect(outcomes.filter((o) => o === 'PERFORMED')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== 'PERFORMED').every((o) => o === 'STALE' || o === 'DUPLICATE')).toBe(
        true,
      );
      const rows = await written(id);
      expect(rows.escalations).toHaveLength(1);
      expect(rows.audit).toHaveLength(1);
      expect(rows.outbox).toHaveLength(1);
    }
  });
});
