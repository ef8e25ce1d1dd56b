import { auditLogs } from '@vigil/domains/audit/schema';
import { developerCertifications } from '@vigil/domains/certifications/schema';
import { escalations, tickets } from '@vigil/domains/escalation/schema';
import { DEMO_TRAINING } from '@vigil/domains/people/demo';
import { seedDemoWorkspace } from '@vigil/domains/people/seed';
import { policies, policyVersions } from '@vigil/domains/policies/schema';
import { reminderInstances, reminders } from '@vigil/domains/reminders/schema';
import { mandatoryTrainings, trainingAssignments } from '@vigil/domains/training/schema';
import { and, count, eq } from 'drizzle-orm';
import { eventually, type Harness, startHarness } from '../harness';

/** Rows per table in the workspace: a second seed must change none of them. */
async function counts(h: Harness, ws: string) {
  // biome-ignore lint/suspicious/noExplicitAny: any workspace-scoped table
  const n = async (table: any) =>
    Number((await h.deps.db.select({ n: count() }).from(table).where(eq(table.workspaceId, ws)))[0]?.n ?? 0);
  return {
    audit: await n(auditLogs),
    trainings: await n(mandatoryTrainings),
    assignments: await n(trainingAssignments),
    policies: await n(policies),
    versions: await n(policyVersions),
    reminders: await n(reminders),
    held: await n(developerCertifications),
    tickets: await n(tickets),
  };
}

describe('the live demo seed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ worker: true });
  });
  afterAll(() => h?.close());

  it('creates real obligations once, says what it created, and the demo training climbs L1 then L2 on its own', async () => {
    const opts = { trainingDueInMs: 3000, ladder: { l1: 'PT2S', l2: 'PT4S', l3: 'PT1H' } };
    const first = await seedDemoWorkspace(h.deps, opts);
    expect(first.adminToken).toEqual(expect.any(String));
    const text = first.created.join('\n');
    for (const part of [
      'workspace Demo',
      'member Sam Engineer',
      'escalation matrix',
      DEMO_TRAINING,
      'awaiting the CTO',
      '(approved;',
      'weekly reminder',
      'expiring',
      'ticket',
    ])
      expect(text).toContain(part);

    const ws = first.workspaceId;
    const before = await counts(h, ws);
    expect(before).toMatchObject({ trainings: 2, policies: 3, reminders: 1, held: 1, tickets: 1 });
    const pending = await h.deps.db
      .select()
      .from(policyVersions)
      .where(and(eq(policyVersions.workspaceId, ws), eq(policyVersions.status, 'PENDING_APPROVAL')));
    expect(pending).toHaveLength(1);
    const [held] = await h.deps.db
      .select()
      .from(developerCertifications)
      .where(eq(developerCertifications.workspaceId, ws));
    expect(held?.status).toBe('EXPIRING_SOON');
    const [reminder] = await h.deps.db.select().from(reminders).where(eq(reminders.workspaceId, ws));
    expect(reminder).toMatchObject({ frequency: 'WEEKLY', requiresEvidence: true });

    // Idempotent: a second start creates nothing and writes nothing.
    const second = await seedDemoWorkspace(h.deps, opts);
    expect(second).toEqual({ workspaceId: ws, adminToken: null, created: [] });
    expect(await counts(h, ws)).toEqual(before);

    // The demo training, with no action: OVERDUE, then L1 (team lead), then L2 (manager).
    const [training] = await h.deps.db
      .select()
      .from(mandatoryTrainings)
      .where(and(eq(mandatoryTrainings.workspaceId, ws), eq(mandatoryTrainings.name, DEMO_TRAINING)));
    const assignment = async () =>
      (
        await h.deps.db
          .select()
          .from(trainingAssignments)
          .where(eq(trainingAssignments.mandatoryTrainingId, training?.id as string))
      )[0];
    expect((await assignment())?.ladder.map((l) => l.level)).toEqual(['L1', 'L2', 'L3']);
    const climbed = await eventually(
      async () => {
        const a = await assignment();
        return a?.status === 'OVERDUE' && a.currentEscalationLevel === 'L2' ? a : null;
      },
      30_000,
      200,
    );
    const fired = await h.deps.db.select().from(escalations).where(eq(escalations.obligationId, climbed.id));
    expect(fired.map((e) => e.level).sort()).toEqual(['L1', 'L2']);

    // The ticket under the matrix escalates too, and the weekly reminder has its first instance.
    await eventually(
      async () => {
        const [t] = await h.deps.db.select().from(tickets).where(eq(tickets.workspaceId, ws));
        return t?.currentEscalationLevel ? t : null;
      },
      30_000,
      200,
    );
    await eventually(
      async () => {
        const rows = await h.deps.db
          .select()
          .from(reminderInstances)
          .where(eq(reminderInstances.workspaceId, ws));
        return rows.length > 0;
      },
      30_000,
      200,
    );
  });
});
