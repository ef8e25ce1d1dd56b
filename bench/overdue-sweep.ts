import { flagOverdueReminders } from '@vigil/domains/reminders/maintenance';
import * as schema from '@vigil/domains/schema';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { sql } from 'drizzle-orm';
import { benchStack } from './stack';

/**
 * The hourly flag-overdue-reminders sweep over 1,000,000 instances (90% past due, half of all to correct)
 * against one bare set-based UPDATE on the same table, in the same run. The table is rebuilt
 * identically (generate_series) before every run; each side runs `rounds` times and the best
 * time counts. Goal: sweep ≤ 1.5× the bare UPDATE.
 */
export async function overdueSweep(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 1_000_000);
  const rounds = Number(args[1] ?? 2);
  const stack = await benchStack();
  try {
    const { workspace } = stack;
    // Bulk set-up and the bare UPDATE run without the API's per-statement limit.
    const pool = createPool({ url: stack.deps.config.DATABASE_URL ?? '', max: 2, statementTimeoutMs: 0 });
    const deps = { db: createDatabase(pool, schema), pool };
    const ws = workspace.workspace.id;
    const reminderId = '01900000-0000-7000-8000-000000000001';
    await deps.db.execute(sql`
      INSERT INTO reminders (id, workspace_id, title, frequency, start_date)
      VALUES (${reminderId}, ${ws}, 'Bench reminder', 'DAILY', now() - interval '10 years')`);

    const rebuild = async () => {
      await deps.db.execute(sql`TRUNCATE reminder_instances`);
      await deps.db.execute(sql`
        INSERT INTO reminder_instances (id, workspace_id, reminder_id, due_date, status)
        SELECT gen_random_uuid(), ${ws}, ${reminderId},
               now() - make_interval(secs => g) + CASE WHEN g % 10 = 0 THEN interval '30 days' ELSE interval '0' END,
               (ARRAY['PENDING','NOTIFIED','ACKNOWLEDGED','COMPLETED','OVERDUE'])[1 + g % 5]
        FROM generate_series(1, ${n}) AS g`);
      await deps.pool.query('VACUUM ANALYZE reminder_instances');
    };
    const time = async <T>(fn: () => Promise<T>) => {
      const t0 = process.hrtime.bigint();
      const out = await fn();
      return { ms: Number(process.hrtime.bigint() - t0) / 1e6, out };
    };

    const bare: number[] = [];
    const sweep: number[] = [];
    let bareRows = 0;
    let sweepRows = 0;
    for (let i = 0; i < rounds; i++) {
      await rebuild();
      const b = await time(() =>
        deps.db.execute(sql`
          UPDATE reminder_instances SET status = 'OVERDUE', updated_at = now()
          WHERE due_date <= now() AND status IN ('PENDING', 'NOTIFIED', 'ACKNOWLEDGED')`),
      );
      bare.push(b.ms);
      bareRows = (b.out as { rowCount: number | null }).rowCount ?? 0;
      await rebuild();
      const s = await time(() => flagOverdueReminders(deps.db));
      sweep.push(s.ms);
      sweepRows = s.out.corrected;
    }
    const bestBare = Math.min(...bare);
    const bestSweep = Math.min(...sweep);
    console.log(`instances:                ${n.toLocaleString('en-US')}`);
    console.log(
      `rows corrected:           bare ${bareRows.toLocaleString('en-US')}, sweep ${sweepRows.toLocaleString('en-US')}`,
    );
    console.log(
      `bare UPDATE (ms):         ${bare.map((x) => x.toFixed(0)).join(', ')}  best ${bestBare.toFixed(0)}`,
    );
    console.log(
      `flag-overdue sweep (ms):  ${sweep.map((x) => x.toFixed(0)).join(', ')}  best ${bestSweep.toFixed(0)}`,
    );
    console.log(`ratio sweep / bare:       ${(bestSweep / bestBare).toFixed(2)}× (goal ≤ 1.5×)`);
    await pool.end();
  } finally {
    await stack.close();
  }
}
