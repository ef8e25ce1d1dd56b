import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** The README's layout map and spec table must be true of the tree. */
const ROOT = resolve(__dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = (title: string) => {
  const start = readme.indexOf(`## ${title}\n`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
};
const DOMAINS = join(ROOT, 'packages/domains/src');
const domains = readdirSync(DOMAINS).filter((d) => statSync(join(DOMAINS, d)).isDirectory());
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'node_modules' || f.startsWith('.')) return [];
    return statSync(p).isDirectory() ? walk(p) : [relative(ROOT, p)];
  });

describe('the README layout map', () => {
  const layout = section('Layout');

  it('names only folders and files that exist', () => {
    const paths = [...layout.matchAll(/^([a-z][\w./-]*[\w/])\s/gm)].map((m) => m[1] as string);
    expect(paths.length).toBeGreaterThan(8);
    for (const p of paths.filter((x) => !x.includes('<')))
      expect([p, existsSync(join(ROOT, p))]).toEqual([p, true]);
  });

  it('every domain folder exposes its module through index.ts', () => {
    for (const d of domains) expect([d, existsSync(join(DOMAINS, d, 'index.ts'))]).toEqual([d, true]);
  });

  it('names every obligation kind adapter kind.ts, and keeps no empty workflows.ts', () => {
    const files = walk(DOMAINS);
    expect(files.filter((f) => /-kind\.ts$/.test(f))).toEqual([]);
    for (const f of files.filter((x) => /src\/\w+\/workflows\.ts$/.test(x)))
      expect([f, readFileSync(join(ROOT, f), 'utf8').split('\n').length > 5]).toEqual([f, true]);
    const adapters = files.filter((f) => /KindAdapter = \{/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(adapters.every((f) => f.endsWith('/kind.ts'))).toBe(true);
  });

  it('keeps integration tests under test/ and unit tests out of it', () => {
    const all = walk(join(ROOT, 'packages')).concat(walk(join(ROOT, 'apps')));
    expect(all.filter((f) => f.endsWith('.int.test.ts'))).toEqual([]);
  });

  it('points every spec section at code that exists', () => {
    const paths = [
      ...section('Where each spec section lives').matchAll(/`((?:packages|drizzle)\/[^`]+)`/g),
    ].map((m) => m[1] as string);
    expect(paths.length).toBeGreaterThan(10);
    for (const p of paths) expect([p, existsSync(join(ROOT, p))]).toEqual([p, true]);
  });
});

describe('the worker process', () => {
  it('is launched with the V8 flags of apps/worker/src/node-options.ts everywhere', () => {
    const { WORKER_NODE_FLAGS } = require('../apps/worker/src/node-options') as {
      WORKER_NODE_FLAGS: string[];
    };
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    for (const flag of WORKER_NODE_FLAGS) {
      expect(scripts.worker).toContain(flag);
      expect(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).toContain(`"${flag}"`);
    }
  });
});
