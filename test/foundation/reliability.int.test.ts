import { auditLogs } from '@vigil/domains/audit/schema';
import { tickets } from '@vigil/domains/escalation/schema';
import { workflowCommands } from '@vigil/domains/obligations/schema';
import { and, eq, inArray } from 'drizzle-orm';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

describe('client retries and racing requests', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const ticketsTitled = (title: string) =>
    h.deps.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.workspaceId, ws.id), eq(tickets.title, title)));

  it('replays the first response to a repeated Idempotency-Key, sequentially and 20 at once', async () => {
    const body = { title: 'Rotate the deploy key' };
    const headers = { 'idempotency-key': 'create-ticket-1' };
    const first = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, body, headers);
    expect(first.status).toBe(201);
    const again = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, body, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);

    const burstBody = { title: 'Revoke the leaked token' };
    const burst = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, burstBody, {
          'idempotency-key': 'create-ticket-2',
        }),
      ),
    );
    expect(burst.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(burst.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(await ticketsTitled('Revoke the leaked token')).toHaveLength(1);
    expect(await ticketsTitled('Rotate the deploy key')).toHaveLength(1);
    // One workflow: the ticket's, started once from its one row.
    const id = burst[0]?.body.id as string;
    await eventually(async () => {
      const d = await h.deps.temporal.client.workflow.getHandle(`ticket/${id}`).describe();
      return d.status.name === 'RUNNING';
    });
  });

  it('refuses the same key with another body (422), and a malformed key (400)', async () => {
    const headers = { 'idempotency-key': 'create-ticket-3' };
    expect(
      (await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, { title: 'A' }, headers))
        .status,
    ).toBe(201);
    const other = await h.request(
      'POST',
      `/workspaces/${ws.id}/tickets`,
      ws.adminToken,
      { title: 'B' },
      headers,
    );
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/problem\+json/);
    expect(other.body.errors[0].field).toBe('header.idempotency-key');
    const bad = await h.request(
      'POST',
      `/workspaces/${ws.id}/tickets`,
      ws.adminToken,
      { title: 'C' },
      {
        'idempotency-key': 'has spaces',
      },
    );
    expect(bad.status).toBe(400);
    expect(await ticketsTitled('C')).toHaveLength(0);
  });

  it('keeps keys per caller: another member’s request with the same key is its own', async () => {
    const m = await ws.member('ADMIN');
    const headers = { 'idempotency-key': 'shared-key' };
    const a = await h.request(
      'POST',
      `/workspaces/${ws.id}/tickets`,
      ws.adminToken,
      { title: 'Mine' },
      headers,
    );
    const b = await h.request('POST', `/workspaces/${ws.id}/tickets`, m.token, { title: 'Theirs' }, headers);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('of a concurrent complete and waive of one assignment, exactly one wins (100 tries)', async () => {
    const member = await ws.member('MEMBER');
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
        name: `Race ${i}`,
        applies_to_type: 'INDIVIDUAL',
        applies_to_ids: [],
      });
      const a = await h.request('POST', '/compliance/assignments', ws.adminToken, {
        mandatory_training_id: t.body.id,
        developer_id: member.id,
        due_date: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect(a.status).toBe(201);
      ids.push(a.body.id as string);
    }
    for (const id of ids) {
      const [complete, waive] = await Promise.all([
        h.request('POST', `/compliance/assignments/${id}/complete`, ws.adminToken),
        h.request('POST', `/compliance/assignments/${id}/waive`, ws.adminToken, { reason: 'race' }),
      ]);
      const statuses = [complete.status, waive.status].sort();
      expect(statuses[0]).toBe(200);
      expect([409, 422]).toContain(statuses[1]);
    }
    const terminal = await h.deps.db
      .select({ id: auditLogs.targetId, action: auditLogs.actionType })
      .from(auditLogs)
      .where(
        and(
          inArray(auditLogs.targetId, ids),
          inArray(auditLogs.actionType, ['TRAINING_COMPLETED', 'TRAINING_WAIVED']),
        ),
      );
    expect(terminal).toHaveLength(100);
    expect(new Set(terminal.map((e) => e.id)).size).toBe(100);
  });

  it('leaves no workflow command behind once the relay has run', async () => {
    await eventually(async () => {
      const left = await h.deps.db
        .select({ id: workflowCommands.id })
        .from(workflowCommands)
        .where(eq(workflowCommands.workspaceId, ws.id));
      return left.length === 0;
    });
  });
});
