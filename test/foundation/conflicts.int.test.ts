import { audit } from '@vigil/domains/audit/service';
import { withEffects } from '@vigil/domains/deps';
import { systemContext } from '@vigil/kernel/auth';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { eventually, type Harness, startHarness } from '../harness';

/**
 * A service call that Postgres aborts as a deadlock is run again from the start: its
 * rolled-back attempt leaves no row and no post-commit effect behind.
 */
describe('transaction conflicts', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await h.deps.db.execute(
      sql`CREATE TABLE IF NOT EXISTS conflict_probe (id int PRIMARY KEY, n int NOT NULL)`,
    );
    await h.deps.db.execute(
      sql`INSERT INTO conflict_probe VALUES (1, 0), (2, 0) ON CONFLICT (id) DO UPDATE SET n = 0`,
    );
  });
  afterAll(() => h.close());

  it('runs a call again after a deadlock, with fresh effects, and commits once', async () => {
    const other = new Client({ connectionString: h.databaseUrl });
    await other.connect();
    const attempts: number[] = [];
    const ran: number[] = [];
    try {
      await other.query('BEGIN');
      await other.query('UPDATE conflict_probe SET n = n + 100 WHERE id = 1');
      const call = withEffects(h.deps, async (fx) => {
        const attempt = attempts.length + 1;
        attempts.push(attempt);
        fx.add(`effect of attempt ${attempt}`, async () => ran.push(attempt));
        await h.deps.db.transaction(async (tx) => {
          await tx.execute(sql`UPDATE conflict_probe SET n = n + 1 WHERE id = 2`);
          // Waits for the other transaction's row 1 on the first attempt.
          await tx.execute(sql`UPDATE conflict_probe SET n = n + 1 WHERE id = 1`);
        });
        return attempt;
      });
      // Once the call holds row 2 and waits for row 1, close the cycle: Postgres aborts the
      // call's transaction (it has waited longest, so its deadlock check runs first).
      await eventually(async () => {
        const waiting = await h.deps.db.execute(
          sql`SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return (waiting.rows[0] as { n: number }).n > 0;
      });
      const closing = other.query('UPDATE conflict_probe SET n = n + 100 WHERE id = 2');
      const [result] = await Promise.all([call, closing.then(() => other.query('COMMIT'))]);
      expect(result).toBe(2);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
    expect(attempts).toEqual([1, 2]);
    expect(ran).toEqual([2]);
    const rows = await h.deps.db.execute(sql`SELECT id, n FROM conflict_probe ORDER BY id`);
    expect(rows.rows).toEqual([
      { id: 1, n: 101 },
      { id: 2, n: 101 },
    ]);
  });

  it("writes a transaction's audit entries last, so auditing early cannot deadlock over the chain head", async () => {
    const ws = await h.workspace();
    const other = new Client({ connectionString: h.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('UPDATE conflict_probe SET n = n + 1 WHERE id = 1');
      // Audits first, then needs the row the other transaction holds.
      const call = h.deps.db.transaction(async (tx) => {
        await audit(tx, { ...systemContext(ws.id) }, { action: 'MEMBER_UPDATED', targetType: 'probe' });
        await tx.execute(sql`UPDATE conflict_probe SET n = n + 1 WHERE id = 1`);
      });
      await eventually(async () => {
        const waiting = await h.deps.db.execute(
          sql`SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return (waiting.rows[0] as { n: number }).n > 0;
      });
      // The other transaction now audits in the same workspace: it must not wait on the call.
      await other.query(
        `INSERT INTO audit_logs (id, workspace_id, action_type, target_type) VALUES (gen_random_uuid(), $1, 'MEMBER_UPDATED', 'probe')`,
        [ws.id],
      );
      await other.query('COMMIT');
      await call;
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
    }
    const res = await h.request('GET', '/compliance/audit-logs/verify', ws.adminToken);
    expect(res.body).toMatchObject({ ok: true, first_broken_seq: null });
  });
});
