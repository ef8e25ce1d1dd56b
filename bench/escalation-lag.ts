import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { tickets } from '@vigil/domains/escalation/schema';
import { notifications } from '@vigil/domains/notifications/schema';
import { relayWorkflowCommands } from '@vigil/domains/obligations/commands';
import { obligationSteps } from '@vigil/domains/obligations/schema';
import { newId } from '@vigil/kernel/ids';
import { and, eq, inArray, sql } from 'drizzle-orm';
import pLimit from 'p-limit';
import { benchStack, leadAndOwner, percentile } from './stack';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * 1,000 tickets whose one-level ladder fires in the same second. Measures the delay
 * from that deadline to each outbox row, against a baseline of 1,000 bare timer
 * workflows to a deadline (timer + one activity) on the same server and worker.
 * Three rounds (BENCH_ROUNDS), each baseline then engine; the result is the median
 * round's p99 ratio, printed on the line starting `ratio engine/baseline`.
 * `npm run bench -- escalation-lag [COUNT] [--cluster]`: `--cluster` runs it on the
 * production topology (the Temporal server with Postgres persistence) instead of the dev server.
 */
export async function escalationLag(args: string[]): Promise<void> {
  const cluster = args.includes('--cluster');
  const n = Number(args.find((a) => !a.startsWith('--')) ?? 1000);
  const concurrency = 50;
  const stack = await benchStack({
    workflowsPath: resolve(__dirname, 'workflows.ts'),
    extraActivities: { benchNow: async () => Date.now() },
    cluster,
  });
  try {
    const { deps } = stack;
    const { ws, owner, team } = await leadAndOwner(stack);
    const limit = pLimit(concurrency);

    // Baselines on the same server and worker: bare timers to one deadline; the floor is
    // the workflow clock when each woke, the baseline adds one activity after it.
    const timerBurst = async (workflowType: string, count = n, lead = 20_000) => {
      const at = Date.now() + lead;
      return Promise.all(
        Array.from({ length: count }, (_, i) =>
          limit(() =>
            deps.temporal.client.workflow.start(workflowType, {
              workflowId: `${workflowType}/${at}/${i}`,
              taskQueue: stack.taskQueue,
              args: [at],
            }),
          ),
        ).map(async (p) => (await p).result() as Promise<number>),
      );
    };

    // Engine: tickets opened 10 s before a shared deadline, ladder L1 after PT10S.
    const engineBurst = async (round: number) => {
      const deadline = Date.now() + 25_000;
      const openedAt = new Date(deadline - 10_000);
      const rows = Array.from({ length: n }, () => ({
        id: newId(),
        workspaceId: ws,
        title: `Lag probe ${round}`,
        status: 'OPEN' as const,
        teamId: team.id,
        assigneeId: owner.id,
        ladderSource: 'OWN',
        ladder: [
          {
            level: 'L1' as const,
            after: 'PT10S',
            target: { type: 'TEAM_LEAD' as const },
            channels: ['email' as const],
          },
        ],
        createdAt: openedAt,
      }));
      for (let i = 0; i < rows.length; i += 500) await deps.db.insert(tickets).values(rows.slice(i, i + 500));
      const ids = rows.map((r) => r.id);
      // Started as the product starts them: the inserts queued their START commands, and the
      // relay starts each workflow from the state it reads (its first task only arms the timer).
      const startedAt = Date.now();
      for (
        let pass = await relayWorkflowCommands(deps);
        pass.claimed;
        pass = await relayWorkflowCommands(deps)
      )
        if (pass.failed) console.error(`relay: ${pass.failed} command(s) failed; retrying`);
      const startMs = Date.now() - startedAt;
      const mine = and(
        eq(notifications.workspaceId, ws),
        eq(notifications.level, 'L1'),
        inArray(notifications.obligationId, ids),
      );
      const until = Date.now() + 120_000;
      for (;;) {
        const [c] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(mine);
        if ((c?.n ?? 0) >= n || Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      // A row exists for readers once its transaction commits: measure to the commit
      // timestamp where Postgres tracks it (the embedded server does), else to created_at.
      const tracked = await deps.db.execute(
        sql`SELECT current_setting('track_commit_timestamp') = 'on' AS on`,
      );
      const at = (tracked.rows[0] as { on: boolean }).on
        ? sql`pg_xact_commit_timestamp(${notifications}.xmin)`
        : sql`${notifications.createdAt}`;
      const lagRows = await deps.db
        .select({
          id: notifications.obligationId,
          lag: sql<number>`(extract(epoch from ${at}) * 1000)::float8 - ${deadline}`,
        })
        .from(notifications)
        .where(mine);
      // Where the time goes: when each step's transaction began (the worker had picked the
      // deadline up), and how long it took to its outbox row's commit (a burst's steps share the
      // worker's event loop and the database, so their round trips slow down together).
      const began = await deps.db
        .select({
          id: obligationSteps.obligationId,
          lag: sql<number>`(extract(epoch from ${obligationSteps.performedAt}) * 1000)::float8 - ${deadline}`,
        })
        .from(obligationSteps)
        .where(
          and(
            eq(obligationSteps.workspaceId, ws),
            eq(obligationSteps.stepKey, 'ESCALATE:L1'),
            inArray(obligationSteps.obligationId, ids),
          ),
        );
      const beganAt = new Map(began.map((r) => [r.id, Number(r.lag)]));
      const txMs = lagRows.flatMap((r) => {
        const b = r.id ? beganAt.get(r.id) : undefined;
        return b === undefined ? [] : [Number(r.lag) - b];
      });
      return {
        lags: lagRows.map((r) => Number(r.lag)),
        began: began.map((r) => Number(r.lag)),
        txMs,
        startMs,
      };
    };

    await timerBurst('benchWakeWorkflow', Math.ceil(n / 10), 5_000); // warm-up, not reported
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const rounds: Array<{ base: number; eng: number; ratio: number }> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const wakeLags = await timerBurst('benchWakeWorkflow');
      const baseLags = await timerBurst('benchTimerWorkflow');
      const { lags, began, txMs, startMs } = await engineBurst(round);
      const base = { p50: percentile(baseLags, 50), p99: percentile(baseLags, 99) };
      const eng = { p50: percentile(lags, 50), p99: percentile(lags, 99), max: Math.max(...lags) };
      const ratio = eng.p99 / Math.max(1, base.p99);
      rounds.push({ base: base.p99, eng: eng.p99, ratio });
      console.log(
        `escalation-lag round ${round}/${ROUNDS}${cluster ? ' on the cluster (Temporal server, Postgres persistence)' : ''}: ${lags.length}/${n} outbox rows (workflow starts took ${startMs} ms; load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')})`,
      );
      console.log(
        `  floor (bare timer, workflow woke):  p50 ${ms(percentile(wakeLags, 50))}, p99 ${ms(percentile(wakeLags, 99))}`,
      );
      console.log(`  baseline (bare timer + activity): p50 ${ms(base.p50)}, p99 ${ms(base.p99)}`);
      console.log(
        `  engine (deadline -> outbox commit): p50 ${ms(eng.p50)}, p99 ${ms(eng.p99)}, max ${ms(eng.max)}`,
      );
      console.log(
        `  of which step transaction began: p50 ${ms(percentile(began, 50))}, p99 ${ms(percentile(began, 99))}`,
      );
      console.log(
        `  step transaction (began -> outbox commit): p50 ${ms(percentile(txMs, 50))}, p99 ${ms(percentile(txMs, 99))}`,
      );
      console.log(
        `  round ratio engine/baseline: p50 ${(eng.p50 / Math.max(1, base.p50)).toFixed(2)}x, p99 ${ratio.toFixed(2)}x`,
      );
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds.length - 1) / 2)];
    const engMedian = percentile(
      rounds.map((r) => r.eng),
      50,
    );
    if (!median) throw new Error('no rounds');
    console.log(
      `ratio engine/baseline: p99 ${median.ratio.toFixed(2)}x (median of ${rounds.length} rounds: ${rounds
        .map((r) => `${r.ratio.toFixed(2)}x`)
        .join(', ')}; that round engine p99 ${ms(median.eng)}, baseline p99 ${ms(median.base)})`,
    );
    console.log(`  goal p99 ratio <= 1.3x: ${median.ratio <= 1.3 ? 'met' : 'NOT met'}`);
    console.log(
      `  goal p99 <= 1000 ms (for 50 deadlines): median engine p99 ${ms(engMedian)}, ${engMedian <= 1000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await stack.close();
  }
}
