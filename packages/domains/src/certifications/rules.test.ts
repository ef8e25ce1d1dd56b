import { certComputed, expiringWindowMs, expiryFor, isValidHolding } from './rules';

describe('certification rules', () => {
  const now = new Date('2026-06-01T00:00:00Z');
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
    expect(isValidHolding('EXPIRING_SOON')).toBe(true);
    expect(isValidHolding('REVOKED')).toBe(false);
  });
});
