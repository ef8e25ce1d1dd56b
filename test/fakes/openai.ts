import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The part of an OpenAI chat-completions request the tests look at. */
export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  max_tokens?: number;
  temperature?: number;
}

export interface ChatCall {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: ChatRequest;
  status: number;
}

export interface FakeOpenAI {
  /** Base URL (ending in /v1) to use as DOCUMENT_SUMMARY_API_URL. */
  url: string;
  /** The API key it accepts as `Authorization: Bearer`. */
  apiKey: string;
  calls: ChatCall[];
  /** What the assistant answers, from the request (default: a fixed summary naming the model). */
  reply: (req: ChatRequest) => string;
  /** The next `n` requests answer `status` with an OpenAI error body. */
  failNext(n: number, status: number): void;
  /** The next `n` requests answer only after `ms`. */
  delayNext(n: number, ms: number): void;
  close(): Promise<void>;
}

/**
 * A local server speaking OpenAI's `POST /v1/chat/completions` (the protocol every
 * OpenAI-compatible endpoint speaks): bearer key check (401 invalid_api_key), the request
 * validated as OpenAI does (model and messages required), a `chat.completion` answer with
 * usage. Every call is recorded.
 */
export async function startFakeOpenAI(apiKey = `sk-test-${randomUUID()}`): Promise<FakeOpenAI> {
  const calls: ChatCall[] = [];
  const failures: number[] = [];
  const delays: number[] = [];
  const fake: Omit<FakeOpenAI, 'url' | 'close'> = {
    apiKey,
    calls,
    reply: () => 'A recorded summary of the document.',
    failNext: (n, status) => failures.push(...new Array(n).fill(status)),
    delayNext: (n, ms) => delays.push(...new Array(n).fill(ms)),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, message: string, type: string, code: string | null) =>
        send(status, { error: { message, type, param: null, code } });
      let body: ChatRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
      } catch {
        body = { model: '', messages: [] };
      }
      // recorded on arrival; the status is filled in when it answers
      const call: ChatCall = { at: Date.now(), path: req.url ?? '', headers: req.headers, body, status: 0 };
      calls.push(call);
      const record = (status: number) => {
        call.status = status;
      };
      const delay = delays.shift();
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        record(404);
        return error(
          404,
          `Unknown request URL: ${req.method} ${req.url}`,
          'invalid_request_error',
          'unknown_url',
        );
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        record(401);
        return error(401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key');
      }
      const failure = failures.shift();
      if (failure) {
        record(failure);
        return error(failure, 'The server had an error while processing your request', 'server_error', null);
      }
      if (!body.model || !Array.isArray(body.messages) || !body.messages.length) {
        record(400);
        return error(400, "'model' and 'messages' are required", 'invalid_request_error', null);
      }
      record(200);
      const content = fake.reply(body);
      const prompt = body.messages.reduce((n, m) => n + String(m.content).length, 0);
      send(200, {
        id: `chatcmpl-${randomUUID()}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          { index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' },
        ],
        usage: {
          prompt_tokens: Math.ceil(prompt / 4),
          completion_tokens: Math.ceil(content.length / 4),
          total_tokens: Math.ceil(prompt / 4) + Math.ceil(content.length / 4),
        },
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return Object.assign(fake, {
    url,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  }) as FakeOpenAI;
}
