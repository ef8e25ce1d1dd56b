import { queueDailyDigests } from '@vigil/domains/notifications/digest';
import { notifications } from '@vigil/domains/notifications/schema';
import { and, eq } from 'drizzle-orm';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

/** The daily digest lists each member's open items, unless the member turned it off. */
describe('the daily digest honours the daily_digest preference', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  it('queues one digest for a member who keeps it and none for one who turned it off', async () => {
    const keeps = await ws.member('MEMBER', { name: 'Keeps Digest' });
    const opts = await ws.member('MEMBER', { name: 'No Digest' });
    const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name: 'Digest training',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [keeps.id, opts.id],
    });
    expect(t.status).toBe(201);
    const off = await h.request('PATCH', `/workspaces/${ws.id}/members/${opts.id}`, opts.token, {
      notification_preferences: { daily_digest: false },
    });
    expect(off.status).toBe(200);
    expect(off.body.notification_preferences).toMatchObject({ daily_digest: false });

    await queueDailyDigests(h.deps, new Date());
    const digestsOf = (memberId: string) =>
      h.deps.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.recipientId, memberId), eq(notifications.kind, 'digest')));
    expect((await digestsOf(keeps.id)).length).toBeGreaterThan(0);
    expect(await digestsOf(opts.id)).toEqual([]);
    // A second run the same day queues nothing new.
    const before = (await digestsOf(keeps.id)).length;
    await queueDailyDigests(h.deps, new Date());
    expect((await digestsOf(keeps.id)).length).toBe(before);
  });
});
