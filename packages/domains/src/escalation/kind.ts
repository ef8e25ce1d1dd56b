import { requireSelfOr } from '@vigil/kernel/auth';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type KindAdapter, openIdsOf, ownedBy, qualified, recordLevelOn } from '../obligations/kinds';
import { loadObligationRow } from '../obligations/row-load';
import { oneOf, resolveLadder } from '../obligations/rules';
import { OPEN_TICKET, TERMINAL_TICKET } from './rules';
import { tickets } from './schema';
import { getTicket, updateTicket } from './service';

/** A ticket's owner: its assignee, else its reporter. */
const TICKET_OWNER = sql`coalesce(${qualified(tickets.assigneeId)}, ${qualified(tickets.reporterId)})`;

/** Tickets as obligations: no deadline; the ladder runs from when the ticket opened while it stays OPEN. */
export const ticketKind: KindAdapter = {
  kind: 'ticket',
  async load(db, id, { lock }) {
    const found = await loadObligationRow(db, 'ticket', tickets, TICKET_OWNER, id, lock);
    if (!found) return null;
    const { row: t, progress, people } = found;
    return {
      title: t.title,
      people,
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
          ownedBy(TICKET_OWNER, owner),
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
