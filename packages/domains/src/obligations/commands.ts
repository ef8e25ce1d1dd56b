import { isServiceUnavailable } from '@vigil/kernel/errors';
import type { TemporalHandle } from '@vigil/kernel/temporal';
import { inArray, sql } from 'drizzle-orm';
import pLimit from 'p-limit';
import type { Db, Executor } from '../db';
import { START_CONCURRENCY, signalObligation, startObligations } from './client';
import type { ObligationKind } from './rules';
import { workflowCommands } from './schema';

/**
 * Workflow commands are queued by database triggers (drizzle/0009_reliability.sql) in the
 * same transaction as the obligation change that needs them: an INSERT of an obligation row
 * queues START, an UPDATE queues SIGNAL. Nothing in the services starts or signals a
 * workflow by hand, so no committed change can miss its workflow. A reminder definition's
 * change (drizzle/0016_reminder_commands.sql) queues a SIGNAL of kind `reminder` for its
 * planner workflow.
 *
 * The engine's own steps and the safety-net sweeps call this first: their changes are
 * already known to (or re-read on schedule by) the workflows, so they queue nothing.
 */
export async function quietWorkflowCommands(tx: Executor): Promise<void> {
  await tx.execute(sql`SELECT ${QUIET_WORKFLOW_COMMANDS}`);
}

/**
 * The expression that quiets the workflow-command triggers for the rest of the transaction,
 * for a statement that must do so on its way (an engine step's first write).
 */
export const QUIET_WORKFLOW_COMMANDS = sql`set_config('vigil.workflow_commands', 'off', true)`;

/**
 * Starts the workflows of a kind that is not an obligation (for example a document version's
 * extraction, kind `document_extraction`), queued in the same outbox by that domain's trigger.
 * Returns the error of each start that failed, by position, like startObligations.
 */
export type WorkflowStarter = (
  deps: { db: Db; temporal: TemporalHandle },
  refs: Array<{ id: string; workspaceId: string }>,
  opts: { taskQueue: string },
) => Promise<{ failed: number; errors: Array<string | undefined> }>;

const starters = new Map<string, WorkflowStarter>();

/** Registers a domain's starter for its command kind (registry.ts, from each module's workflowStarters). */
export function registerWorkflowStarter(kind: string, starter: WorkflowStarter): void {
  starters.set(kind, starter);
}

/** What one relay pass did. */
export interface CommandPass {
  claimed: number;
  started: number;
  signalled: number;
  failed: number;
}

/**
 * Commands claimed per pass. Large enough that a bulk assignment of 10,000 members is a few
 * passes (each pass ends when its slowest start returns), small enough for a 60 s lease.
 */
export const COMMAND_BATCH = 2000;

/** Wait before a failed command is tried again: doubling from 1 s, at most 5 s, so a returning Temporal is caught fast. */
const retryDelayMs = (attempts: number) => Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5000);

/**
 * One pass of the workflow-command relay: claims due commands (a 60 s lease, so a relay
 * that dies mid-pass leaves them for another), coalesces them per workflow, then starts
 * new obligations (USE_EXISTING, from the state just committed) and signals changed ones
 * (signal-with-start). Done commands are deleted; failed ones get their error and a
 * short backoff. Starts and signals are idempotent, so a repeat is harmless.
 */
