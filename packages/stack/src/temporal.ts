import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { parse as parseYaml } from 'yaml';
// Relative import: the test global setup loads this file without Jest's module mapper.
import { SEARCH_ATTRIBUTES } from '../../kernel/src/search-attributes';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const CONFIG_DIR = resolve(__dirname, '../../../temporal-config');

interface TemporalServerHandle {
  address: string;
  uiUrl: string | null;
  cliPath: string | null;
  env: TestWorkflowEnvironment | null;
  stop(): Promise<void>;
}

/** `~/.cache/vigil/<parts>` (or under XDG_CACHE_HOME): where built Temporal binaries are kept. */
export function vigilCacheDir(...parts: string[]): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'vigil', ...parts);
}

function cliCacheDir(): string {
  return vigilCacheDir('temporal-cli', TEMPORAL_CLI_VERSION);
}

export function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** The `go` binary (PATH, then /usr/local/go/bin), or null. */
export function findGo(): string | null {
  return onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
}

/**
 * Builds Go packages (`path@version`, one module) once into `cacheDir` with `go install`
 * (GOBIN there, no cgo), printing a line every 20 s while it runs.
 */
export async function goInstall(opts: {
  go: string;
  what: string;
  packages: string[];
  cacheDir: string;
  log: (line: string) => void;
}): Promise<void> {
  const { go, cacheDir, log } = opts;
  mkdirSync(cacheDir, { recursive: true });
  log(`Building ${opts.what} with Go into ${cacheDir} (first run only; takes a few minutes)...`);
  const started = Date.now();
  const ticker = setInterval(
    () => log(`  ...still building (${Math.round((Date.now() - started) / 1000)} s)`),
    20000,
  );
  try {
    await new Promise<void>((res, rej) => {
      const child = spawn(go, ['install', ...opts.packages], {
        env: { ...process.env, GOBIN: cacheDir, CGO_ENABLED: '0' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', rej);
      child.on('exit', (code) =>
        code === 0 ? res() : rej(new Error(`go install exited with code ${code}`)),
      );
    });
  } finally {
    clearInterval(ticker);
  }
  log(`  built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * The `temporal` CLI: TEMPORAL_CLI_PATH, then PATH, then our cache; otherwise it is
 * built once into the cache with `go install` (several minutes the first time).
 */
export async function findOrBuildTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not exist`);
    return explicit;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const cacheDir = cliCacheDir();
  const cached = join(cacheDir, 'temporal');
  if (existsSync(cached)) return cached;

  const go = findGo();
  if (!go) {
    throw new Error(
      [
        'No Temporal server is available. Do one of these:',
        '  - set TEMPORAL_ADDRESS to a running Temporal server (host:port), or',
        '  - install the Temporal CLI and put `temporal` on PATH (or set TEMPORAL_CLI_PATH), or',
        `  - install Go 1.23+ so Vigil can build the CLI once into ${cacheDir}`,
      ].join('\n'),
    );
  }
  await goInstall({
    go,
    what: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
    packages: [`github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`],
    cacheDir,
    log,
  });
  if (!existsSync(cached)) throw new Error(`go install finished but ${cached} is missing`);
  return cached;
}

/** `--dynamic-config-value KEY=JSON` for each key of temporal-config/dynamicconfig/development.yaml. */
export function dynamicConfigArgs(file = join(CONFIG_DIR, 'dynamicconfig', 'development.yaml')): string[] {
  if (!existsSync(file)) return [];
  const doc = parseYaml(readFileSync(file, 'utf8')) as Record<string, Array<{ value: unknown }>> | null;
  const args: string[] = [];
  for (const [key, entries] of Object.entries(doc ?? {})) {
    const first = Array.isArray(entries) ? entries[0] : undefined;
    if (first && 'value' in first)
      args.push('--dynamic-config-value', `${key}=${JSON.stringify(first.value)}`);
  }
  return args;
}

/**
 * TEMPORAL_ADDRESS if set; otherwise the CLI dev server through @temporalio/testing,
 * with our search attributes registered and (optionally) persisted to a SQLite file.
 */
export async function ensureTemporal(opts: {
  address?: string;
  dataDir: string;
  dbFile?: string | null;
  port?: number;
  uiPort?: number | null;
  namespace: string;
  log?: (line: string) => void;
}): Promise<TemporalServerHandle> {
  if (opts.address)
    return { address: opts.address, uiUrl: null, cliPath: null, env: null, stop: async () => undefined };
  const log = opts.log ?? console.log;
  const cliPath = await findOrBuildTemporalCli(log);
  mkdirSync(resolve(opts.dataDir), { recursive: true });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cliPath },
      ip: '127.0.0.1',
      port: opts.port,
      namespace: opts.namespace,
      ui: opts.uiPort != null,
      uiPort: opts.uiPort ?? undefined,
      dbFilename: opts.dbFile ? resolve(opts.dataDir, opts.dbFile) : undefined,
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: dynamicConfigArgs(),
    },
  });
  const address = env.address;
  return {
    address,
    uiUrl: opts.uiPort != null ? `http://127.0.0.1:${opts.uiPort}` : null,
    cliPath,
    env,
    stop: () => env.teardown(),
  };
}
