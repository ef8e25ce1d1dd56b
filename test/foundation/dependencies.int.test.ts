import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import * as schema from '@vigil/domains/schema';
import { loadConfig } from '@vigil/kernel/config';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { createLogger } from '@vigil/kernel/logger';
import { closeTemporal, connectTemporal } from '@vigil/kernel/temporal';
import { freePort } from '@vigil/stack/ports';
import { createApp } from '../../apps/api/src/app';
import { type Harness, startHarness, testEnv } from '../harness';

const run = promisify(execFile);

async function appWith(databaseUrl: string, temporalAddress: string) {
  const pool = createPool({ url: databaseUrl, max: 2, connectTimeoutMs: 1000 });
  const temporal = await connectTemporal({
    address: temporalAddress,
    namespace: 'default',
    taskQueue: 'none',
    connectTimeoutMs: 1000,
  });
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    LOG_LEVEL: 'silent',
  });
  const app = createApp({
    db: createDatabase(pool, schema),
    pool,
    temporal,
    config,
    log: createLogger('silent'),
  });
  const server: Server = await new Promise((res) => {
    const s = app.listen(0, '127.0.0.1', () => res(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await pool.end();
      await closeTemporal(temporal);
    },
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('dependencies that are down give 503, never a hang', () => {
  it('reports Temporal down on /readyz within a few seconds', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const app = await appWith(h.databaseUrl, dead);
    try {
      const started = Date.now();
      const res = await fetch(`${app.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable', postgres: 'ok' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await app.close();
    }
  });

  it('answers 503 problem+json when Postgres is unreachable', async () => {
    const deadDb = `postgres://vigil:vigil@127.0.0.1:${await freePort()}/vigil`;
    const app = await appWith(deadDb, testEnv().temporalAddress);
    try {
      const started = Date.now();
      const res = await fetch(`${app.url}/api/roles`, { headers: { authorization: 'Bearer vgl_x' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect((await fetch(`${app.url}/readyz`)).status).toBe(503);
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      await app.close();
    }
  });
});

describe('admin CLI', () => {
  const admin = (args: string[]) =>
    run(
      process.execPath,
      [require.resolve('tsx/cli'), resolve(__dirname, '../../apps/admin/src/main.ts'), ...args],
      {
        env: {
          ...process.env,
          DATABASE_URL: h.databaseUrl,
          TEMPORAL_ADDRESS: testEnv().temporalAddress,
        },
        cwd: resolve(__dirname, '../..'),
      },
    );

  it('bootstraps a workspace whose token works, verifies its audit chain, and issues tokens', async () => {
    const { stdout } = await admin([
      'bootstrap',
      '--workspace',
      'CLI Co',
      '--admin-email',
      'root@cli.test',
      '--json',
    ]);
    const boot = JSON.parse(stdout) as { workspace_id: string; token: string; admin_id: string };
    const members = await h.request('GET', `/workspaces/${boot.workspace_id}/members`, boot.token);
    expect(members.status).toBe(200);
    expect(members.body.data[0].email).toBe('root@cli.test');
    const verify = JSON.parse(
      (await admin(['audit', 'verify', '--workspace', boot.workspace_id, '--json'])).stdout,
    );
    expect(verify).toMatchObject({ ok: true, entries: 2 });
    const token = JSON.parse((await admin(['token', 'create', '--member', boot.admin_id, '--json'])).stdout);
    expect((await h.request('GET', '/api/roles', token.token)).status).toBe(200);
  });

  it('exits 2 with usage on a bad command', async () => {
    await expect(admin(['frobnicate'])).rejects.toMatchObject({ code: 2 });
  });
});
