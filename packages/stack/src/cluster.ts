import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { stringify as toYaml } from 'yaml';
import { findOrBuildTemporalServer, TEMPORAL_SERVER_VERSION } from './cluster-binaries';
import { onServer } from './databases';
import { freeLowPort, freePort } from './ports';
import { ensurePostgres, type PostgresHandle } from './postgres';
import { CONFIG_DIR, findOrBuildTemporalCli, onPath } from './temporal';

export {
  findOrBuildTemporalServer,
  TEMPORAL_SERVER_VERSION,
  type TemporalBinaries,
} from './cluster-binaries';

const run = promisify(execFile);

export interface ClusterHandle {
  /** Frontend gRPC `host:port`. */
  address: string;
  namespace: string;
  /** A URL of the Postgres server Temporal persists to (its `postgres` database). */
  postgresUrl: string;
  /** The `temporal` CLI the search attributes were registered with (null: through the client API). */
  cliPath: string | null;
  /** The server's output. */
  logFile: string;
  stop(): Promise<void>;
}

interface SqlTarget {
  host: string;
  port: string;
  user: string;
  password: string;
}

/** What the compose `temporal-admin-tools` job runs, per database: create, setup-schema -v 0.0, update-schema -d. */
async function setupSchemas(
  sqlTool: string,
  pg: SqlTarget,
  databases: Array<{ name: string; versioned: string }>,
): Promise<void> {
  const base = ['--plugin', 'postgres12', '--ep', pg.host, '-p', pg.port, '-u', pg.user];
  const env = { ...process.env, SQL_PASSWORD: pg.password };
  for (const db of databases)
    for (const command of [
      ['create'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '-d', db.versioned],
    ]) {
      try {
        await run(sqlTool, [...base, '--db', db.name, ...command], { env });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        throw new Error(
          `temporal-sql-tool ${command[0]} on ${db.name} failed:\n${e.stdout ?? ''}${e.stderr ?? String(err)}`,
        );
      }
    }
}

/** The server config: Postgres (`postgres12`) for the default store and SQL visibility, every service in one process. */
async function serverConfig(pg: SqlTarget, databases: { default: string; visibility: string }) {
  const port = async () => freePort();
  const rpc = async (extra: Record<string, number> = {}) => ({
    rpc: { grpcPort: await port(), membershipPort: await freeLowPort(), bindOnLocalHost: true, ...extra },
  });
  const frontend = await rpc({ httpPort: await port() });
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${pg.host}:${pg.port}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const address = `127.0.0.1:${frontend.rpc.grpcPort}`;
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': store(databases.default, 10),
        'postgres-visibility': store(databases.visibility, 3),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: { frontend, history: await rpc(), matching: await rpc(), worker: await rpc() },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: address },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: {
      filepath: join(CONFIG_DIR, 'dynamicconfig', 'development.yaml'),
      pollInterval: '10s',
    },
  };
  return { address, yaml: toYaml(config) };
}

async function frontendServing(address: string): Promise<boolean> {
  const c = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    await c.workflowService.getSystemInfo({});
    return true;
  } finally {
    await c.close();
  }
}

/**
 * Registers temporal-config/search-attributes.json on the namespace with the compose job's own
 * script (it needs `sh` and the `temporal` CLI; it creates the namespace and waits until a
 * query naming every attribute is accepted).
 */
