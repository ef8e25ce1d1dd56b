import { audit } from '@vigil/domains/audit/service';
import { systemContext } from '@vigil/kernel/auth';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { type Harness, startHarness, type TestWorkspace } from '../harness';

describe('audit log is append-only and hash-chained', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
    await ws.member('MEMBER');
    await ws.member('MANAGER');
  });
  afterAll(() => h.close());

  const db = () => h.deps.db;
  /** What a superuser could do: switch the guard trigger off, change history, switch it back on. */
  const tamper = async (statement: string, params: unknown[]) => {
    const client = new Client({ connectionString: h.databaseUrl });
    await client.connect();
    try {
      await client.query('ALTER TABLE audit_logs DISABLE TRIGGER audit_logs_no_update_delete');
      await client.query(statement, params);
    } finally {
      await client.query('ALTER TABLE audit_logs ENABLE TRIGGER audit_logs_no_update_delete');
      await client.end();
    }
  };
  /** Drizzle wraps the driver's error; the trigger's message is on the cause. */
  const refusal = async (q: Promise<unknown>) => {
    const err = await q.then(
      () => null,
      (e: { cause?: { message?: string } }) => e,
    );
    return String(err?.cause?.message ?? 'no error');
  };

  it('assigns a gapless per-workspace seq with linked hashes', async () => {
    const rows = await db().execute(
      sql`SELECT seq, prev_hash, hash FROM audit_logs WHERE workspace_id = ${ws.id} ORDER BY seq`,
    );
    const list = rows.rows as Array<{ seq: string; prev_hash: string; hash: string }>;
    expect(list.length).toBeGreaterThanOrEqual(5);
    list.forEach((r, i) => {
      expect(Number(r.seq)).toBe(i + 1);
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
      if (i > 0) expect(r.prev_hash).toBe(list[i - 1]?.hash);
    });
  });

  it('chains one statement of many entries across workspaces, each head on its last entry', async () => {
    const other = await h.workspace();
    const before = await db().execute(
      sql`SELECT workspace_id::text AS ws, seq FROM audit_chain_heads WHERE workspace_id IN (${ws.id}, ${other.id})`,
    );
    const start = new Map(
      (before.rows as Array<{ ws: string; seq: string }>).map((r) => [r.ws, Number(r.seq)]),
    );
    await db().transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO audit_logs (id, workspace_id, action_type, target_type, target_id)
        SELECT gen_random_uuid(), CASE WHEN g % 2 = 0 THEN ${ws.id}::uuid ELSE ${other.id}::uuid END,
               'TRAINING_ASSIGNED', 'training_assignment', g::text
          FROM generate_series(1, 2000) g`);
      // A second statement in the same transaction continues from the advanced heads.
      await tx.execute(sql`INSERT INTO audit_logs (id, workspace_id, action_type, target_type)
        VALUES (gen_random_uuid(), ${ws.id}, 'TRAINING_ASSIGNED', 'training_assignment')`);
    });
    for (const [id, added] of [
      [ws.id, 1001],
      [other.id, 1000],
    ] as const) {
      const res = await h.request(
        'GET',
        '/compliance/audit-logs/verify',
        id === ws.id ? ws.adminToken : other.adminToken,
      );
      expect(res.body).toMatchObject({ ok: true, first_broken_seq: null });
      expect(res.body.head_seq).toBe((start.get(id) ?? 0) + added);
      expect(res.body.entries).toBe(res.body.head_seq);
    }
  });

  it('writes a batch of over 1,000 entries in order, values intact, and the chain verifies', async () => {
    const ctx = { ...systemContext(ws.id), via: 'TOKEN' as const, memberId: ws.adminId, ip: '10.0.0.1' };
    const odd = 'quote " backslash \\ comma , brace { } ünïcödé';
    const entries = Array.from({ length: 1500 }, (_, i) => ({
      action: 'TRAINING_ASSIGNED' as const,
      targetType: 'bulk_probe',
      targetId: `p${i}`,
      newValue: { i, note: odd, list: [1, 'two', null] },
      oldValue: i % 2 ? null : { was: odd },
      description: i % 3 ? `${odd} ${i}` : undefined,
    }));
    await db().transaction((tx) => audit(tx, ctx, entries));
    const rows = await db().execute(sql`
      SELECT target_id, new_value, old_value, description, actor_id::text AS actor, ip_address
        FROM audit_logs WHERE workspace_id = ${ws.id} AND target_type = 'bulk_probe' ORDER BY seq`);
    const got = rows.rows as Array<Record<string, unknown>>;
    expect(got.map((r) => r.target_id)).toEqual(entries.map((e) => e.targetId));
    expect(got[7]).toEqual({
      target_id: 'p7',
      new_value: { i: 7, note: odd, list: [1, 'two', null] },
      old_value: null,
      description: `${odd} 7`,
      actor: ws.adminId,
      ip_address: '10.0.0.1',
    });
    expect(got[6]).toMatchObject({ old_value: { was: odd }, description: null });
    const res = await h.request('GET', '/compliance/audit-logs/verify', ws.adminToken);
    expect(res.body).toMatchObject({ ok: true, first_broken_seq: null });
  });

  it('chains entries when their transaction commits: an open one holds no other writer of the workspace', async () => {
    const pendingEntry = (c: Client, target: string) =>
      c.query(
        `INSERT INTO audit_pending (id, workspace_id, action_type, target_type, target_id)
         VALUES (gen_random_uuid(), $1, 'TRAINING_ASSIGNED', 'training_assignment', $2)`,
        [ws.id, target],
      );
    const seqOf = async (target: string) => {
      const r = await db().execute(
        sql`SELECT seq FROM audit_logs WHERE workspace_id = ${ws.id} AND target_id = ${target}`,
      );
      return r.rows.map((x) => Number((x as { seq: string }).seq));
    };
    const a = new Client({ connectionString: h.databaseUrl });
    const b = new Client({ connectionString: h.databaseUrl });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query('BEGIN');
      await pendingEntry(a, 'open-first');
      // A second writer of the same workspace commits while the first is still open.
      await b.query("SET statement_timeout = '5s'");
      await b.query('BEGIN');
      await pendingEntry(b, 'committed-second');
      await b.query('COMMIT');
      expect(await seqOf('committed-second')).toHaveLength(1);
      expect(await seqOf('open-first')).toEqual([]);
      await a.query('COMMIT');
      const [second] = await seqOf('committed-second');
      expect(await seqOf('open-first')).toEqual([(second ?? 0) + 1]);
      // A rolled-back transaction leaves nothing, in the chain or waiting for it.
      await a.query('BEGIN');
      await pendingEntry(a, 'rolled-back');
      await a.query('ROLLBACK');
      expect(await seqOf('rolled-back')).toEqual([]);
      const left = await db().execute(sql`SELECT count(*)::int AS n FROM audit_pending`);
      expect((left.rows[0] as { n: number }).n).toBe(0);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    const res = await h.request('GET', '/compliance/audit-logs/verify', ws.adminToken);
    expect(res.body).toMatchObject({ ok: true, first_broken_seq: null });
  });

  it('rejects UPDATE, DELETE and TRUNCATE, even for the owner', async () => {
    expect(
      await refusal(db().execute(sql`UPDATE audit_logs SET description = 'x' WHERE workspace_id = ${ws.id}`)),
    ).toMatch(/append-only/);
    expect(await refusal(db().execute(sql`DELETE FROM audit_logs WHERE workspace_id = ${ws.id}`))).toMatch(
      /append-only/,
    );
    expect(await refusal(db().execute(sql`TRUNCATE audit_logs`))).toMatch(/append-only/);
    expect(
      await refusal(db().execute(sql`DELETE FROM audit_chain_heads WHERE workspace_id = ${ws.id}`)),
    ).toMatch(/only move forward/);
  });

  it('verifies an intact chain through the API', async () => {
    const res = await h.request('GET', '/compliance/audit-logs/verify', ws.adminToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, first_broken_seq: null });
    expect(res.body.entries).toBe(res.body.head_seq);
  });

  it('finds a row tampered with by a superuser who disabled the triggers', async () => {
    const victim = await h.workspace();
    await victim.member('MEMBER');
    await victim.member('MEMBER');
    await tamper(`UPDATE audit_logs SET description = 'nothing to see' WHERE workspace_id = $1 AND seq = 3`, [
      victim.id,
    ]);
    const res = await h.request('GET', '/compliance/audit-logs/verify', victim.adminToken);
    expect(res.body).toMatchObject({ ok: false, first_broken_seq: 3, reason: 'HASH_MISMATCH' });
  });

  it('finds a deleted row as a gap', async () => {
    const victim = await h.workspace();
    await victim.member('MEMBER');
    await victim.member('MEMBER');
    await tamper('DELETE FROM audit_logs WHERE workspace_id = $1 AND seq = 2', [victim.id]);
    const res = await h.request('GET', '/compliance/audit-logs/verify', victim.adminToken);
    expect(res.body).toMatchObject({ ok: false, first_broken_seq: 2, reason: 'GAP' });
  });

  it('lists entries with filters, newest first, paginated', async () => {
    const all = await h.request(
      'GET',
      '/compliance/audit-logs?action_type=MEMBER_CREATED&limit=1',
      ws.adminToken,
    );
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(1);
    expect(all.body.data[0].action_type).toBe('MEMBER_CREATED');
    expect(all.body.next_cursor).toEqual(expect.any(String));
    const next = await h.request(
      'GET',
      `/compliance/audit-logs?action_type=MEMBER_CREATED&limit=1&cursor=${all.body.next_cursor}`,
      ws.adminToken,
    );
    expect(next.body.data[0].seq).toBeLessThan(all.body.data[0].seq);
  });

  it('records an external action with the caller as actor', async () => {
    const member = await ws.member('MEMBER');
    const res = await h.request('POST', '/api/audit/log', member.token, {
      action: 'POLICY_PRINTED',
      target_type: 'policy',
      target_id: 'p-1',
      description: 'Printed the handbook',
    });
    expect(res.status).toBe(201);
    const list = await h.request(
      'GET',
      `/compliance/audit-logs?actor_id=${member.id}&action_type=EXTERNAL_ACTION`,
      ws.adminToken,
    );
    expect(list.body.data[0]).toMatchObject({
      actor_id: member.id,
      target_id: 'p-1',
      description: 'Printed the handbook',
    });
    expect(list.body.data[0].new_value.action).toBe('POLICY_PRINTED');
  });
});
