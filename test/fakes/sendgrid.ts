import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The part of a SendGrid v3 mail body the tests look at. */
export interface SendgridMail {
  personalizations: Array<{ to: Array<{ email: string; name?: string }> }>;
  from: { email: string; name?: string };
  subject: string;
  content: Array<{ type: string; value: string }>;
  custom_args?: Record<string, string>;
}

export interface SendgridCall {
  /** When the request arrived (epoch ms). */
  at: number;
  headers: IncomingHttpHeaders;
  body: SendgridMail;
  /** The status the fake answered with. */
  status: number;
  messageId: string | null;
}

export interface FakeSendgrid {
  /** Base URL to use as SENDGRID_BASE_URL. */
  url: string;
  calls: SendgridCall[];
  /**
   * The next `n` sends answer 429 with `Retry-After: retryAfterSeconds`, or with
   * `X-RateLimit-Reset` (epoch seconds) that many seconds ahead.
   */
  rateLimitNext(n: number, retryAfterSeconds?: number, header?: 'retry-after' | 'x-ratelimit-reset'): void;
  /** The next `n` sends answer `status` with a SendGrid error body. */
  failNext(n: number, status: number): void;
  close(): Promise<void>;
}

/** A local server speaking SendGrid's `POST /v3/mail/send`, recording every call. */
export async function startFakeSendgrid(): Promise<FakeSendgrid> {
  const calls: SendgridCall[] = [];
  const queue: Array<{ status: number; retryAfter?: number; header?: string }> = [];
  let sent = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      if (req.method !== 'POST' || req.url !== '/v3/mail/send') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"errors":[{"message":"not found"}]}');
        return;
      }
      if (!String(req.headers.authorization ?? '').startsWith('Bearer ')) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: 'authorization required' }] }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SendgridMail;
      const next = queue.shift();
      if (next?.status === 429) {
        calls.push({ at, headers: req.headers, body, status: 429, messageId: null });
        res.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(next.retryAfter ?? 1),
        });
        res.end(JSON.stringify({ errors: [{ message: 'too many requests' }] }));
        return;
      }
      if (next) {
        calls.push({ at, headers: req.headers, body, status: next.status, messageId: null });
        res.writeHead(next.status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [{ field: 'personalizations.0.to', message: 'Does not contain a valid address.' }],
          }),
        );
        return;
      }
      const messageId = `fake-sg-${++sent}`;
      calls.push({ at, headers: req.headers, body, status: 202, messageId });
      res.writeHead(202, { 'x-message-id': messageId }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    rateLimitNext(n, retryAfterSeconds = 1, header = 'retry-after') {
      for (let i = 0; i < n; i++) queue.push({ status: 429, retryAfter: retryAfterSeconds, header });
    },
    failNext(n, status) {
      for (let i = 0; i < n; i++) queue.push({ status });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
