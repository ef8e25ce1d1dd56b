import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { AppDeps } from '@vigil/domains/deps';
import { bootstrapWorkspace, createToken } from '@vigil/domains/people/access';
import { createMember } from '@vigil/domains/people/service';
import * as schema from '@vigil/domains/schema';
import type { AccessRole, AuthContext } from '@vigil/kernel/auth';
import { loadConfig } from '@vigil/kernel/config';
import { createDatabase, createPool } from '@vigil/kernel/db';
import { Effects } from '@vigil/kernel/effects';
import { createLogger } from '@vigil/kernel/logger';
import { closeTemporal, connectTemporal } from '@vigil/kernel/temporal';
import { createApp } from '../apps/api/src/app';
import { createWorker } from '../apps/worker/src/worker';
import { type Relays, startRelays } from '../packages/domains/src/relays';
import { cloneDatabase, dropDatabase } from '../packages/stack/src/databases';
import { TEST_ENV_FILE } from './env-file';

export interface TestEnv {
  /** The migrated template every harness copies (never connect to it: copies need it idle). */
  databaseUrl: string;
  temporalAddress: string;
  temporalCliPath: string | null;
  bundlePath: string;
  /** Vigil's S3_* variables for this run's S3 (a local versitygw unless S3_BUCKET was set). */
  s3: TestS3;
}

export interface TestS3 {
  S3_BUCKET: string;
  S3_REGION?: string;
  S3_ENDPOINT?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  /** True when the global setup runs the server (each harness then gets its own bucket). */
  local: boolean;
  /** The local server's access log: one line per S3 call (see test/s3.ts). */
  accessLog: string | null;
}

export const testEnv = (): TestEnv => JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8')) as TestEnv;

export interface HttpResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary JSON
  body: any;
  headers: Headers;
}

