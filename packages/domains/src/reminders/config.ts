import type { AuthContext } from '@vigil/kernel/auth';
import { Conflict } from '@vigil/kernel/errors';
import { toColumns } from '@vigil/kernel/serialize';
import { and, asc, eq } from 'drizzle-orm';
import { type AuditEntry, audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { listPage } from '../paging';
import { patchInWorkspace } from '../patch';
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

const routingChange = (targetType: string, id: string, oldValue: unknown, newValue: unknown): AuditEntry => ({
  action: 'ROUTING_CHANGED',
  targetType,
  targetId: id,
  oldValue,
  newValue,
});

async function routingAudit(
  tx: Executor,
  ctx: AuthContext,
  targetType: string,
  id: string,
  oldValue: unknown,
  newValue: unknown,
) {
  await audit(tx, ctx, routingChange(targetType, id, oldValue, newValue));
}

type RoutingTable = typeof controlOwners | typeof domainTeamMappings | typeof assignmentRules;

/** Inserts one routing row and audits it, in one transaction. */
async function insertRouting<T extends RoutingTable>(
  db: Db,
  ctx: AuthContext,
  table: T,
  targetType: string,
  values: T['$inferInsert'],
  input: unknown,
): Promise<T['$inferSelect']> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(table as RoutingTable)
      .values(values as never)
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await routingAudit(tx, ctx, targetType, row.id, null, input);
    return row as T['$inferSelect'];
  });
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
  ...toColumns(i, ['control_id', 'domain', 'primary_owner_id', 'backup_owner_id', 'team_id']),
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
  return insertRouting(
    db,
    ctx,
    controlOwners,
    'control_owner',
    { workspaceId: ctx.workspaceId, controlId: input.control_id, ...coColumns(input) },
    input,
  );
}

export async function updateControlOwner(db: Db, ctx: AuthContext, id: string, input: ControlOwnerInput) {
  return patchInWorkspace(
    db,
    ctx,
    { table: controlOwners, what: 'Control owner', id },
    {
      check: () => coRefs(db, ctx.workspaceId, input),
      set: coColumns(input),
      audit: (before) => routingChange('control_owner', id, before, input),
    },
  );
}

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
  const values = {
    workspaceId: ctx.workspaceId,
    domain: input.domain,
    teamId: input.team_id,
    priority: input.priority ?? 100,
  };
  return insertRouting(db, ctx, domainTeamMappings, 'domain_team_mapping', values, input);
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
  ...toColumns(i, ['name', 'description', 'priority', 'is_active', 'rule_config']),
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
  const values = {
    workspaceId: ctx.workspaceId,
    name: input.name,
    ruleConfig: input.rule_config,
    ...ruleColumns(input),
  };
  return insertRouting(db, ctx, assignmentRules, 'assignment_rule', values, input);
}

export async function updateRule(db: Db, ctx: AuthContext, id: string, input: RuleInput) {
  return patchInWorkspace(
    db,
    ctx,
    { table: assignmentRules, what: 'Assignment rule', id },
    {
      check: () => ruleRefs(db, ctx.workspaceId, input),
      set: ruleColumns(input),
      audit: (before) => routingChange('assignment_rule', id, before, input),
    },
  );
}

// ---- suggestions ----

export type SuggestionRow = typeof reminderSuggestions.$inferSelect;

export async function getSuggestion(db: Executor, ws: string, id: string): Promise<SuggestionRow> {
  return findInWorkspace(db, reminderSuggestions, 'Suggestion', ws, id);
}

export async function listSuggestions(
  db: Executor,
  ws: string,
  f: { status?: string; questionnaire_id?: string; limit: number; cursor?: string },
) {
  const where = [eq(reminderSuggestions.workspaceId, ws)];
  if (f.status) where.push(eq(reminderSuggestions.status, f.status));
  if (f.questionnaire_id) where.push(eq(reminderSuggestions.questionnaireResponseId, f.questionnaire_id));
  return listPage(db, reminderSuggestions, where, f);
}

/** Creates the reminder from the suggested fields (overridable) and links it back, in one transaction. */
export async function acceptSuggestion(
  db: Db,
  ctx: AuthContext,
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
      ctx,
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
