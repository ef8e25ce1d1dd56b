import { replayEvent } from '@vigil/domains/automations/dispatch';
import { automations } from '@vigil/domains/automations/schema';
import { registerDomains } from '@vigil/domains/registry';
import { asc, eq } from 'drizzle-orm';
import { connect } from './connect';

/** `automations list [--workspace ID]` and `automation replay EVENT_ID`. */
export async function automationCommand(
  sub: string | undefined,
  arg: string | undefined,
  workspace?: string,
  json = false,
) {
  registerDomains();
  const deps = await connect();
  try {
    if (sub === 'list') {
      const rows = await deps.db
        .select()
        .from(automations)
        .where(workspace ? eq(automations.workspaceId, workspace) : undefined)
        .orderBy(asc(automations.workspaceId), asc(automations.id));
      if (json) console.log(JSON.stringify(rows));
      else
        for (const a of rows)
          console.log(
            `${a.id}  ${a.workspaceId}  ${a.enabled ? 'enabled ' : 'disabled'}  ${a.eventType}  ${a.actions.map((x) => x.type).join(',')}  ${a.name}`,
          );
      return 0;
    }
    if (sub === 'replay') {
      if (!arg) throw new Error('automation replay EVENT_ID');
      const res = await replayEvent(deps, arg);
      if (!res) throw new Error(`No event ${arg}`);
      console.log(
        json
          ? JSON.stringify(res)
          : `event ${res.event_id}: ${res.runs.length} run(s) ${res.runs.map((r) => r.run_id).join(' ')}`,
      );
      return 0;
    }
    throw new Error('automations list [--workspace ID] | automation replay EVENT_ID');
  } finally {
    await deps.close();
  }
}
