import fc from 'fast-check';
import { planSteps } from '../obligations/rules';
import { certComputed, certStatus, expiringWindowMs, expiryFor, isValidHolding, statusRank } from './rules';
import type { CertStatus } from './schema';

const DAY = 86_400_000;

describe('certification rules', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const inDays = (d: number) => new Date(now.getTime() + d * DAY);
  it('computes expiry from validity months; null never expires', () => {
    expect(expiryFor(new Date('2026-01-15T00:00:00Z'), 12)?.toISOString()).toBe('2027-01-15T00:00:00.000Z');
    expect(expiryFor(now, null)).toBeNull();
  });
  it('uses the per-definition override before the workspace setting', () => {
    expect(expiringWindowMs('PT2S', 30)).toBe(2000);
    expect(expiringWindowMs(null, 30)).toBe(30 * 86400000);
    expect(expiringWindowMs('garbage', 1)).toBe(86400000);
  });
  it('computes expired and expiring soon', () => {
    const soon = new Date('2026-06-10T00:00:00Z');
    expect(certComputed({ expiryDate: soon, status: 'ACTIVE' }, 30 * 86400000, now)).toEqual({
      days_until_expiry: 9,
      is_expired: false,
      is_expiring_soon: true,
    });
    expect(
      certComputed({ expiryDate: new Date('2026-05-01T00:00:00Z'), status: 'ACTIVE' }, 0, now).is_expired,
    ).toBe(true);
    expect(certComputed({ expiryDate: null, status: 'ACTIVE' }, 0, now)).toEqual({
      days_until_expiry: null,
      is_expired: false,
      is_expiring_soon: false,
    });
    expect(certComputed({ expiryDate: inDays(-5), status: 'REVOKED' }, 30 * DAY, now)).toMatchObject({
      is_expired: false,
      is_expiring_soon: false,
    });
    expect(certComputed({ expiryDate: inDays(60), status: 'ACTIVE' }, 30 * DAY, now).is_expiring_soon).toBe(
      false,
    );
    expect(isValidHolding('EXPIRING_SOON')).toBe(true);
    expect(isValidHolding('REVOKED')).toBe(false);
  });

  it('decides the status from expiry, window, now and revocation; the boundaries belong to the later status', () => {
    const w = 30 * DAY;
    expect(certStatus(inDays(20), w, now, false)).toBe('EXPIRING_SOON');
    expect(certStatus(inDays(30), w, now, false)).toBe('EXPIRING_SOON');
    expect(certStatus(new Date(inDays(30).getTime() + 1), w, now, false)).toBe('ACTIVE');
    expect(certStatus(now, w, now, false)).toBe('EXPIRED');
    expect(certStatus(inDays(-1), w, now, false)).toBe('EXPIRED');
    expect(certStatus(null, w, now, false)).toBe('ACTIVE');
    expect(certStatus(inDays(20), w, now, true)).toBe('REVOKED');
    expect(statusRank('ACTIVE')).toBeLessThan(statusRank('EXPIRING_SOON'));
    expect(statusRank('EXPIRING_SOON')).toBeLessThan(statusRank('EXPIRED'));
  });

  it('property: the computed flags always agree with the status', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: -100 * DAY, max: 100 * DAY })),
        fc.integer({ min: 0, max: 60 * DAY }),
        fc.constantFrom('ACTIVE', 'EXPIRING_SOON', 'EXPIRED', 'REVOKED'),
        (offset, w, stored) => {
          const expiry = offset === null ? null : new Date(now.getTime() + offset);
          const status = certStatus(expiry, w, now, stored === 'REVOKED');
          const c = certComputed({ expiryDate: expiry, status: stored }, w, now);
          expect(c.is_expiring_soon).toBe(status === 'EXPIRING_SOON');
          expect(c.is_expired).toBe(status === 'EXPIRED');
        },
      ),
    );
  });

  it('property: the engine’s plan moves a holding exactly as certStatus says, whenever it was recorded', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10 * DAY, max: 90 * DAY }),
        fc.integer({ min: 0, max: 60 * DAY }),
        fc.integer({ min: 0, max: 120 * DAY }),
        (expiryOffset, w, later) => {
          const openedAt = now;
          const expiry = new Date(now.getTime() + expiryOffset);
          const at = new Date(now.getTime() + later);
          // the status the create path writes, then every step the engine performs up to `at`
          let status: CertStatus = certStatus(expiry, w, openedAt, false);
          const plan = planSteps({
            kind: 'member_certification',
            id: 'c',
            workspaceId: 'w',
            ownerId: null,
            status,
            terminal: false,
            openedAt,
            dueAt: expiry,
            preDue: [{ offsetMs: w, action: 'MARK_EXPIRING_SOON' }],
            atDue: 'EXPIRE',
            escalateFrom: 'DUE',
            ladder: [],
            done: [],
            escalationAcknowledged: false,
          });
          for (const step of plan) {
            if (step.at.getTime() > at.getTime()) break;
            if (step.action === 'MARK_EXPIRING_SOON' && status === 'ACTIVE') status = 'EXPIRING_SOON';
            if (step.action === 'EXPIRE') status = 'EXPIRED';
          }
          expect(status).toBe(certStatus(expiry, w, at, false));
        },
      ),
    );
  });
});
