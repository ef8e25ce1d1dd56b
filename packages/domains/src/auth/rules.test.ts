import fc from 'fast-check';
import {
  csrfProblem,
  needsRotation,
  previousStillValid,
  retryAfterSeconds,
  safeNextPath,
  sameSecret,
  sessionEnded,
  sessionEndsAt,
  windowStart,
} from './rules';

describe('safeNextPath', () => {
  it.each([
    ['/training?tab=mine#top', '/training?tab=mine#top'],
    ['/', '/'],
    [undefined, '/'],
    ['', '/'],
    ['training', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['/ok\nSet-Cookie: x', '/'],
    ['javascript:alert(1)', '/'],
  ])('%s -> %s', (input, out) => expect(safeNextPath(input)).toBe(out));

  it('never leaves the site, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const next = safeNextPath(s);
        expect(next.startsWith('/')).toBe(true);
        expect(next.startsWith('//')).toBe(false);
        expect(new URL(next, 'http://site.test').origin).toBe('http://site.test');
      }),
    );
  });
});

describe('session clock', () => {
  const times = { idleMs: 60_000, rotateMs: 30_000 };
  const t0 = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const s = { lastSeenAt: t0, rotatedAt: t0, expiresAt: at(600_000), revokedAt: null };

  it('ends when idle, at its absolute end, or when revoked', () => {
    expect(sessionEnded(s, at(59_999), times)).toBeNull();
    expect(sessionEnded(s, at(60_000), times)).toBe('IDLE');
    expect(sessionEnded({ ...s, lastSeenAt: at(599_000) }, at(600_000), times)).toBe('EXPIRED');
    expect(sessionEnded({ ...s, revokedAt: t0 }, t0, times)).toBe('REVOKED');
  });

  it('ends at the earlier of idle and absolute expiry', () => {
    expect(sessionEndsAt(s, times)).toEqual(at(60_000));
    expect(sessionEndsAt({ ...s, lastSeenAt: at(590_000) }, times)).toEqual(at(600_000));
  });

  it('rotates after the interval; the old secret lasts a minute', () => {
    expect(needsRotation(s, at(29_999), times)).toBe(false);
    expect(needsRotation(s, at(30_000), times)).toBe(true);
    expect(previousStillValid(t0, at(59_999))).toBe(true);
    expect(previousStillValid(t0, at(60_000))).toBe(false);
  });
});

describe('csrfProblem', () => {
  const ok = {
    headerToken: 'tok',
    sessionToken: 'tok',
    origin: 'https://vigil.example',
    referer: undefined,
    allowedOrigins: ['https://vigil.example'],
  };
  it('accepts the token with an own Origin, or an own Referer', () => {
    expect(csrfProblem(ok)).toBeNull();
    expect(csrfProblem({ ...ok, origin: undefined, referer: 'https://vigil.example/training' })).toBeNull();
  });
  it('refuses a missing or wrong token, a foreign or missing origin', () => {
    expect(csrfProblem({ ...ok, headerToken: undefined })).toMatch(/X-CSRF-Token/);
    expect(csrfProblem({ ...ok, headerToken: 'other' })).toMatch(/does not match/);
    expect(csrfProblem({ ...ok, origin: 'https://evil.example' })).toMatch(/not allowed/);
    expect(csrfProblem({ ...ok, origin: 'null', referer: undefined })).toMatch(/Origin or Referer/);
    expect(csrfProblem({ ...ok, origin: undefined })).toMatch(/Origin or Referer/);
  });
  it('compares secrets in constant time, false for different lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
  });
});

describe('rate-limit windows', () => {
  it('a window contains now and Retry-After points at its end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 1000, max: 86_400_000 }), (ms, w) => {
        const now = new Date(ms);
        const start = windowStart(now, w).getTime();
        expect(start).toBeLessThanOrEqual(ms);
        expect(ms - start).toBeLessThan(w);
        expect(retryAfterSeconds(now, w)).toBeGreaterThanOrEqual(1);
        expect(retryAfterSeconds(now, w)).toBeLessThanOrEqual(Math.ceil(w / 1000));
      }),
    );
  });
});
