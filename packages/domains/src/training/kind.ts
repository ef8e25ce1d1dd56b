import { requireSelfOr } from '@vigil/kernel/auth';
import { and, eq, inArray } from 'drizzle-orm';
import { events } from '../events/schema';
import {
  type KindAdapter,
  type LoadedObligation,
  openIdsOf,
  ownedBy,
  recordLevelOn,
  statusStep,
  stepsMany,
} from '../obligations/kinds';
import { loadObligationRow } from '../obligations/row-load';
import { durationToMs, oneOf, resolveLadder } from '../obligations/rules';
import { moveStatus } from '../obligations/transitions';
import { getSettings } from '../people/access';
import { DUE_ASSIGNMENT, OPEN_ASSIGNMENT, TERMINAL_ASSIGNMENT } from './rules';
import { mandatoryTrainings, trainingAssignments } from './schema';
import { changeAssignment, getAssignment } from './service';

export const offsetsMs = (offsets: string[]): number[] =>
  offsets.flatMap((o) => {
    try {
      return [durationToMs(o)];
    } catch {
      return [];
    }
  });

function loadedAssignment(
  a: typeof trainingAssignments.$inferSelect,
  trainingName: string | undefined,
  reminderOffsets: string[],
  progress: { done: string[]; acked: boolean },
): LoadedObligation {
  return {
    title: `Training: ${trainingName ?? a.mandatoryTrainingId}`,
    details: {
      mandatory_training_id: a.mandatoryTrainingId,
      status: a.status,
      progress_percentage: a.progressPercentage,
      cycle: a.cycle,
    },
    state: {
      kind: 'training_assignment',
      id: a.id,
      workspaceId: a.workspaceId,
      ownerId: a.developerId,
      status: a.status,
      terminal: oneOf(TERMINAL_ASSIGNMENT, a.status),
      openedAt: a.createdAt,
      dueAt: a.dueDate,
      preDue: offsetsMs(reminderOffsets).map((offsetMs) => ({ offsetMs, action: 'REMIND' as const })),
      atDue: 'MARK_OVERDUE',
      escalateFrom: 'DUE',
      ladder: resolveLadder(a.ladder),
      done: progress.done,
      escalationAcknowledged: progress.acked,
    },
  };
}

/** Training assignments as obligations: reminders before the due date, OVERDUE at it, then the ladder. */
export const trainingAssignmentKind: KindAdapter = {
  kind: 'training_assignment',
  async load(db, id, { lock }) {
    const found = await loadObligationRow(
      db,
      'training_assignment',
      trainingAssignments,
      trainingAssignments.developerId,
      id,
      lock,
    );
    if (!found) return null;
    const a = found.row;
    const [t] = await db
      .select({ name: mandatoryTrainings.name })
      .from(mandatoryTrainings)
      .where(eq(mandatoryTrainings.id, a.mandatoryTrainingId));
    const settings = await getSettings(db, a.workspaceId);
    return {
      ...loadedAssignment(a, t?.name, settings.reminderOffsets, found.progress),
      people: found.people,
    };
  },
  async loadMany(db, ids) {
    const out = new Map<string, LoadedObligation>();
    if (!ids.length) return out;
    const rows = await db.select().from(trainingAssignments).where(inArray(trainingAssignments.id, ids));
    if (!rows.length) return out;
    const names = new Map(
      (
        await db
          .select({ id: mandatoryTrainings.id, name: mandatoryTrainings.name })
          .from(mandatoryTrainings)
          .where(inArray(mandatoryTrainings.id, [...new Set(rows.map((r) => r.mandatoryTrainingId))]))
      ).map((t) => [t.id, t.name]),
    );
    const offsets = new Map<string, string[]>();
    for (const w of new Set(rows.map((r) => r.workspaceId)))
      offsets.set(w, (await getSettings(db, w)).reminderOffsets);
    const progress = await stepsMany(db, 'training_assignment', ids);
    for (const a of rows)
      out.set(
        a.id,
        loadedAssignment(a, names.get(a.mandatoryTrainingId), offsets.get(a.workspaceId) ?? [], {
          done: progress.done.get(a.id) ?? [],
          acked: progress.acked.has(a.id),
        }),
      );
    return out;
  },
  async apply(tx, loaded, step, now) {
    const s = loaded.state;
    const data = { title: loaded.title, kind: s.kind, id: s.id, due_at: s.dueAt?.toISOString() ?? null };
    const event = (type: 'assignment.approaching_due' | 'assignment.overdue') =>
      tx
        .insert(events)
        .values({
          workspaceId: s.workspaceId,
          type,
          entityType: 'training_assignment',
          entityId: s.id,
          payload: { developer_id: s.ownerId, due_date: data.due_at },
        })
        .onConflictDoNothing();
    if (step.action === 'REMIND') {
      await tx
        .update(trainingAssignments)
        .set({ reminderSentAt: now, updatedAt: now })
        .where(eq(trainingAssignments.id, s.id));
      await event('assignment.approaching_due');
      return {
        audit: [],
        messages: s.ownerId ? [{ recipientIds: [s.ownerId], template: 'obligation.reminder', data }] : [],
        after: {},
      };
    }
    if (step.action === 'MARK_OVERDUE') {
      const changed = await moveStatus(tx, trainingAssignments, s.id, DUE_ASSIGNMENT, 'OVERDUE', now);
      await event('assignment.overdue');
      return statusStep(
        loaded,
        changed,
        { action: 'TRAINING_OVERDUE', status: 'OVERDUE', verb: 'overdue', template: 'obligation.overdue' },
        data,
        true,
      );
    }
    return { audit: [], messages: [], after: {} };
  },
  escalatedUpdate: recordLevelOn(trainingAssignments),
  async act(deps, ctx, _fx, id, action) {
    const a = await getAssignment(deps.db, ctx.workspaceId, id);
    requireSelfOr(ctx, a.developerId, ['ADMIN']);
    await changeAssignment(deps.db, ctx, id, action === 'acknowledge' ? 'acknowledge' : 'complete');
  },
  async openItems(db, workspaceId, owner) {
    const rows = await db
      .select({ a: trainingAssignments, name: mandatoryTrainings.name })
      .from(trainingAssignments)
      .innerJoin(mandatoryTrainings, eq(mandatoryTrainings.id, trainingAssignments.mandatoryTrainingId))
      .where(
        and(
          eq(trainingAssignments.workspaceId, workspaceId),
          inArray(trainingAssignments.status, [...OPEN_ASSIGNMENT]),
          ownedBy(trainingAssignments.developerId, owner),
        ),
      );
    return rows.map(({ a, name }) => ({
      kind: 'training_assignment' as const,
      id: a.id,
      ownerId: a.developerId,
      title: `Training: ${name}`,
      dueAt: a.dueDate,
      status: a.status,
      overdue: a.status === 'OVERDUE',
    }));
  },
  openIds: openIdsOf(trainingAssignments, OPEN_ASSIGNMENT),
};
