import { requireSelfOr } from '@vigil/kernel/auth';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  type KindAdapter,
  openIdsOf,
  ownedBy,
  progressColumns,
  qualified,
  recordLevelOn,
} from '../obligations/kinds';
import { peopleColumns, peopleOf } from '../obligations/presentation';
import { oneOf, resolveLadder } from '../obligations/rules';
import { OPEN_TICKET, TERMINAL_TICKET } from './rules';
import { tickets } from './schema';
import { getTicket, updateTicket } from './service';

/** Tickets as obligations: no deadline; the ladder runs from when the ticket opened while it stays OPEN. */
export const ticketKind: KindAdapter = {
  kind: 'ticket',
  async load(db, id, { lock }) {
    const q = db
      .select({
        t: tickets,
        ...progressColumns('ticket', tickets.id),
        ...peopleColumns(
          'ticket',
          tickets.id,
          sql`coalesce(${qualified(tickets.assigneeId)}, ${qualified(tickets.reporterId)})`,
        ),
      })
      .from(tickets)
      .where(eq(tickets.id, id));
    const [row] = lock ? await q.for('update', { of: tickets }) : await q;
    if (!row) return null;
    const { t } = row;
    const progress = { done: row.done ?? [], acked: row.acked };
    return {
      title: t.title,
      people: peopleOf(row),
      ownerTeamId: t.teamId,
      details: { severity: t.severity, team_id: t.teamId, form_id: t.formId, ladder_source: t.ladderSource },
      state: {
        kind: 'ticket',
        id: t.id,
        workspaceId: t.workspaceId,
        ownerId: t.assigneeId ?? t.reporterId,
        status: t.status,
        terminal: oneOf(TERMINAL_TICKET, t.status),
        openedAt: t.createdAt,
        dueAt: null,
        preDue: [],
        atDue: null,
        escalateFrom: 'OPENED',
        ladder: resolveLadder(t.ladder),
        done: progress.done,
        escalationAcknowledged: t.status !== 'OPEN' || progress.acked,
      },
    };
  },
  async act(deps, ctx, _fx, id, action) {
    const ticket = await getTicket(deps.db, ctx.workspaceId, id);
    requireSelfOr(ctx, ticket.assigneeId ?? ticket.reporterId, ['ADMIN', 'MANAGER']);
    await updateTicket(deps.db, ctx, id, {
      status: action === 'acknowledge' ? 'ACKNOWLEDGED' : 'RESOLVED',
    });
  },
  async apply() {
    // A ticket's steps only escalate: its status and details stay as they are.
    return { audit: [], messages: [], after: {} };
  },
  escalatedUpdate: recordLevelOn(tickets),
  async openItems(db, workspaceId, owner) {
    const rows = await db
      .select()
      .from(tickets)
      .where(
        and(
          eq(tickets.workspaceId, workspaceId),
          inArray(tickets.status, [...OPEN_TICKET]),
          ownedBy(sql`coalesce(${qualified(tickets.assigneeId)}, ${qualified(tickets.reporterId)})`, owner),
        ),
      );
    return rows.flatMap((t) => {
      const ownerId = t.assigneeId ?? t.reporterId;
      return ownerId
        ? [
            {
              kind: 'ticket' as const,
              id: t.id,
              ownerId,
              title: t.title,
              dueAt: null,
              status: t.status,
              overdue: t.currentEscalationLevel !== null,
            },
          ]
        : [];
    });
  },
  openIds: openIdsOf(tickets, OPEN_TICKET),
};
