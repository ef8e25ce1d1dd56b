import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookCall {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as signed. */
  raw: string;
  status: number;
}

export interface FakeWebhookReceiver {
  url: string;
  calls: WebhookCall[];
  /** The next `n` requests answer `status` (500 by default). */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

/** A local webhook receiver: records every POST with its headers and raw body, answers 200 (or a queued failure). */
export async function startWebhookReceiver(): Promise<FakeWebhookReceiver> {
  const calls: WebhookCall[] = [];
  const failures: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failures.shift() ?? 200;
      calls.push({
        at: Date.now(),
        path: req.url ?? '/',
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'failing');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    failNext: (n, status = 500) => {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
