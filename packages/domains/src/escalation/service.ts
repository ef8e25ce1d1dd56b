import type { AuthContext } from '@vigil/kernel/auth';
import { BadRequest, NotFound } from '@vigil/kernel/errors';
import { toColumns } from '@vigil/kernel/serialize';
import { and, asc, eq } from 'drizzle-orm';
import { audit } from '../audit/service';
import { type Db, type Executor, findInWorkspace } from '../db';
import { type LadderLevelConfig, OBLIGATION_KINDS, type ObligationKind } from '../obligations/rules';
import { acknowledgeEscalation } from '../obligations/service';
import { changedConcurrently, stillIn } from '../obligations/transitions';
import { filterEquals, listPage } from '../paging';
import { patchInWorkspace } from '../patch';
import { getSettings } from '../people/access';
import { assertInWorkspace, peopleRefs } from '../people/service';
import { assertRefs } from '../refs';
import { OBLIGATION_ROWS } from './obligation-refs';
import { chooseLadder, DEFAULT_LADDER, ladderTargetIds, type MatrixRule } from './rules';
import { escalationMatrices, escalations, type TicketStatus, tickets } from './schema';

export type MatrixRow = typeof escalationMatrices.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;

export interface MatrixInput {
  name?: string;
  description?: string | null;
  severity_levels?: string[];
  rules?: MatrixRule[];
  form_ids?: string[];
  team_ids?: string[];
  priority_order?: number;
  is_active?: boolean;
}

const matrixColumns = (i: MatrixInput) => ({
  ...toColumns(i, [
    'name',
    'description',
    'severity_levels',
    'rules',
    'form_ids',
    'team_ids',
    'priority_order',
    'is_active',
  ]),
});

/** The teams a matrix matches on and the members and teams its rules target must be in the workspace. */
function assertMatrixRefs(db: Executor, workspaceId: string, input: MatrixInput) {
  const targets = ladderTargetIds('body.rules', input.rules);
  return assertInWorkspace(db, workspaceId, {
    members: targets.members,
    teams: { 'body.team_ids': input.team_ids ?? [], ...targets.teams },
  });
}

export async function getMatrix(db: Executor, workspaceId: string, id: string): Promise<MatrixRow> {
  return findInWorkspace(db, escalationMatrices, 'Escalation matrix', workspaceId, id);
}

export const listMatrices = (db: Executor, workspaceId: string) =>
  db
    .select()
    .from(escalationMatrices)
    .where(eq(escalationMatrices.workspaceId, workspaceId))
    .orderBy(asc(escalationMatrices.priorityOrder), asc(escalationMatrices.id));

export async function createMatrix(
  db: Db,
  ctx: AuthContext,
  input: MatrixInput & { name: string; rules: MatrixRule[] },
) {
  await assertMatrixRefs(db, ctx.workspaceId, input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(escalationMatrices)
      .values({ workspaceId: ctx.workspaceId, name: input.name, rules: input.rules, ...matrixColumns(input) })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'MATRIX_CREATED',
      targetType: 'escalation_matrix',
      targetId: row.id,
      newValue: input,
    });
    return row;
  });
}

export async function updateMatrix(db: Db, ctx: AuthContext, id: string, input: MatrixInput) {
  return patchInWorkspace(
    db,
    ctx,
    { table: escalationMatrices, what: 'Escalation matrix', id },
    {
      check: () => assertMatrixRefs(db, ctx.workspaceId, input),
      set: matrixColumns(input),
      audit: (before) => ({
        action: 'MATRIX_UPDATED',
        targetType: 'escalation_matrix',
        targetId: id,
        oldValue: { name: before.name, rules: before.rules, priority_order: before.priorityOrder },
        newValue: input,
        description: 'Tickets already open keep the ladder they were created with',
      }),
    },
  );
}

export async function deleteMatrix(db: Db, ctx: AuthContext, id: string) {
  const before = await getMatrix(db, ctx.workspaceId, id);
  await db.transaction(async (tx) => {
    await tx.delete(escalationMatrices).where(eq(escalationMatrices.id, id));
    await audit(tx, ctx, {
      action: 'MATRIX_DELETED',
      targetType: 'escalation_matrix',
      targetId: id,
      oldValue: { name: before.name },
    });
  });
}

/** The ladder for a new obligation: its own config, else the best matching matrix, else the workspace default. */
export async function ladderFor(
  db: Executor,
  workspaceId: string,
  match: { severity?: string | null; formId?: string | null; teamId?: string | null },
  own?: LadderLevelConfig[] | null,
) {
  const matrices = await listMatrices(db, workspaceId);
  const settings = await getSettings(db, workspaceId);
  return chooseLadder({
    own,
    matrices: matrices.map((m) => ({
      id: m.id,
      severityLevels: m.severityLevels,
      rules: m.rules,
      formIds: m.formIds,
      teamIds: m.teamIds,
      priorityOrder: m.priorityOrder,
      isActive: m.isActive,
    })),
    match,
    workspaceDefault: (settings.defaultLadder as LadderLevelConfig[] | null) ?? DEFAULT_LADDER,
  });
}

export interface TicketInput {
  title?: string;
  description?: string | null;
  severity?: string | null;
  status?: TicketStatus;
  team_id?: string | null;
  form_id?: string | null;
  assignee_id?: string | null;
  obligation_kind?: string | null;
  obligation_id?: string | null;
}

/**
 * The team, assignee and obligation a ticket names must be in the caller's workspace (400
 * naming the field). An obligation_id needs an obligation_kind; on a PATCH that changes
 * either, the other is the ticket's current one.
 */
