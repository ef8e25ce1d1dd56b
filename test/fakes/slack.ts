import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  /** When the request arrived (epoch ms). */
  at: number;
  /** The path, e.g. `/api/chat.postMessage`, or a response_url path. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Form fields (JSON-valued fields such as `blocks` decoded) or the JSON body. */
  body: Record<string, unknown>;
  status: number;
}

export interface FakeSlack {
  /** Server root; the Web API lives under `${url}/api/`. */
  url: string;
  calls: SlackCall[];
  /** Calls to one Web API method, e.g. `chat.postMessage`. */
  method(name: string): SlackCall[];
  /** The next `n` API calls answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(n: number, retryAfterSeconds?: number): void;
  /** The next `n` API calls answer `{ ok: false, error }`. */
  failNext(n: number, error: string): void;
  close(): Promise<void>;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/**
 * A local server speaking the Slack Web API (`POST /api/chat.postMessage`, form or JSON
 * body) and accepting posts to any other path (response_url replies), recording every call.
 */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const queue: Array<{ retryAfter: number } | { error: string }> = [];
  let seq = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const body = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        calls.push({ at, path, headers: req.headers, body, status });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(payload));
      };
      if (!path.startsWith('/api/')) return json(200, { ok: true });
      const next = queue.shift();
      if (next && 'retryAfter' in next)
        return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(next.retryAfter) });
      if (next) return json(200, { ok: false, error: next.error });
      if (path === '/api/chat.postMessage') {
        if (!String(req.headers.authorization ?? '').startsWith('Bearer '))
          return json(200, { ok: false, error: 'not_authed' });
        const ts = `${Math.floor(at / 1000)}.${String(++seq).padStart(6, '0')}`;
        const channel = String(body.channel ?? '');
        return json(200, { ok: true, channel, ts, message: { text: body.text, ts } });
      }
      return json(200, { ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    method: (name) => calls.filter((c) => c.path === `/api/${name}`),
    rateLimitNext(n, retryAfterSeconds = 1) {
      for (let i = 0; i < n; i++) queue.push({ retryAfter: retryAfterSeconds });
    },
    failNext(n, error) {
      for (let i = 0; i < n; i++) queue.push({ error });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
