import { tickets } from '@vigil/domains/escalation/schema';
import { performStep } from '@vigil/domains/obligations/service';
import { newId } from '@vigil/kernel/ids';
import pLimit from 'p-limit';
import type { Pool, PoolClient } from 'pg';
import { benchStack, leadAndOwner, percentile } from './stack';

/** Counts the statements a pool's clients send (BEGIN and COMMIT included) while `fn` runs. */
async function counting<T>(pool: Pool, fn: () => Promise<T>): Promise<{ out: T; statements: number }> {
  let statements = 0;
  const wrapped = new WeakSet<object>();
  const wrap = (client: PoolClient) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
      statements++;
      return query(...a);
    };
  };
  const onAcquire = (c: PoolClient) => wrap(c);
  pool.on('acquire', onAcquire);
  try {
    const out = await fn();
    return { out, statements };
  } finally {
    pool.off('acquire', onAcquire);
  }
}

/**
 * The cost of one engine step with no Temporal in the loop: `COUNT` tickets (default 200)
 * whose L1 escalation is due are stepped through performStep, one at a time and then
 * `CONCURRENCY` at once (default 20, the bench pool's size), reporting statements per step
 * and step latency. `npm run bench -- step-cost [COUNT] [CONCURRENCY]`.
 */
export async function stepCost(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 200);
  const concurrency = Number(args[1] ?? 20);
  const stack = await benchStack();
  try {
    const { deps } = stack;
    const { ws, owner, team } = await leadAndOwner(stack);
    const make = async (count: number) => {
      const rows = Array.from({ length: count }, () => ({
        id: newId(),
        workspaceId: ws,
        title: 'Step probe',
        status: 'OPEN' as const,
        teamId: team.id,
        assigneeId: owner.id,
        ladderSource: 'OWN',
        ladder: [
          {
            level: 'L1' as const,
            after: 'PT1S',
            target: { type: 'TEAM_LEAD' as const },
            channels: ['email' as const],
          },
        ],
        createdAt: new Date(Date.now() - 60_000),
      }));
      for (let i = 0; i < rows.length; i += 500) await deps.db.insert(tickets).values(rows.slice(i, i + 500));
      return rows.map((r) => r.id);
    };
    const run = async (ids: string[], parallel: number) => {
      const limit = pLimit(parallel);
      const ms: number[] = [];
      const t0 = performance.now();
      const { statements } = await counting(deps.pool, () =>
        Promise.all(
          ids.map((id) =>
            limit(async () => {
              const t = performance.now();
              const r = await performStep(deps, 'ticket', id, 'ESCALATE:L1');
              if (r.outcome !== 'PERFORMED') throw new Error(`step ${id}: ${r.outcome}`);
              ms.push(performance.now() - t);
            }),
          ),
        ),
      );
      const wall = performance.now() - t0;
      return {
        steps: ids.length,
        concurrency: parallel,
        statements_per_step: Math.round((statements / ids.length) * 10) / 10,
        p50_ms: Math.round(percentile(ms, 50) * 10) / 10,
        p99_ms: Math.round(percentile(ms, 99) * 10) / 10,
        steps_per_s: Math.round(ids.length / (wall / 1000)),
      };
    };
    await run(await make(20), 1); // warm-up
    console.log(`step-cost serial:   ${JSON.stringify(await run(await make(n), 1))}`);
    console.log(`step-cost parallel: ${JSON.stringify(await run(await make(n * 5), concurrency))}`);
  } finally {
    await stack.close();
  }
}