function assertTicketRefs(db: Executor, workspaceId: string, input: TicketInput, before?: TicketRow) {
  const touched = input.obligation_id !== undefined || input.obligation_kind !== undefined;
  const id = input.obligation_id !== undefined ? input.obligation_id : (before?.obligationId ?? null);
  const kind = input.obligation_kind !== undefined ? input.obligation_kind : (before?.obligationKind ?? null);
  const rows = kind && Object.hasOwn(OBLIGATION_ROWS, kind) ? OBLIGATION_ROWS[kind as ObligationKind] : null;
  if (touched && id && !rows)
    throw new BadRequest('body.obligation_kind: required with obligation_id', [
      {
        field: 'body.obligation_kind',
        message: `Required with obligation_id: one of ${OBLIGATION_KINDS.join(', ')}`,
      },
    ]);
  return assertRefs(db, workspaceId, [
    ...peopleRefs({
      teams: input.team_id ? { 'body.team_id': [input.team_id] } : {},
      members: input.assignee_id ? { 'body.assignee_id': [input.assignee_id] } : {},
    }),
    ...(touched && id && rows ? [{ field: 'body.obligation_id', rows, ids: [id] }] : []),
  ]);
}

export async function getTicket(db: Executor, workspaceId: string, id: string): Promise<TicketRow> {
  return findInWorkspace(db, tickets, 'Ticket', workspaceId, id);
}

export async function createTicket(db: Db, ctx: AuthContext, input: TicketInput & { title: string }) {
  await assertTicketRefs(db, ctx.workspaceId, input);
  const ladder = await ladderFor(db, ctx.workspaceId, {
    severity: input.severity,
    formId: input.form_id,
    teamId: input.team_id,
  });
  const row = await db.transaction(async (tx) => {
    const [t] = await tx
      .insert(tickets)
      .values({
        workspaceId: ctx.workspaceId,
        title: input.title,
        description: input.description ?? null,
        severity: input.severity ?? null,
        teamId: input.team_id ?? null,
        formId: input.form_id ?? null,
        reporterId: ctx.via === 'SYSTEM' ? null : ctx.memberId,
        assigneeId: input.assignee_id ?? null,
        obligationKind: input.obligation_kind ?? null,
        obligationId: input.obligation_id ?? null,
        matrixId: ladder.matrixId ?? null,
        ladderSource: ladder.source,
        ladder: ladder.levels,
      })
      .returning();
    if (!t) throw new Error('insert returned nothing');
    await audit(tx, ctx, {
      action: 'TICKET_CREATED',
      targetType: 'ticket',
      targetId: t.id,
      newValue: { ...input, ladder_source: ladder.source, matrix_id: ladder.matrixId ?? null },
      description: `Ticket "${t.title}" opened`,
    });
    return t;
  });
  return row;
}

export async function updateTicket(db: Db, ctx: AuthContext, id: string, input: TicketInput) {
  const before = await getTicket(db, ctx.workspaceId, id);
  await assertTicketRefs(db, ctx.workspaceId, input, before);
  const row = await db.transaction(async (tx) => {
    const now = new Date();
    const status = input.status;
    const [t] = await tx
      .update(tickets)
      .set({
        ...toColumns(input, [
          'title',
          'description',
          'severity',
          'team_id',
          'form_id',
          'assignee_id',
          'obligation_kind',
          'obligation_id',
        ]),
        ...(status !== undefined && { status }),
        ...(status === 'ACKNOWLEDGED' &&
          !before.acknowledgedAt && { acknowledgedAt: now, acknowledgedById: ctx.memberId }),
        ...(status === 'RESOLVED' && { resolvedAt: now }),
        ...(status === 'CLOSED' && { closedAt: now }),
        updatedAt: now,
      })
      .where(stillIn(tickets, id, before.status))
      .returning();
    if (!t) throw changedConcurrently('Ticket', id);
    await audit(tx, ctx, {
      action: 'TICKET_UPDATED',
      targetType: 'ticket',
      targetId: id,
      oldValue: { status: before.status, assignee_id: before.assigneeId, severity: before.severity },
      newValue: input,
      description:
        status && status !== before.status ? `Ticket ${before.status} → ${status}` : 'Ticket updated',
    });
    return t;
  });
  return row;
}

export async function listTickets(
  db: Executor,
  workspaceId: string,
  f: { status?: TicketStatus; team_id?: string; limit: number; cursor?: string },
) {
  const where = [eq(tickets.workspaceId, workspaceId)];
  where.push(...filterEquals(f, { status: tickets.status, team_id: tickets.teamId }));
  return listPage(db, tickets, where, f);
}

export async function ticketEscalations(db: Executor, workspaceId: string, ticketId: string) {
  await getTicket(db, workspaceId, ticketId);
  return db
    .select()
    .from(escalations)
    .where(
      and(
        eq(escalations.workspaceId, workspaceId),
        eq(escalations.kind, 'ticket'),
        eq(escalations.obligationId, ticketId),
      ),
    )
    .orderBy(asc(escalations.level));
}

export async function acknowledgeTicketEscalation(
  db: Db,
  ctx: AuthContext,
  ticketId: string,
  escalationId: string,
) {
  const _ticket = await getTicket(db, ctx.workspaceId, ticketId);
  const row = await acknowledgeEscalation(db, ctx, 'ticket', ticketId, escalationId);
  if (!row) throw new NotFound('Escalation', escalationId);
  return row;
}