export async function relayWorkflowCommands(
  deps: { db: Db; temporal: TemporalHandle },
  opts: { batch?: number; concurrency?: number } = {},
): Promise<CommandPass> {
  const batch = opts.batch ?? COMMAND_BATCH;
  const concurrency = opts.concurrency ?? START_CONCURRENCY;
  const claimed = await deps.db.execute(sql`
    UPDATE workflow_commands c
       SET available_at = now() + interval '60 seconds', attempts = c.attempts + 1
     WHERE c.id IN (
       SELECT id FROM workflow_commands
        WHERE available_at <= now()
        ORDER BY available_at
        LIMIT ${batch}
        FOR UPDATE SKIP LOCKED)
    RETURNING c.id, c.workspace_id, c.kind, c.obligation_id, c.action, c.task_queue, c.attempts`);
  const rows = claimed.rows as Array<{
    id: string;
    workspace_id: string;
    kind: string;
    obligation_id: string;
    action: 'START' | 'SIGNAL';
    task_queue: string;
    attempts: number;
  }>;
  const pass: CommandPass = { claimed: rows.length, started: 0, signalled: 0, failed: 0 };
  if (!rows.length) return pass;

  // One command per workflow: a signal (with start) covers a start queued in the same pass.
  const byWorkflow = new Map<string, { ids: string[]; row: (typeof rows)[number]; signal: boolean }>();
  for (const r of rows) {
    const key = `${r.task_queue} ${r.kind}/${r.obligation_id}`;
    const g = byWorkflow.get(key) ?? { ids: [], row: r, signal: false };
    g.ids.push(r.id);
    g.signal ||= r.action === 'SIGNAL';
    g.row = r.attempts > g.row.attempts ? r : g.row;
    byWorkflow.set(key, g);
  }
  const done: string[] = [];
  const failed: Array<{ ids: string[]; attempts: number; error: string }> = [];
  const groups = [...byWorkflow.values()];

  // Starts, per kind and task queue, through the bulk path (initial state read set-based).
  const starts = new Map<string, typeof groups>();
  // A kind with its own starter goes through it, for starts and signals alike (a reminder's
  // starter signals-with-start its planner).
  const startsOnly = (g: (typeof groups)[number]) => !g.signal || starters.has(g.row.kind);
  for (const g of groups.filter(startsOnly)) {
    const key = `${g.row.kind} ${g.row.task_queue}`;
    starts.set(key, [...(starts.get(key) ?? []), g]);
  }
  for (const list of starts.values()) {
    const first = list[0]?.row;
    if (!first) continue;
    const refs = list.map((g) => ({ id: g.row.obligation_id, workspaceId: g.row.workspace_id }));
    const starter = starters.get(first.kind);
    const outcome = starter
      ? await starter(deps, refs, { taskQueue: first.task_queue })
      : await startObligations({ db: deps.db, temporal: deps.temporal }, first.kind as ObligationKind, refs, {
          taskQueue: first.task_queue,
          concurrency,
        });
    list.forEach((g, i) => {
      const err = outcome.errors[i];
      if (err) failed.push({ ids: g.ids, attempts: g.row.attempts, error: err });
      else done.push(...g.ids);
    });
    pass.started += list.length - outcome.failed;
  }

  const limit = pLimit(concurrency);
  await Promise.all(
    groups
      .filter((g) => !startsOnly(g))
      .map((g) =>
        limit(async () => {
          try {
            await signalObligation(
              deps.temporal,
              {
                id: g.row.obligation_id,
                workspaceId: g.row.workspace_id,
                kind: g.row.kind as ObligationKind,
              },
              { taskQueue: g.row.task_queue },
            );
            done.push(...g.ids);
            pass.signalled++;
          } catch (err) {
            failed.push({ ids: g.ids, attempts: g.row.attempts, error: describe(err) });
          }
        }),
      ),
  );

  for (let i = 0; i < done.length; i += 5000)
    await deps.db.delete(workflowCommands).where(inArray(workflowCommands.id, done.slice(i, i + 5000)));
  for (const f of failed) {
    pass.failed++;
    await deps.db
      .update(workflowCommands)
      .set({
        lastError: f.error.slice(0, 1000),
        availableAt: sql`now() + make_interval(secs => ${retryDelayMs(f.attempts) / 1000})`,
      })
      .where(inArray(workflowCommands.id, f.ids));
  }
  // A Temporal outage fails the whole pass, so the relay backs off instead of spinning.
  if (failed.length && failed.length === groups.length && failed.some((f) => /unavailable/i.test(f.error)))
    throw new Error(`Temporal is unavailable; ${failed.length} workflow command(s) wait for it`);
  return pass;
}

function describe(err: unknown): string {
  if (isServiceUnavailable(err)) return 'The workflow engine is unavailable';
  return err instanceof Error ? err.message : String(err);
}
