import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import type { AppDeps } from '@vigil/domains/deps';
import { type Relays, startRelays } from '@vigil/domains/relays';
import * as schema from '@vigil/domains/schema';
import { loadConfig } from '@vigil/kernel/config';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { createLogger } from '@vigil/kernel/logger';
import { SEARCH_ATTRIBUTES } from '@vigil/kernel/search-attributes';
import { closeTemporal, connectTemporal } from '@vigil/kernel/temporal';
import { runMigrations } from '@vigil/stack/migrate';
import { freePort } from '@vigil/stack/ports';
import { dynamicConfigArgs, findOrBuildTemporalCli } from '@vigil/stack/temporal';
import { createApp } from '../../apps/api/src/app';
import { buildBundle } from '../../apps/worker/src/bundle';
import { type FakeSendgrid, startFakeSendgrid } from '../fakes/sendgrid';
import { type FakeSlack, startFakeSlack } from '../fakes/slack';

const ROOT = resolve(__dirname, '../..');
const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` is truthy or the deadline passes (then throws with `what`). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  ms: number,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms`);
    await sleep(200);
  }
}

/** The Temporal CLI dev server as a child process this suite can kill -9 and start again on the same port and file. */
class TemporalServer {
  child: ChildProcess | null = null;
  constructor(
    readonly cli: string,
    readonly port: number,
    readonly dbFile: string,
  ) {}
  get address() {
    return `127.0.0.1:${this.port}`;
  }
  async start(): Promise<number> {
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(this.port), '--headless'];
    args.push('--db-filename', this.dbFile, '--namespace', 'default', '--log-level', 'error');
    for (const sa of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${sa.name}=${sa.type}`);
    args.push(...dynamicConfigArgs());
    this.child = spawn(this.cli, args, { stdio: 'ignore' });
    const t0 = Date.now();
    await waitFor(
      'Temporal ready',
      async () => {
        const c = await Connection.connect({ address: this.address, connectTimeout: 1000 });
        try {
          await c.workflowService.getSystemInfo({});
          return true;
        } finally {
          await c.close();
        }
      },
      60_000,
    );
    return Date.now() - t0;
  }
  kill() {
    this.child?.kill('SIGKILL');
  }
}

/** The embedded Postgres in its own process (see pg-server.ts), restartable on the same port and data. */
class PostgresServer {
  child: ChildProcess | null = null;
  url = '';
  constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}
  get dir() {
    return resolve(this.dataDir, 'pg');
  }
  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', resolve(__dirname, 'pg-server.ts'), this.dataDir, String(this.port)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    this.child = child;
    this.url = await new Promise<string>((res, rej) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /READY (\S+)/.exec(out);
        if (m?.[1]) res(m[1]);
      });
      child.once('exit', (code) => rej(new Error(`Postgres exited with ${code}`)));
      child.once('exit', (code, signal) => log(`Postgres process exited (${code ?? signal})`));
    });
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((res) => {
      child.once('exit', () => res());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  }
}

/** Worker processes (the production entry point) under a supervisor that starts a dead one again after 1 s. */
class Supervisor {
  readonly procs: ChildProcess[] = [];
  exits = 0;
  private stopped = false;
  constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly count: number,
  ) {}
  start() {
    for (let i = 0; i < this.count; i++) this.spawn(i);
  }
  private spawn(i: number) {
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', resolve(ROOT, 'apps/worker/src/main.ts')],
      {
        cwd: ROOT,
        env: this.env,
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    this.procs[i] = child;
    child.on('exit', () => {
      this.exits++;
      if (!this.stopped) setTimeout(() => this.spawn(i), 1000);
    });
  }
  /** kill -9 of every worker process (the supervisor starts them again). */
  killAll() {
    for (const p of this.procs) p.kill('SIGKILL');
  }
  async stop() {
    this.stopped = true;
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((res) => {
            if (p.exitCode !== null || p.signalCode !== null) return res();
            p.once('exit', () => res());
            p.kill('SIGTERM');
            setTimeout(() => p.kill('SIGKILL'), 8000).unref();
          }),
      ),
    );
  }
}

export interface FaultStack {
  pg: PostgresServer;
  temporal: TemporalServer;
  workers: Supervisor;
  sendgrid: FakeSendgrid;
  slack: FakeSlack;
  deps: AppDeps;
  relays: Relays;
  apiUrl: string;
  /** kill -9 of the Postgres server process; returns when it is gone. */
  killPostgres(): Promise<void>;
  close(): Promise<void>;
}

/** Its own Postgres, Temporal, recorders, a supervised worker process and an in-process API with its relays. */
export async function startFaultStack(): Promise<FaultStack> {
  const dataDir = resolve(ROOT, '.data', `faults-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const [sendgrid, slack] = await Promise.all([startFakeSendgrid(), startFakeSlack()]);
  const pg = new PostgresServer(dataDir, await freePort());
  await pg.start();
  await runMigrations(pg.url);
  const temporal = new TemporalServer(
    await findOrBuildTemporalCli(log),
    await freePort(),
    resolve(dataDir, 'temporal.db'),
  );
  await temporal.start();
  const bundlePath = resolve(dataDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await buildBundle()).code);
  const taskQueue = 'faults';
  const env: Record<string, string> = {
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SENDGRID_API_KEY: 'SG.faults',
    SENDGRID_BASE_URL: sendgrid.url,
    SLACK_BOT_TOKEN: 'xoxb-faults',
    SLACK_API_URL: `${slack.url}/api/`,
    NOTIFICATION_SENDING_TIMEOUT_MS: '15000',
    DATABASE_STATEMENT_TIMEOUT_MS: '10000',
  };
  const workers = new Supervisor(
    { ...process.env, ...env, VIGIL_WORKFLOW_BUNDLE: bundlePath, LOG_LEVEL: 'fatal' },
    1,
  );
  workers.start();

  const config = loadConfig({ ...process.env, ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const pool = createPool({ url: pg.url, max: 10, taskQueue, connectTimeoutMs: 1000 });
  const db = createDatabase(pool, schema);
  const t = await connectTemporal({ address: temporal.address, namespace: 'default', taskQueue });
  const deps: AppDeps = { db, pool, temporal: t, config, log: createLogger('silent') };
  const relays = startRelays(deps);
  const app = createApp(deps);
  const server: Server = await new Promise((res) => {
    const s = app.listen(0, '127.0.0.1', () => res(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    pg,
    temporal,
    workers,
    sendgrid,
    slack,
    deps,
    relays,
    apiUrl,
    async killPostgres() {
      const pid = Number(readFileSync(resolve(pg.dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      // SIGQUIT is Postgres's immediate shutdown: every backend dies at once, no checkpoint (a crash).
      process.kill(pid, 'SIGQUIT');
      await waitFor(
        'Postgres gone',
        async () => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        },
        10_000,
      );
    },
    async close() {
      await workers.stop();
      await relays.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await closeTemporal(t);
      await pool.end().catch(() => undefined);
      temporal.kill();
      await pg.stop().catch(() => undefined);
      await Promise.all([sendgrid.close(), slack.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