export interface Harness {
  deps: AppDeps;
  /** This test file's own database, copied from the migrated template. */
  databaseUrl: string;
  /** This harness's bucket on the run's S3 server (null when the test configures its own S3). */
  s3Bucket: string | null;
  relays: Relays | null;
  baseUrl: string;
  taskQueue: string;
  worker: Worker | null;
  request(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpResult>;
  raw(
    method: string,
    path: string,
    init: { token?: string; body?: string; headers?: Record<string, string> },
  ): Promise<HttpResult>;
  workspace(name?: string): Promise<TestWorkspace>;
  close(): Promise<void>;
}

export interface TestWorkspace {
  id: string;
  adminId: string;
  adminToken: string;
  ctx: AuthContext;
  /** Creates a member with the given access role and returns its id and a token. */
  member(
    role?: AccessRole,
    extra?: { manager_id?: string; name?: string },
  ): Promise<{ id: string; token: string }>;
}

let runtimeInstalled = false;

/**
 * The S3_* variables for one harness: on the local server a fresh bucket `vigil-t-<uuid>`;
 * on an external S3 (S3_BUCKET set for the run) its bucket as is. None when the test sets S3_* itself.
 */
async function harnessBucket(
  s3: TestS3,
  override: Record<string, string | undefined> = {},
): Promise<Record<string, string | undefined>> {
  const { local, accessLog: _log, ...vars } = s3;
  if (Object.keys(override).some((k) => k.startsWith('S3_'))) return {};
  if (!local) return vars;
  const bucket = `vigil-t-${randomUUID().slice(0, 18)}`;
  const client = testS3Client(s3);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
  return { ...vars, S3_BUCKET: bucket };
}

/** An SDK client for the run's S3 server, to look at what a test stored. */
export function testS3Client(s3: TestS3 = testEnv().s3): S3Client {
  return new S3Client({
    region: s3.S3_REGION ?? 'us-east-1',
    ...(s3.S3_ENDPOINT ? { endpoint: s3.S3_ENDPOINT, forcePathStyle: true } : {}),
    ...(s3.S3_ACCESS_KEY_ID && s3.S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: s3.S3_ACCESS_KEY_ID, secretAccessKey: s3.S3_SECRET_ACCESS_KEY } }
      : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A real API (on a random port) and, optionally, a real worker on its own task queue. */
export async function startHarness(
  opts: { worker?: boolean; relays?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<Harness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const env = testEnv();
  const taskQueue = `test-${randomUUID()}`;
  const databaseUrl = await cloneDatabase(env.databaseUrl, `vigil_t_${randomUUID().replace(/-/g, '')}`);
  // Each harness (test file) stores its documents in its own bucket of the run's S3 server.
  const s3Env = await harnessBucket(env.s3, opts.env);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'silent',
    BODY_LIMIT: '100kb',
    ...s3Env,
    ...opts.env,
  });
  const pool = createPool({ url: databaseUrl, max: 8, taskQueue });
  const db = createDatabase(pool, schema);
  const temporal = await connectTemporal({ address: env.temporalAddress, namespace: 'default', taskQueue });
  const deps: AppDeps = { db, pool, temporal, config, log: createLogger('silent') };
  const app = createApp(deps);
  const server: Server = await new Promise((res) => {
    const s = app.listen(0, '127.0.0.1', () => res(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The outbox relays, as every API and worker process runs them (off for tests that drive passes).
  const relays = opts.relays === false ? null : startRelays(deps);
  let worker: Worker | null = null;
  let workerRun: Promise<void> | null = null;
  let workerConn: { close(): Promise<void> } | null = null;
  if (opts.worker) {
    const created = await createWorker(deps, {
      address: env.temporalAddress,
      namespace: 'default',
      taskQueue,
      bundleCode: readFileSync(env.bundlePath, 'utf8'),
    });
    worker = created.worker;
    workerConn = created.connection;
    workerRun = worker.run();
  }

  const raw: Harness['raw'] = async (method, path, init) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
      body: init.body,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, body, headers: res.headers };
  };

  const request: Harness['request'] = (method, path, token, body, headers) =>
    raw(method, path, {
      token: token ?? undefined,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    });

  const workspace = async (name = `ws-${randomUUID().slice(0, 8)}`): Promise<TestWorkspace> => {
    const boot = await bootstrapWorkspace(db, {
      name,
      adminEmail: `admin-${randomUUID().slice(0, 8)}@example.com`,
    });
    const ctx: AuthContext = {
      workspaceId: boot.workspace.id,
      memberId: boot.admin.id,
      role: 'ADMIN',
      tokenId: null,
      ip: null,
      userAgent: 'test',
      via: 'TOKEN',
    };
    return {
      id: boot.workspace.id,
      adminId: boot.admin.id,
      adminToken: boot.token,
      ctx,
      member: async (role = 'MEMBER', extra = {}) => {
        const m = await createMember(db, ctx, new Effects(), {
          name: extra.name ?? `${role.toLowerCase()} ${randomUUID().slice(0, 4)}`,
          email: `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`,
          access_role: role,
          manager_id: extra.manager_id,
        });
        const { secret } = await createToken(db, ctx, { member_id: m.id, name: 'test' });
        return { id: m.id, token: secret };
      },
    };
  };

  return {
    deps,
    databaseUrl,
    s3Bucket: s3Env.S3_BUCKET ?? null,
    relays,
    baseUrl,
    taskQueue,
    worker,
    request,
    raw,
    workspace,
    close: async () => {
      if (worker && workerRun) {
        worker.shutdown();
        await workerRun;
        await workerConn?.close();
      }
      await relays?.stop();
      await new Promise<void>((res) => server.close(() => res()));
      server.closeAllConnections?.();
      await closeTemporal(temporal);
      await pool.end();
      await dropDatabase(databaseUrl).catch(() => undefined);
    },
  };
}

/** Polls until `check` returns a truthy value, or fails after the deadline. Never a fixed sleep. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 20000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
