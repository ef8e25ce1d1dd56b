import type { AuthContext } from '@vigil/kernel/auth';
import type { Effects } from '@vigil/kernel/effects';
import { Conflict } from '@vigil/kernel/errors';
import type { TemporalHandle } from '@vigil/kernel/temporal';
import { and, asc, eq } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { listPage } from '../paging';
import { assertInWorkspace } from '../people/service';
import type { RuleConfig } from './routing';
import type { Frequency } from './rules';
import {
  assignmentRules,
  controlOwners,
  domainTeamMappings,
  type ReminderCategory,
  reminderSuggestions,
} from './schema';
import { createReminder, type ReminderInput } from './service';

async function routingAudit(
  tx: Executor,
  ctx: AuthContext,
  targetType: string,
  id: string,
  oldValue: unknown,
  newValue: unknown,
) {
  await audit(tx, ctx, { action: 'ROUTING_CHANGED', targetType, targetId: id, oldValue, newValue });
}

// ---- control owners ----

export interface ControlOwnerInput {
  control_id?: string;
  domain?: string | null;
  primary_owner_id?: string | null;
  backup_owner_id?: string | null;
  team_id?: string | null;
}

const coRefs = (db: Executor, ws: string, i: ControlOwnerInput) =>
  assertInWorkspace(db, ws, {
    members: {
      ...(i.primary_owner_id ? { 'body.primary_owner_id': [i.primary_owner_id] } : {}),
      ...(i.backup_owner_id ? { 'body.backup_owner_id': [i.backup_owner_id] } : {}),
    },
    teams: i.team_id ? { 'body.team_id': [i.team_id] } : {},
  });

const coColumns = (i: ControlOwnerInput) => ({
  ...(i.control_id !== undefined && { controlId: i.control_id }),
  ...(i.domain !== undefined && { domain: i.domain }),
  ...(i.primary_owner_id !== undefined && { primaryOwnerId: i.primary_owner_id }),
  ...(i.backup_owner_id !== undefined && { backupOwnerId: i.backup_owner_id }),
  ...(i.team_id !== undefined && { teamId: i.team_id }),
});

export const listControlOwners = (db: Executor, ws: string) =>
  db
    .select()
    .from(controlOwners)
    .where(eq(controlOwners.workspaceId, ws))
    .orderBy(asc(controlOwners.controlId));

export async function createControlOwner(
  db: Db,
  ctx: AuthContext,
  input: ControlOwnerInput & { control_id: string },
) {
  await coRefs(db, ctx.workspaceId, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(controlOwners)
      .values({ workspaceId: ctx.workspaceId, controlId: input.control_id, ...coColumns(input) })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await routingAudit(tx, ctx, 'control_owner', row.id, null, input);
    return row;
  });
}

export async function updateControlOwner(db: Db, ctx: AuthContext, id: string, input: ControlOwnerInput) {
  const before = await findInWorkspace(db, controlOwners, 'Control owner', ctx.workspaceId, id);
  await coRefs(db, ctx.workspaceId, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(controlOwners)
      .set({ ...coColumns(input), updatedAt: new Date() })
      .where(eq(controlOwners.id, id))
      .returning();
    await routingAudit(tx, ctx, 'control_owner', id, before, input);
    return row ?? before;
  });
}

type RoutingTable = typeof controlOwners | typeof domainTeamMappings | typeof assignmentRules;

export async function deleteRow(
  db: Db,
  ctx: AuthContext,
  table: RoutingTable,
  what: string,
  targetType: string,
  id: string,
) {
  const before = await findInWorkspace(db, table, what, ctx.workspaceId, id);
  await db.transaction(async (tx) => {
    await tx.delete(table).where(eq(table.id, id));
    await routingAudit(tx, ctx, targetType, id, before, null);
  });
}

// ---- domain team mappings ----

export const listDomainMappings = (db: Executor, ws: string) =>
  db
    .select()
    .from(domainTeamMappings)
    .where(eq(domainTeamMappings.workspaceId, ws))
    .orderBy(asc(domainTeamMappings.domain), asc(domainTeamMappings.priority));

export async function createDomainMapping(
  db: Db,
  ctx: AuthContext,
  input: { domain: string; team_id: string; priority?: number },
) {
  await assertInWorkspace(db, ctx.workspaceId, { teams: { 'body.team_id': [input.team_id] } });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(domainTeamMappings)
      .values({
        workspaceId: ctx.workspaceId,
        domain: input.domain,
        teamId: input.team_id,
        priority: input.priority ?? 100,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await routingAudit(tx, ctx, 'domain_team_mapping', row.id, null, input);
    return row;
  });
}

// ---- assignment rules ----

export interface RuleInput {
  name?: string;
  description?: string | null;
  priority?: number;
  is_active?: boolean;
  rule_config?: RuleConfig;
}

