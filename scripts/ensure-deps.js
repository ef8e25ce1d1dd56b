#!/usr/bin/env node
// Installs dependencies on a fresh clone (or after package-lock.json changed), so
// `npm start` and `npm test` work as the first command run in a new checkout. It uses
// `npm install` (which honours package-lock.json) because `npm ci` refuses a lock file
// that lacks optional packages for other platforms when the registry does not serve them.
const { existsSync, statSync } = require('node:fs');
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
