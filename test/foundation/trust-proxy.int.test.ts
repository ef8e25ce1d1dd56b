import { type Harness, startHarness } from '../harness';

/** Records an external action with a forged X-Forwarded-For and returns the ip_address the audit log kept. */
async function recordedIp(h: Harness): Promise<string | null> {
  const ws = await h.workspace();
  const res = await h.request(
    'POST',
    '/api/audit/log',
    ws.adminToken,
    { action: 'PROXY_CHECK', target_type: 'proxy_check' },
    { 'x-forwarded-for': '203.0.113.7' },
  );
  expect(res.status).toBe(201);
  const log = await h.request('GET', '/compliance/audit-logs?target_type=proxy_check', ws.adminToken);
  expect(log.body.data).toHaveLength(1);
  return log.body.data[0].ip_address;
}

describe('X-Forwarded-For counts only from the proxies TRUST_PROXY names', () => {
  const harnesses: Harness[] = [];
  const start = async (env?: Record<string, string>) => {
    const h = await startHarness({ env });
    harnesses.push(h);
    return h;
  };
  afterAll(() => Promise.all(harnesses.map((h) => h.close())));

  it('by default the audit trail keeps the socket address, not a forged header', async () => {
    const ip = await recordedIp(await start());
    expect(ip).not.toContain('203.0.113.7');
    expect(ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });

  it('a proxy that is not the peer is not trusted', async () => {
    expect(await recordedIp(await start({ TRUST_PROXY: '10.0.0.0/8' }))).not.toContain('203.0.113.7');
  });

  it('behind a trusted proxy the forwarded client address is recorded', async () => {
    expect(await recordedIp(await start({ TRUST_PROXY: 'loopback' }))).toBe('203.0.113.7');
    expect(await recordedIp(await start({ TRUST_PROXY: '1' }))).toBe('203.0.113.7');
  });
});
