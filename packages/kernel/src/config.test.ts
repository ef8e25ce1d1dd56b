import { ConfigError, loadConfig, parseTrustProxy } from './config';

describe('TRUST_PROXY', () => {
  it('is off by default and for false or 0', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    for (const v of ['', 'false', '0', ' false ']) expect([v, parseTrustProxy(v)]).toEqual([v, false]);
  });

  it('takes Express trust proxy values: true, a hop count, names, addresses and CIDR ranges', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback')).toEqual(['loopback']);
    expect(parseTrustProxy('loopback, 10.0.0.0/8,192.168.1.7, fd00::/8, ::1')).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      '::1',
    ]);
    expect(loadConfig({ TRUST_PROXY: 'uniquelocal,linklocal' }).TRUST_PROXY).toEqual([
      'uniquelocal',
      'linklocal',
    ]);
  });

  it('refuses anything else at start-up, naming the variable', () => {
    for (const v of [
      'yes',
      'localhost',
      '10.0.0.0/33',
      '::1/129',
      '300.1.1.1',
      '10.0.0.0/8/1',
      'loopback,,',
      '1000',
    ])
      expect([v, parseTrustProxy(v)]).toEqual([v, null]);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });
});
