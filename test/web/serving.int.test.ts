import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Harness, startHarness } from '../harness';

/** The strict CSP; the console also connects to the storage's endpoint (presigned evidence uploads). */
let CSP = '';
const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the API serves the console build', () => {
  let h: Harness;
  let dist: string;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'vigil-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("vigil")');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    h = await startHarness({ relays: false, env: { WEB_DIST_DIR: dist } });
    const storage = h.deps.config.S3_PUBLIC_ENDPOINT ?? h.deps.config.S3_ENDPOINT;
    CSP = `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'${storage ? ` ${new URL(storage).origin}` : ''}; frame-ancestors 'none'`;
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache and the strict CSP', async () => {
    const res = await h.raw('GET', '/', { headers: html });
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('serves hashed assets immutable for a year, and other top-level files revalidated', async () => {
    const js = await h.raw('GET', '/assets/index-abc123.js', {});
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await h.raw('GET', '/favicon.svg', {});
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    const missing = await h.raw('GET', '/assets/nope-000.js', { headers: html });
    expect(missing.status).toBe(404);
  });

  it('answers index.html for the console routes a browser opens (SPA fallback)', async () => {
    for (const path of ['/sign-in?error=link_expired', '/training/123', '/overview']) {
      const res = await h.raw('GET', path, { headers: html });
      expect([path, res.status, res.body]).toEqual([path, 200, INDEX]);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
    }
  });

  it('keeps JSON answers and JSON 404s on API paths and for non-HTML clients', async () => {
    const api = await h.raw('GET', '/workspaces/00000000-0000-0000-0000-000000000000/members', {
      headers: html,
    });
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const unknownApi = await h.raw('GET', '/api/nothing-here', { headers: html });
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toContain('application/problem+json');
    const json = await h.raw('GET', '/overview', { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(json.headers.get('content-type')).toContain('application/problem+json');
    const post = await h.raw('POST', '/overview', { headers: html });
    expect(post.status).toBe(404);
    const health = await h.raw('GET', '/healthz', { headers: html });
    expect(health.body).toEqual({ status: 'ok' });
  });
});

describe('without a console build', () => {
  let h: Harness;
  let empty: string;
  beforeAll(async () => {
    empty = mkdtempSync(join(tmpdir(), 'vigil-noweb-'));
    h = await startHarness({ relays: false, env: { WEB_DIST_DIR: empty } });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('shows a short page saying how to build the console at /, not a 404', async () => {
    const res = await h.raw('GET', '/', { headers: html });
    expect(res.status).toBe(200);
    expect(res.body).toContain('npm run build --workspace apps/web');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    const other = await h.raw('GET', '/overview', { headers: html });
    expect(other.status).toBe(404);
  });
});
