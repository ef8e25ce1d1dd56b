import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findGo, goInstall, vigilCacheDir } from './temporal';

const run = promisify(execFile);

/** The server version docker-compose.yml pins (`TEMPORAL_VERSION`, `TEMPORAL_ADMINTOOLS_VERSION`). */
export const TEMPORAL_SERVER_VERSION = 'v1.30.1';
const MODULE = 'go.temporal.io/server';
const SCHEMA = join('schema', 'postgresql', 'v12');

export interface TemporalBinaries {
  /** `go.temporal.io/server/cmd/server`: the server (`server start`). */
  server: string;
  /** `go.temporal.io/server/cmd/tools/sql`: temporal-sql-tool. */
  sql: string;
  /** The postgres12 schema folder (`temporal/versioned`, `visibility/versioned`). */
  schemaDir: string;
}

/**
 * The Temporal server and its SQL tool, from `~/.cache/vigil/temporal-server/<version>/`;
 * whichever is missing is built there once with `go install`, and the module's Postgres
 * schema files are copied beside them, so later runs need no Go.
 */
export async function findOrBuildTemporalServer(
  log: (line: string) => void = console.log,
): Promise<TemporalBinaries> {
  const cacheDir = vigilCacheDir('temporal-server', TEMPORAL_SERVER_VERSION);
  const found: TemporalBinaries = {
    server: join(cacheDir, 'server'),
    sql: join(cacheDir, 'sql'),
    schemaDir: join(cacheDir, SCHEMA),
  };
  const missing = [
    ...(existsSync(found.server) ? [] : [`${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`]),
    ...(existsSync(found.sql) ? [] : [`${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`]),
  ];
  const schemaMissing = !existsSync(join(found.schemaDir, 'visibility', 'versioned'));
  if (!missing.length && !schemaMissing) return found;
  const go = findGo();
  if (!go)
    throw new Error(
      `The Temporal server ${TEMPORAL_SERVER_VERSION} is not in ${cacheDir}; install Go 1.23+ so Vigil can build it there once`,
    );
  if (missing.length)
    await goInstall({
      go,
      what: `the Temporal server ${TEMPORAL_SERVER_VERSION} (${missing.map((p) => p.split('@')[0]?.split('/').pop()).join(', ')})`,
      packages: missing,
      cacheDir,
      log,
    });
  for (const f of [found.server, found.sql])
    if (!existsSync(f)) throw new Error(`go install finished but ${f} is missing`);
  if (schemaMissing) {
    // go install left the module in the module cache; `go mod download` names its folder.
    const { stdout } = await run(go, ['mod', 'download', '-json', `${MODULE}@${TEMPORAL_SERVER_VERSION}`], {
      cwd: cacheDir,
    });
    const moduleDir = (JSON.parse(stdout) as { Dir: string }).Dir;
    // Copied whole, then renamed into place; owner-writable (the module cache is read-only).
    const tmp = `${found.schemaDir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    cpSync(join(moduleDir, SCHEMA), tmp, { recursive: true });
    const writable = (p: string) => {
      chmodSync(p, statSync(p).mode | 0o200);
      if (statSync(p).isDirectory()) for (const f of readdirSync(p)) writable(join(p, f));
    };
    writable(tmp);
    rmSync(found.schemaDir, { recursive: true, force: true });
    renameSync(tmp, found.schemaDir);
    log(`  copied the Postgres schema files to ${found.schemaDir}`);
  }
  return found;
}