async function registerSearchAttributes(cli: string, address: string, namespace: string): Promise<void> {
  const script = join(CONFIG_DIR, 'register-search-attributes.sh');
  try {
    await run('sh', [script], {
      env: {
        ...process.env,
        PATH: `${dirname(cli)}:${process.env.PATH ?? ''}`,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        WAIT_TIMEOUT_SECONDS: '120',
      },
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`register-search-attributes.sh failed:\n${e.stdout ?? ''}${e.stderr ?? String(err)}`);
  }
}

/** Without the CLI: the same namespace and search-attributes.json through the client API. */
async function registerSearchAttributesByApi(address: string, namespace: string): Promise<void> {
  const list = JSON.parse(readFileSync(join(CONFIG_DIR, 'search-attributes.json'), 'utf8')) as Array<{
    name: string;
    type: string;
  }>;
  // temporal.api.enums.v1.IndexedValueType, by the names search-attributes.json (and the CLI) use.
  const types: Record<string, number> = {
    Text: 1,
    Keyword: 2,
    Int: 3,
    Double: 4,
    Bool: 5,
    Datetime: 6,
    KeywordList: 7,
  };
  const c = await Connection.connect({ address });
  const deadline = Date.now() + 120_000;
  const retry = async (what: string, fn: () => Promise<unknown>) => {
    for (;;) {
      try {
        await fn();
        return;
      } catch (err) {
        if (/already/i.test(String(err))) return;
        if (Date.now() > deadline) throw new Error(`${what}: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  try {
    await retry('register namespace', () =>
      c.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('72 hours'),
      }),
    );
    const searchAttributes = Object.fromEntries(list.map((sa) => [sa.name, types[sa.type] ?? 0]));
    await retry('add search attributes', () =>
      c.operatorService.addSearchAttributes({ namespace, searchAttributes }),
    );
    const query = list.map((sa) => `${sa.name} IS NOT NULL`).join(' AND ');
    await retry('search attributes usable', () =>
      c.workflowService.countWorkflowExecutions({ namespace, query }),
    );
  } finally {
    await c.close();
  }
}

/**
 * A production-topology Temporal: the server binary with Postgres persistence (default store
 * and SQL visibility) on DATABASE_URL's server or an embedded Postgres, its `temporal` and
 * `temporal_visibility` databases set up as the compose schema job does, all four services in
 * one child process on free ports, the dynamic config of temporal-config/, and Vigil's search
 * attributes registered as the compose search-attribute job does.
 */
export async function startCluster(opts: {
  dataDir: string;
  name: string;
  /** A URL on the Postgres server to use; without it an embedded server is started. */
  databaseUrl?: string;
  namespace?: string;
  log?: (line: string) => void;
}): Promise<ClusterHandle> {
  const log = opts.log ?? console.log;
  const namespace = opts.namespace ?? 'default';
  const dir = resolve(opts.dataDir, opts.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const binaries = await findOrBuildTemporalServer(log);
  // The CLI only registers the search attributes (the compose job's script uses it).
  const cli = onPath('sh') ? await findOrBuildTemporalCli(log).catch(() => null) : null;

  const started = Date.now();
  let pg: PostgresHandle | null = null;
  let child: ChildProcess | null = null;
  // An external server is shared: this run's databases get their own names and are dropped at stop.
  const databases = opts.databaseUrl
    ? { default: `temporal_${opts.name.replace(/\W/g, '_')}`, visibility: '' }
    : { default: 'temporal', visibility: 'temporal_visibility' };
  if (opts.databaseUrl) databases.visibility = `${databases.default}_visibility`;
  const dropDatabases = async (url: string) =>
    onServer(url, async (client) => {
      for (const name of [databases.default, databases.visibility])
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    });
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const c = child;
      await new Promise<void>((res) => {
        c.once('exit', () => res());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
      });
    }
    if (pg?.embedded) await pg.stop().catch(() => undefined);
    else if (pg) await dropDatabases(pg.url).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  const logFile = join(dir, 'temporal.log');
  try {
    pg = await ensurePostgres({
      databaseUrl: opts.databaseUrl
        ? Object.assign(new URL(opts.databaseUrl), { pathname: '/postgres' }).toString()
        : undefined,
      dataDir: dir,
      name: 'pg',
      database: 'postgres',
      log,
    });
    const u = new URL(pg.url);
    const target: SqlTarget = {
      host: u.hostname,
      port: u.port || '5432',
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
    };
    if (opts.databaseUrl) await dropDatabases(pg.url);
    await setupSchemas(binaries.sql, target, [
      { name: databases.default, versioned: join(binaries.schemaDir, 'temporal', 'versioned') },
      { name: databases.visibility, versioned: join(binaries.schemaDir, 'visibility', 'versioned') },
    ]);
    const schemaMs = Date.now() - started;

    const { address, yaml } = await serverConfig(target, databases);
    const configFile = join(dir, 'temporal.yaml');
    writeFileSync(configFile, yaml, { mode: 0o600 });
    const out = createWriteStream(logFile);
    const server = spawn(binaries.server, ['--config-file', configFile, '--allow-no-auth', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = server;
    server.stdout?.pipe(out);
    server.stderr?.pipe(out);
    const exited = new Promise<never>((_, rej) =>
      server.once('exit', (code, signal) =>
        rej(new Error(`Temporal server exited (${code ?? signal}); see ${logFile}`)),
      ),
    );
    exited.catch(() => undefined);
    const serving = (async () => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (await frontendServing(address).catch(() => false)) return;
        if (Date.now() > deadline) throw new Error(`Temporal frontend ${address} not serving within 120 s`);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    await Promise.race([serving, exited]);
    const serveMs = Date.now() - started;
    await Promise.race([
      cli
        ? registerSearchAttributes(cli, address, namespace)
        : registerSearchAttributesByApi(address, namespace),
      exited,
    ]);
    log(
      `Temporal cluster ${TEMPORAL_SERVER_VERSION} at ${address} ready in ${Date.now() - started} ms ` +
        `(schemas ${schemaMs} ms, serving at ${serveMs} ms; Postgres ${pg.embedded ? 'embedded' : 'external'})`,
    );
    return { address, namespace, postgresUrl: pg.url, cliPath: cli, logFile, stop };
  } catch (err) {
    const tail = existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .slice(-20)
          .map((l) => l.slice(0, 400))
          .join('\n')
      : '';
    await stop();
    if (tail) log(`Temporal server output (last lines):\n${tail}`);
    throw err;
  }
}
