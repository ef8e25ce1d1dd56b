import { requireSelfOr } from '@vigil/kernel/auth';
import { and, eq, inArray } from 'drizzle-orm';
import { events } from '../events/schema';
import { type KindAdapter, openIdsOf, ownedBy, recordLevelOn, statusStep } from '../obligations/kinds';
import { loadObligationRow } from '../obligations/row-load';
import { resolveLadder } from '../obligations/rules';
import { moveStatus } from '../obligations/transitions';
import { getSettings } from '../people/access';
import { changeHeld } from './lifecycle';
import { expiringWindowMs, HELD_CERT, OPEN_CERT } from './rules';
import { certifications, developerCertifications } from './schema';
import { getHeld } from './service';

const KIND = 'member_certification' as const;

/**
 * Held certifications as obligations: EXPIRING_SOON (with a renewal reminder) at expiry
 * minus the window, EXPIRED at expiry and, for a required certification, the ladder after
 * expiry. REVOKED ends it; EXPIRED ends it unless the certification is required.
 */
export const memberCertificationKind: KindAdapter = {
  kind: KIND,
  async load(db, id, { lock }) {
    const found = await loadObligationRow(
      db,
      KIND,
      developerCertifications,
      developerCertifications.developerId,
      id,
      lock,
    );
    if (!found) return null;
    const { row: d, progress, people } = found;
    const [c] = await db.select().from(certifications).where(eq(certifications.id, d.certificationId));
    const settings = await getSettings(db, d.workspaceId);
    const required = c?.isRequired ?? false;
    return {
      people,
      title: `Certification: ${c?.name ?? d.certificationId}`,
      details: { certification_id: d.certificationId, status: d.status, is_required: required },
      state: {
        kind: KIND,
        id: d.id,
        workspaceId: d.workspaceId,
        ownerId: d.developerId,
        status: d.status,
        terminal: d.status === 'REVOKED' || (d.status === 'EXPIRED' && !required),
        openedAt: d.createdAt,
        dueAt: d.expiryDate,
        preDue: [
          {
            offsetMs: expiringWindowMs(c?.expiringSoonOffset ?? null, settings.certExpiringDays),
            action: 'MARK_EXPIRING_SOON' as const,
          },
        ],
        atDue: 'EXPIRE',
        escalateFrom: 'DUE',
        ladder: required ? resolveLadder(d.ladder) : [],
        done: progress.done,
        escalationAcknowledged: progress.acked,
      },
    };
  },
  async apply(tx, loaded, step, now) {
    const s = loaded.state;
    const data = { title: loaded.title, kind: s.kind, id: s.id, due_at: s.dueAt?.toISOString() ?? null };
    const event = (type: string) =>
      tx
        .insert(events)
        .values({
          workspaceId: s.workspaceId,
          type,
          entityType: KIND,
          entityId: s.id,
          payload: { developer_id: s.ownerId, expiry_date: data.due_at },
        })
        .onConflictDoNothing();
    if (step.action === 'MARK_EXPIRING_SOON') {
      // Already past expiry (a late step): the EXPIRE step that follows tells the owner.
      if (s.status !== 'ACTIVE' && s.status !== 'EXPIRING_SOON') return { audit: [], messages: [] };
      // EXPIRING_SOON already when the write that set it (create, PATCH, renew) fell inside the window.
      await tx
        .update(developerCertifications)
        .set({ status: 'EXPIRING_SOON', renewalReminderSentAt: now, updatedAt: now })
        .where(eq(developerCertifications.id, s.id));
      await event('certification.expiring');
      return {
        audit:
          s.status === 'ACTIVE'
            ? [
                {
                  action: 'CERTIFICATION_EXPIRING',
                  targetType: KIND,
                  targetId: s.id,
                  oldValue: { status: s.status },
                  newValue: { status: 'EXPIRING_SOON' },
                  description: `${loaded.title}: expiring soon; renewal reminder sent`,
                },
              ]
            : [],
        messages: s.ownerId ? [{ recipientIds: [s.ownerId], template: 'obligation.expiring', data }] : [],
      };
    }
    if (step.action === 'EXPIRE') {
      const changed = await moveStatus(tx, developerCertifications, s.id, HELD_CERT, 'EXPIRED', now);
      await event('certification.expired');
      return statusStep(
        loaded,
        changed,
        {
          action: 'CERTIFICATION_EXPIRED',
          status: 'EXPIRED',
          verb: 'expired',
          template: 'obligation.overdue',
        },
        data,
      );
    }
    return { audit: [], messages: [] };
  },
  escalatedUpdate: recordLevelOn(developerCertifications),
  async act(deps, ctx, _fx, id, action) {
    const d = await getHeld(deps.db, ctx.workspaceId, id);
    requireSelfOr(ctx, d.developerId, ['ADMIN']);
    // A Slack "complete" on a certification means "I renewed it".
    if (action === 'complete') await changeHeld(deps.db, ctx, id, { type: 'renew', input: {} });
  },
  async openItems(db, workspaceId, owner) {
    const rows = await db
      .select({ d: developerCertifications, name: certifications.name, required: certifications.isRequired })
      .from(developerCertifications)
      .innerJoin(certifications, eq(certifications.id, developerCertifications.certificationId))
      .where(
        and(
          eq(developerCertifications.workspaceId, workspaceId),
          inArray(developerCertifications.status, ['EXPIRING_SOON', 'EXPIRED']),
          ownedBy(developerCertifications.developerId, owner),
        ),
      );
    return rows
      .filter((r) => r.d.status === 'EXPIRING_SOON' || r.required)
      .map(({ d, name }) => ({
        kind: KIND,
        id: d.id,
        ownerId: d.developerId,
        title: `Certification: ${name}`,
        dueAt: d.expiryDate,
        status: d.status,
        overdue: d.status === 'EXPIRED',
      }));
  },
  openIds: openIdsOf(developerCertifications, OPEN_CERT),
};
