import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '@vigil/kernel/config';
import express, { type Express, type Request, type Response } from 'express';

type ConsoleConfig = Pick<
  Config,
  'WEB_DIST_DIR' | 'S3_BUCKET' | 'S3_REGION' | 'S3_ENDPOINT' | 'S3_PUBLIC_ENDPOINT'
>;

/**
 * Where the browser PUTs a document to with a presigned URL: the origin of S3_PUBLIC_ENDPOINT
 * (else S3_ENDPOINT), or AWS's own bucket endpoints; none without storage.
 */
export function storageOrigins(config: Omit<ConsoleConfig, 'WEB_DIST_DIR'>): string[] {
  if (!config.S3_BUCKET) return [];
  const endpoint = config.S3_PUBLIC_ENDPOINT ?? config.S3_ENDPOINT;
  if (endpoint) return [new URL(endpoint).origin];
  const region = config.S3_REGION ?? 'us-east-1';
  return [`https://${config.S3_BUCKET}.s3.${region}.amazonaws.com`, `https://s3.${region}.amazonaws.com`];
}

/**
 * The console's Content-Security-Policy: scripts only from this origin, never inline; requests to
 * this origin and to the document storage (presigned uploads go straight to S3).
 */
export const consoleCsp = (config: Omit<ConsoleConfig, 'WEB_DIST_DIR'>): string =>
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  `connect-src ${["'self'", ...storageOrigins(config)].join(' ')}; frame-ancestors 'none'`;

/** Where the console's production build lives: WEB_DIST_DIR, else apps/web/dist. */
export const webDistDir = (config: Pick<Config, 'WEB_DIST_DIR'>): string =>
  resolve(config.WEB_DIST_DIR ?? resolve(__dirname, '../../web/dist'));

const NO_BUILD_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vigil</title></head>
<body><main><h1>Vigil API</h1><p>The console is not built yet. Build it with <code>npm run build --workspace apps/web</code>
(or set <code>WEB_DIST_DIR</code> to a built console) and reload this page.</p>
<p>The API is running: see <a href="/docs">the API docs</a>.</p></main></body></html>`;

/** Paths that belong to the API: they keep their JSON answers (and JSON 404s) even for a browser. */
export function isApiPath(path: string, apiPrefixes: ReadonlySet<string>): boolean {
  const first = path.split('/')[1] ?? '';
  return apiPrefixes.has(first);
}

const OPS_PREFIXES = ['healthz', 'readyz', 'metrics', 'openapi.json', 'docs', 'slack'];

/**
 * Serves the console's build at `/`: hashed files under `/assets/` cached for a year
 * (immutable), index.html and other top-level files revalidated (`no-cache`), and index.html for
 * any other GET that asks for text/html outside the API's paths (the SPA's own routes). Without
 * a build, `/` is a short page saying how to build it. Mounted after the API routes.
 */
export function mountConsole(app: Express, config: ConsoleConfig, routePaths: string[]): void {
  const policy = consoleCsp(config);
  const dist = webDistDir(config);
  const index = join(dist, 'index.html');
  const prefixes = new Set([...OPS_PREFIXES, ...routePaths.map((p) => p.split('/')[1] ?? '')]);
  prefixes.delete('');
  const csp = (res: Response) => res.setHeader('content-security-policy', policy);
  const sendIndex = (res: Response) => {
    csp(res);
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  };

  app.use(
    '/assets',
    express.static(join(dist, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: true,
      setHeaders: (res) => res.setHeader('content-security-policy', policy),
    }),
  );
  app.get('/', (_req, res) => {
    if (existsSync(index)) return sendIndex(res);
    csp(res);
    res.setHeader('cache-control', 'no-cache');
    res.status(200).type('html').send(NO_BUILD_PAGE);
  });
  // Top-level files of the build (favicon, robots.txt, ...): not hashed, so revalidated.
  app.use(
    express.static(dist, {
      index: false,
      redirect: false,
      setHeaders: (res) => {
        res.setHeader('cache-control', 'no-cache');
        res.setHeader('content-security-policy', policy);
      },
    }),
  );
  app.get(/.*/, (req: Request, res: Response, next) => {
    const wantsHtml = (req.get('accept') ?? '').includes('text/html');
    if (!wantsHtml || isApiPath(req.path, prefixes) || req.path.startsWith('/assets/') || !existsSync(index))
      return next();
    sendIndex(res);
  });
}
