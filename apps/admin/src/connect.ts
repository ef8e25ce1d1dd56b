import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDeps } from '@vigil/domains/runtime';
import { type Config, loadConfig, publicUrl } from '@vigil/kernel/config';

const STACK_FILE = resolve(__dirname, '../../..', process.env.VIGIL_DATA_DIR ?? '.data', 'stack.json');

/** DATABASE_URL / TEMPORAL_ADDRESS from the environment, else the running `npm start` stack. */
export function resolveEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  if ((!env.DATABASE_URL || !env.TEMPORAL_ADDRESS) && existsSync(STACK_FILE)) {
    const stack = JSON.parse(readFileSync(STACK_FILE, 'utf8')) as {
      databaseUrl: string;
      temporalAddress: string;
    };
    env.DATABASE_URL ??= stack.databaseUrl;
    env.TEMPORAL_ADDRESS ??= stack.temporalAddress;
  }
  if (!env.DATABASE_URL) {
    throw new Error('Set DATABASE_URL (and TEMPORAL_ADDRESS), or start the stack with `npm start` first.');
  }
  return env;
}

export async function connect(name = 'admin') {
  const env = resolveEnv();
  // Commands that only touch Postgres still build the Temporal client lazily: point it somewhere harmless.
  return createDeps(loadConfig({ ...env, TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' }), name);
}

/** Where links point: PUBLIC_URL, else the running `npm start` stack's API, else 127.0.0.1:PORT. */
export function apiBaseUrl(config: Config): string {
  if (config.PUBLIC_URL) return publicUrl(config);
  if (existsSync(STACK_FILE)) {
    const stack = JSON.parse(readFileSync(STACK_FILE, 'utf8')) as { apiUrl?: string };
    if (stack.apiUrl) return stack.apiUrl.replace(/\/+$/, '');
  }
  return publicUrl(config);
}
