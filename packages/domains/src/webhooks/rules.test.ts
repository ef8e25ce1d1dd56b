import fc from 'fast-check';
import {
  DISABLE_AFTER_MS,
  isPrivateAddress,
  RETRY_CAP_MS,
  retryDelayMs,
  shouldDisable,
  urlProblem,
} from './rules';

const strict = { allowHttp: false, allowPrivate: false };

describe('webhook rules', () => {
  it('backs off exponentially from the base up to 24 h', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30, 30_000)).toBe(RETRY_CAP_MS);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 10, max: 60_000 }), (n, base) => {
        const d = retryDelayMs(n, base);
        expect(d).toBeGreaterThanOrEqual(Math.min(base, RETRY_CAP_MS));
        expect(d).toBeLessThanOrEqual(RETRY_CAP_MS);
        expect(retryDelayMs(n + 1, base)).toBeGreaterThanOrEqual(d);
      }),
    );
  });

  it('refuses loopback, private, link-local and metadata addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '192.168.1.1',
      '172.20.0.1',
      '::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      'fd00::1',
      '0.0.0.0',
    ])
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, true]);
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700::1111'])
      expect([ip, isPrivateAddress(ip)]).toEqual([ip, false]);
  });

  it('URLs: https only, no private literal, unless the development flags allow them', () => {
    expect(urlProblem('https://hooks.example.com/x', strict)).toBeNull();
    expect(urlProblem('http://hooks.example.com/x', strict)).toMatch(/https/);
    expect(urlProblem('https://127.0.0.1/x', strict)).toMatch(/private/);
    expect(urlProblem('https://[::1]/x', strict)).toMatch(/private/);
    expect(urlProblem('https://169.254.169.254/latest', strict)).toMatch(/private/);
    expect(urlProblem('https://localhost/x', strict)).toMatch(/local/);
    expect(urlProblem('https://u:p@example.com/', strict)).toMatch(/credentials/);
    expect(urlProblem('nope', strict)).toMatch(/URL/);
    expect(urlProblem('http://127.0.0.1:8080/x', { allowHttp: true, allowPrivate: true })).toBeNull();
  });

  it('disables after 3 days of failures', () => {
    const now = new Date();
    expect(shouldDisable(null, now)).toBe(false);
    expect(shouldDisable(new Date(now.getTime() - DISABLE_AFTER_MS + 1000), now)).toBe(false);
    expect(shouldDisable(new Date(now.getTime() - DISABLE_AFTER_MS), now)).toBe(true);
  });
});
