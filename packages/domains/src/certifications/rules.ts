/** Pure rules of certifications: expiry dates, the expiring-soon window and computed fields. No I/O. */
import { durationToMs } from '../obligations/rules';
import { addMonthsUtc } from '../training/rules';

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

export function certComputed(c: { expiryDate: Date | null; status: string }, windowMs: number, now: Date) {
  const t = c.expiryDate?.getTime() ?? null;
  const live = c.status !== 'REVOKED';
  return {
    days_until_expiry: t === null ? null : Math.ceil((t - now.getTime()) / DAY_MS),
    is_expired: c.status === 'EXPIRED' || (live && t !== null && t <= now.getTime()),
    is_expiring_soon:
      c.status === 'EXPIRING_SOON' ||
      (c.status === 'ACTIVE' && t !== null && t > now.getTime() && t - windowMs <= now.getTime()),
  };
}

/** A held certification that still counts toward a requirement. */
export const isValidHolding = (status: string) => status === 'ACTIVE' || status === 'EXPIRING_SOON';
