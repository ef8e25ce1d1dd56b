import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, ListBucketsCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { freePort, portInUse } from './ports';
import { findGo, goInstall, onPath, vigilCacheDir } from './temporal';

/** versitygw (Apache-2.0): an S3 gateway; its POSIX backend keeps objects as files under a folder. */
export const VERSITYGW_VERSION = 'v1.8.0';
const VERSITYGW_PACKAGE = 'github.com/versity/versitygw/cmd/versitygw';

/** The S3_* variables Vigil reads (packages/kernel/src/config.ts). */
export interface S3Env {
  S3_BUCKET: string;
  S3_REGION: string;
  S3_ENDPOINT: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
}

export interface S3ServerHandle {
  /** Vigil's S3_* variables for the server and its bucket (the configured ones when external). */
  env: Partial<S3Env>;
  /** True when this process runs the server (S3_BUCKET was not set). */
  local: boolean;
  endpoint: string | null;
  /** The server's access log (one line per S3 call), when local. */
  accessLog: string | null;
  /** A client with the server's credentials (to create buckets, inspect objects). */
  client(): S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The `versitygw` binary: VERSITYGW_PATH, then PATH, then our cache; otherwise it is built
 * once into `~/.cache/vigil/versitygw/<version>/` with `go install` (about a minute or two).
 */
export async function findOrBuildVersitygw(log: (line: string) => void = console.log): Promise<string> {
  const explicit = process.env.VERSITYGW_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`VERSITYGW_PATH=${explicit} does not exist`);
    return explicit;
  }
  const fromPath = onPath('versitygw');
  if (fromPath) return fromPath;
  const cacheDir = vigilCacheDir('versitygw', VERSITYGW_VERSION);
  const cached = join(cacheDir, 'versitygw');
  if (existsSync(cached)) return cached;
  const go = findGo();
  if (!go) {
    throw new Error(
      [
        'No S3-compatible server is available for document storage. Do one of these:',
        '  - set S3_BUCKET (and S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY) to use your own S3, or',
        '  - put `versitygw` on PATH (or set VERSITYGW_PATH), or',
        `  - install Go 1.23+ so Vigil can build versitygw once into ${cacheDir}`,
      ].join('\n'),
    );
  }
  await goInstall({
    go,
    what: `versitygw ${VERSITYGW_VERSION} (S3-compatible storage)`,
    packages: [`${VERSITYGW_PACKAGE}@${VERSITYGW_VERSION}`],
    cacheDir,
    log,
  });
  if (!existsSync(cached)) throw new Error(`go install finished but ${cached} is missing`);
  return cached;
}

const isAlreadyThere = (err: unknown) =>
  err instanceof S3ServiceException &&
  (err.name === 'BucketAlreadyOwnedByYou' || err.name === 'BucketAlreadyExists');

function clientFor(env: S3Env): S3Client {
  return new S3Client({
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
}

/**
 * S3_BUCKET if set (the configured S3 is used as is); otherwise a local versitygw on a free
 * port (or `port` when free) with its POSIX backend under `<dataDir>/<name>`, the bucket
 * created, and ready to serve when this resolves.
 */
export async function ensureS3(opts: {
  dataDir: string;
  /** folder under dataDir (default `s3`) */
  name?: string;
  bucket?: string;
  port?: number;
  /** Use S3_* from here (default process.env); a set S3_BUCKET means "use that S3". */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}): Promise<S3ServerHandle> {
  const log = opts.log ?? console.log;
  const given = opts.env ?? process.env;
  if (given.S3_BUCKET) {
    const env: Partial<S3Env> = {};
    for (const k of [
      'S3_BUCKET',
      'S3_REGION',
      'S3_ENDPOINT',
      'S3_ACCESS_KEY_ID',
      'S3_SECRET_ACCESS_KEY',
    ] as const)
      if (given[k]) env[k] = given[k];
    const unsupported = () => {
      throw new Error('an external S3 (S3_BUCKET set) is not managed by the launcher');
    };
    return {
      env,
      local: false,
      endpoint: given.S3_ENDPOINT ?? null,
      accessLog: null,
      client: unsupported,
      createBucket: async () => unsupported(),
      stop: async () => undefined,
    };
  }
  const binary = await findOrBuildVersitygw(log);
  const root = resolve(opts.dataDir, opts.name ?? 's3');
  const objects = join(root, 'objects');
  const sidecar = join(root, 'meta');
  mkdirSync(objects, { recursive: true });
  mkdirSync(sidecar, { recursive: true });
  const accessLog = join(root, 'access.log');
  const port = opts.port && !(await portInUse(opts.port)) ? opts.port : await freePort();
  const env: S3Env = {
    S3_BUCKET: opts.bucket ?? 'vigil',
    S3_REGION: 'us-east-1',
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    // Local-only credentials: the server listens on loopback and holds development data.
    S3_ACCESS_KEY_ID: 'vigil-local',
    S3_SECRET_ACCESS_KEY: 'vigil-local-secret-key',
  };
  const child: ChildProcess = spawn(
    binary,
    [
      '--port',
      `127.0.0.1:${port}`,
      '--access',
      env.S3_ACCESS_KEY_ID,
      '--secret',
      env.S3_SECRET_ACCESS_KEY,
      '--region',
      env.S3_REGION,
      '--access-log',
      accessLog,
      // The console PUTs evidence files straight to a presigned URL from its own origin (development only).
      '--cors-allow-origin',
      '*',
      '--quiet',
      'posix',
      // metadata (content type, x-amz-meta-*, checksums) in sidecar files: works on any filesystem
      '--sidecar',
      sidecar,
      objects,
    ],
    // only what the gateway needs: its flags also read LOGFILE, WEBHOOK and ROOT_* variables
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  let dead = false;
  void exited.then(() => {
    dead = true;
  });

  const client = clientFor(env);
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await client.send(new ListBucketsCommand({}));
      break;
    } catch (err) {
      if (dead) throw new Error(`versitygw exited before it was ready:\n${stderr}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `versitygw was not ready on ${env.S3_ENDPOINT} within 20 s: ${String(err)}\n${stderr}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const createBucket = async (name: string) => {
    try {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    } catch (err) {
      if (!isAlreadyThere(err)) throw err;
    }
  };
  await createBucket(env.S3_BUCKET);
  return {
    env,
    local: true,
    endpoint: env.S3_ENDPOINT,
    accessLog,
    client: () => clientFor(env),
    createBucket,
    stop: async () => {
      client.destroy();
      if (dead) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
