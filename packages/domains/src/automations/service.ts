import type { AuthContext } from '@vigil/kernel/auth';
import { asc, eq } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { listPage, type PageArgs } from '../paging';
import { patchInWorkspace } from '../patch';
import { peopleRefs } from '../people/service';
import { assertRefs, workspaceRows } from '../refs';
import { webhookEndpoints } from '../webhooks/schema';
import type { AutomationAction, Conditions } from './rules';
import { automationRuns, automations } from './schema';

export type AutomationRow = typeof automations.$inferSelect;
const ENDPOINT_ROWS = workspaceRows(webhookEndpoints, 'Webhook');

export interface AutomationInput {
  name?: string;
  enabled?: boolean;
  trigger?: { event_type: string; conditions?: Conditions };
  actions?: AutomationAction[];
}

/** Members, teams and webhook endpoints the actions name must be in the workspace (400 naming the field). */
function assertActionRefs(db: Executor, ws: string, actions: AutomationAction[] | undefined) {
  if (!actions) return Promise.resolve();
  const members: Record<string, string[]> = {};
  const teams: Record<string, string[]> = {};
  const endpoints: Array<{ field: string; rows: typeof ENDPOINT_ROWS; ids: string[] }> = [];
  actions.forEach((a, i) => {
    if (a.type === 'notify' && a.member_ids?.length) members[`body.actions.${i}.member_ids`] = a.member_ids;
    if (a.type === 'create_ticket' && a.team_id) teams[`body.actions.${i}.team_id`] = [a.team_id];
    if (a.type === 'webhook')
      endpoints.push({ field: `body.actions.${i}.endpoint_id`, rows: ENDPOINT_ROWS, ids: [a.endpoint_id] });
  });
  return assertRefs(db, ws, [...peopleRefs({ members, teams }), ...endpoints]);
}

export const automationJson = (a: AutomationRow) => ({
  id: a.id,
  workspace_id: a.workspaceId,
  name: a.name,
  enabled: a.enabled,
  trigger: { event_type: a.eventType, conditions: a.conditions },
  actions: a.actions,
  created_at: a.createdAt.toISOString(),
  updated_at: a.updatedAt.toISOString(),
});
const audited = (a: AutomationRow) => {
  const { id: _id, workspace_id: _ws, created_at: _c, updated_at: _u, ...rest } = automationJson(a);
  return rest;
};

export async function getAutomation(db: Executor, ws: string, id: string): Promise<AutomationRow> {
  return findInWorkspace(db, automations, 'Automation', ws, id);
}

export const listAutomations = (db: Executor, ws: string) =>
  db.select().from(automations).where(eq(automations.workspaceId, ws)).orderBy(asc(automations.id));

export async function createAutomation(
  db: Db,
  ctx: AuthContext,
  input: Required<Pick<AutomationInput, 'name' | 'trigger' | 'actions'>> & AutomationInput,
) {
  await assertActionRefs(db, ctx.workspaceId, input.actions);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(automations)
      .values({
        workspaceId: ctx.workspaceId,
        name: input.name,
        enabled: input.enabled ?? true,
        eventType: input.trigger.event_type,
        conditions: input.trigger.conditions ?? {},
        actions: input.actions,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'AUTOMATION_CREATED',
      targetType: 'automation',
      targetId: row.id,
      newValue: audited(row),
      description: `Automation "${row.name}" created`,
    });
    return row;
  });
}

export async function updateAutomation(db: Db, ctx: AuthContext, id: string, input: AutomationInput) {
  return patchInWorkspace(
    db,
    ctx,
    { table: automations, what: 'Automation', id },
    {
      check: () => assertActionRefs(db, ctx.workspaceId, input.actions),
      set: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.trigger
          ? { eventType: input.trigger.event_type, conditions: input.trigger.conditions ?? {} }
          : {}),
        ...(input.actions ? { actions: input.actions } : {}),
      },
      audit: (before, row) => ({
        action: 'AUTOMATION_UPDATED',
        targetType: 'automation',
        targetId: id,
        oldValue: audited(before),
        newValue: audited(row),
        description: `Automation "${row.name}" updated`,
      }),
    },
  );
}

export async function deleteAutomation(db: Db, ctx: AuthContext, id: string) {
  return db.transaction(async (tx) => {
    const before = await getAutomation(tx, ctx.workspaceId, id);
    await tx.delete(automations).where(eq(automations.id, id));
    await audit(tx, ctx, {
      action: 'AUTOMATION_DELETED',
      targetType: 'automation',
      targetId: id,
      oldValue: audited(before),
      description: `Automation "${before.name}" deleted (its runs stay)`,
    });
  });
}

export async function listRuns(db: Executor, ws: string, automationId: string, f: PageArgs) {
  await getAutomation(db, ws, automationId);
  const page = await listPage(
    db,
    automationRuns,
    [eq(automationRuns.workspaceId, ws), eq(automationRuns.automationId, automationId)],
    f,
  );
  return {
    data: page.data.map((r) => ({
      id: r.id,
      automation_id: r.automationId,
      event_id: r.eventId,
      replay: r.replay,
      status: r.status,
      results: r.results,
      error: r.error,
      created_at: r.createdAt.toISOString(),
    })),
    next_cursor: page.next_cursor,
  };
}
