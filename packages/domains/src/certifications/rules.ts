/** Pure rules of certifications: expiry dates, the expiring-soon window, the status and computed fields. No I/O. */
import { durationToMs, isPastDue } from '../obligations/rules';
import { addMonthsUtc } from '../training/rules';
import type { CertStatus } from './schema';

/** Held certifications: valid, counted as held; expiry moves them to EXPIRED. */
export const HELD_CERT = ['ACTIVE', 'EXPIRING_SOON'] as const;
/** Open certification obligations (EXPIRED stays open while required; REVOKED ends it). */
export const OPEN_CERT = ['ACTIVE', 'EXPIRING_SOON', 'EXPIRED'] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Expiry from the issue date and the definition's validity (null validity = never expires). */
export const expiryFor = (issued: Date, validityMonths: number | null): Date | null =>
  validityMonths === null ? null : addMonthsUtc(issued, validityMonths);

/** The EXPIRING_SOON window: the definition's expiring_soon_offset (ISO duration) or settings.cert_expiring_days. */
export function expiringWindowMs(offset: string | null, certExpiringDays: number): number {
  if (offset) {
    try {
      return durationToMs(offset);
    } catch {
      // invalid stored override: fall back to the workspace setting
    }
  }
  return certExpiringDays * DAY_MS;
}

/**
 * The one definition of a held certification's status, used by every path that writes it
 * (create, PATCH, renew, revoke, the sweeps) and by the computed fields:
 * REVOKED once revoked; else EXPIRED from the expiry instant on (expiry <= now); else
 * EXPIRING_SOON from expiry - window on; else ACTIVE. Without an expiry: ACTIVE.
 * The engine plans MARK_EXPIRING_SOON at expiry - window and EXPIRE at expiry: the same instants.
 */
export function certStatus(expiry: Date | null, windowMs: number, now: Date, revoked: boolean): CertStatus {
  if (revoked) return 'REVOKED';
  if (expiry === null) return 'ACTIVE';
  if (isPastDue(expiry, now)) return 'EXPIRED';
  if (isPastDue(new Date(expiry.getTime() - windowMs), now)) return 'EXPIRING_SOON';
  return 'ACTIVE';
}

/** How far along the expiry plan a status is: a change to a lower rank starts the plan over. */
export const statusRank = (s: string): number =>
  s === 'ACTIVE' ? 0 : s === 'EXPIRING_SOON' ? 1 : s === 'EXPIRED' ? 2 : 3;

export function certComputed(c: { expiryDate: Date | null; status: string }, windowMs: number, now: Date) {
  const t = c.expiryDate?.getTime() ?? null;
  const status = certStatus(c.expiryDate, windowMs, now, c.status === 'REVOKED');
  return {
    days_until_expiry: t === null ? null : Math.ceil((t - now.getTime()) / DAY_MS),
    is_expired: status === 'EXPIRED',
    is_expiring_soon: status === 'EXPIRING_SOON',
  };
}

/** A held certification that still counts toward a requirement. */
export const isValidHolding = (status: string) => status === 'ACTIVE' || status === 'EXPIRING_SOON';
