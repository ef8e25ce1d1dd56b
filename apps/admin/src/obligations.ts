import { signalObligation } from '@vigil/domains/obligations/client';
import { reconcileObligations } from '@vigil/domains/obligations/reconcile';
import { OBLIGATION_KINDS, type ObligationKind } from '@vigil/domains/obligations/rules';
import { loadView, performStep, workflowIdFor } from '@vigil/domains/obligations/service';
import { stateQuery } from '@vigil/domains/obligations/signals';
import { registerDomains } from '@vigil/domains/registry';
import { SWEEP_SCHEDULES } from '@vigil/domains/schedules';
import { connect } from './connect';

function kindOf(value: string | undefined): ObligationKind {
  if (!value || !(OBLIGATION_KINDS as readonly string[]).includes(value)) {
    throw new Error(`KIND must be one of: ${OBLIGATION_KINDS.join(', ')}`);
  }
  return value as ObligationKind;
}

/** `obligation show|signal|escalate-now KIND ID` */
export async function obligationCommand(
  sub: string | undefined,
  kindArg: string | undefined,
  id: string | undefined,
) {
  const kind = kindOf(kindArg);
  if (!id) throw new Error('ID is required');
  registerDomains();
  const deps = await connect();
  try {
    const row = await loadView(deps.db, kind, id);
    if (!row.found) throw new Error(`No ${kind} ${id}`);
    const handle = deps.temporal.client.workflow.getHandle(workflowIdFor(kind, id));
    if (sub === 'show') {
      const query = await handle.query(stateQuery).catch((err: Error) => ({ error: err.message }));
      console.log(JSON.stringify({ row, workflow: query }, null, 2));
      return 0;
    }
    if (sub === 'signal') {
      await signalObligation(deps.temporal, {
        kind,
        id,
        workspaceId: row.workspaceId as string,
        ownerId: row.ownerId,
      });
      console.log(`signalled ${workflowIdFor(kind, id)}`);
      return 0;
    }
    if (sub === 'escalate-now') {
      if (row.next.type !== 'STEP' || row.next.action !== 'ESCALATE' || !row.next.key) {
        console.error(
          `The next step of ${kind} ${id} is ${row.next.key ?? row.next.type}, not an escalation`,
        );
        return 1;
      }
      const res = await performStep(deps, kind, id, row.next.key, { force: true });
      await signalObligation(deps.temporal, {
        kind,
        id,
        workspaceId: row.workspaceId as string,
        ownerId: row.ownerId,
      });
      console.log(`${row.next.key}: ${res.outcome}, ${res.notificationIds.length} notification(s) queued`);
      return res.outcome === 'PERFORMED' ? 0 : 1;
    }
    throw new Error('Usage: obligation show|signal|escalate-now KIND ID');
  } finally {
    await deps.close();
  }
}

/** `reconcile [--workspace ID]` with a progress line per batch. */
export async function reconcileCommand(workspaceId: string | undefined) {
  registerDomains();
  const deps = await connect();
  try {
    const started = Date.now();
    const res = await reconcileObligations(deps, {
      workspaceId: workspaceId ?? null,
      onProgress: (done, kind) => process.stderr.write(`\r  ${kind}: ${done} checked`.padEnd(60)),
    });
    process.stderr.write('\n');
    console.log(JSON.stringify({ ...res, ms: Date.now() - started }));
    return 0;
  } finally {
    await deps.close();
  }
}

/** `schedules list` and `schedules trigger ID`. */
export async function schedulesCommand(sub: string | undefined, id: string | undefined) {
  const deps = await connect();
  try {
    if (sub === 'list') {
      for await (const s of deps.temporal.client.schedule.list()) {
        const d = await deps.temporal.client.schedule.getHandle(s.scheduleId).describe();
        console.log(
          `${s.scheduleId.padEnd(36)} next ${d.info.nextActionTimes[0]?.toISOString() ?? '-'}  recent ${d.info.recentActions.length}`,
        );
      }
      const known = SWEEP_SCHEDULES.map((s) => s.id);
      console.log(`(Vigil defines: ${known.join(', ')})`);
      return 0;
    }
    if (sub === 'trigger' && id) {
      await deps.temporal.client.schedule.getHandle(id).trigger();
      console.log(`triggered ${id}`);
      return 0;
    }
    throw new Error('Usage: schedules list | schedules trigger ID');
  } finally {
    await deps.close();
  }
}
