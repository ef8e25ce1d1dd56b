#!/usr/bin/env node
// Installs dependencies on a fresh clone (or after package-lock.json changed), so
// `npm start` and `npm test` work as the first command run in a new checkout. It uses
// `npm install` (which honours package-lock.json) because `npm ci` refuses a lock file
// that lacks optional packages for other platforms when the registry does not serve them.
const { existsSync, readdirSync, statSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  console.log('[vigil] installing dependencies (npm install)...');
  const res = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

// The console (apps/web) is static files the API serves at `/`: build them when they are missing
// or older than any of their sources, so `npm start` and `npm test` work on a fresh clone.
const web = join(root, 'apps', 'web');
const newest = (dir) => {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist'].includes(entry.name) || entry.name === 'schema.d.ts') continue;
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};
const builtIndex = join(web, 'dist', 'index.html');
if (
  existsSync(web) &&
  process.env.VIGIL_SKIP_WEB_BUILD !== '1' &&
  (!existsSync(builtIndex) || statSync(builtIndex).mtimeMs < Math.max(newest(web), statSync(lock).mtimeMs))
) {
  console.log('[vigil] building the console (apps/web)...');
  const res = spawnSync('npm', ['run', '-s', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