async function ruleRefs(db: Executor, ws: string, i: RuleInput) {
  const a = i.rule_config?.assign;
  await assertInWorkspace(db, ws, {
    members: a?.owner_id ? { 'body.rule_config.assign.owner_id': [a.owner_id] } : {},
    teams: a?.team_id ? { 'body.rule_config.assign.team_id': [a.team_id] } : {},
  });
}

const ruleColumns = (i: RuleInput) => ({
  ...(i.name !== undefined && { name: i.name }),
  ...(i.description !== undefined && { description: i.description }),
  ...(i.priority !== undefined && { priority: i.priority }),
  ...(i.is_active !== undefined && { isActive: i.is_active }),
  ...(i.rule_config !== undefined && { ruleConfig: i.rule_config }),
});

export const listRules = (db: Executor, ws: string) =>
  db
    .select()
    .from(assignmentRules)
    .where(eq(assignmentRules.workspaceId, ws))
    .orderBy(asc(assignmentRules.priority), asc(assignmentRules.id));

export async function createRule(
  db: Db,
  ctx: AuthContext,
  input: RuleInput & { name: string; rule_config: RuleConfig },
) {
  await ruleRefs(db, ctx.workspaceId, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(assignmentRules)
      .values({
        workspaceId: ctx.workspaceId,
        name: input.name,
        ruleConfig: input.rule_config,
        ...ruleColumns(input),
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await routingAudit(tx, ctx, 'assignment_rule', row.id, null, input);
    return row;
  });
}

export async function updateRule(db: Db, ctx: AuthContext, id: string, input: RuleInput) {
  const before = await findInWorkspace(db, assignmentRules, 'Assignment rule', ctx.workspaceId, id);
  await ruleRefs(db, ctx.workspaceId, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(assignmentRules)
      .set({ ...ruleColumns(input), updatedAt: new Date() })
      .where(eq(assignmentRules.id, id))
      .returning();
    await routingAudit(tx, ctx, 'assignment_rule', id, before, input);
    return row ?? before;
  });
}

// ---- suggestions ----

export type SuggestionRow = typeof reminderSuggestions.$inferSelect;

export async function getSuggestion(db: Executor, ws: string, id: string): Promise<SuggestionRow> {
  return findInWorkspace(db, reminderSuggestions, 'Suggestion', ws, id);
}

export async function listSuggestions(
  db: Executor,
  ws: string,
  f: { status?: string; limit: number; cursor?: string },
) {
  const where = [eq(reminderSuggestions.workspaceId, ws)];
  if (f.status) where.push(eq(reminderSuggestions.status, f.status));
  return listPage(db, reminderSuggestions, where, f);
}

/** Creates the reminder from the suggested fields (overridable) and links it back, in one transaction. */
export async function acceptSuggestion(
  db: Db,
  temporal: TemporalHandle,
  ctx: AuthContext,
  fx: Effects,
  id: string,
  overrides: ReminderInput & { start_date?: string },
) {
  const s = await getSuggestion(db, ctx.workspaceId, id);
  if (s.status !== 'PENDING') throw new Conflict(`Suggestion is already ${s.status}`);
  return db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(reminderSuggestions)
      .where(eq(reminderSuggestions.id, id))
      .for('update');
    if (locked?.status !== 'PENDING') throw new Conflict(`Suggestion is already ${locked?.status}`);
    const reminder = await createReminder(
      db,
      temporal,
      ctx,
      fx,
      {
        title: s.suggestedTitle,
        description: s.suggestedDescription,
        category: s.suggestedCategory as ReminderCategory,
        frequency: s.suggestedFrequency as Frequency,
        domain: s.suggestedDomain,
        source_type: 'questionnaire',
        source_id: s.questionnaireResponseId,
        source_question_id: s.questionId,
        ...overrides,
        start_date: overrides.start_date ?? new Date().toISOString(),
      },
      tx,
    );
    const [row] = await tx
      .update(reminderSuggestions)
      .set({ status: 'ACCEPTED', createdReminderId: reminder.id, updatedAt: new Date() })
      .where(eq(reminderSuggestions.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'SUGGESTION_ACCEPTED',
      targetType: 'reminder_suggestion',
      targetId: id,
      newValue: { created_reminder_id: reminder.id },
    });
    return { suggestion: row ?? s, reminder };
  });
}

export async function rejectSuggestion(db: Db, ctx: AuthContext, id: string, reason: string) {
  const s = await getSuggestion(db, ctx.workspaceId, id);
  if (s.status !== 'PENDING') throw new Conflict(`Suggestion is already ${s.status}`);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(reminderSuggestions)
      .set({ status: 'REJECTED', rejectionReason: reason, updatedAt: new Date() })
      .where(and(eq(reminderSuggestions.id, id), eq(reminderSuggestions.status, 'PENDING')))
      .returning();
    if (!row) throw new Conflict('Suggestion is no longer pending');
    await audit(tx, ctx, {
      action: 'SUGGESTION_REJECTED',
      targetType: 'reminder_suggestion',
      targetId: id,
      newValue: { rejection_reason: reason },
    });
    return row;
  });
}
