// The busboy adapter both upload routes use (multipart.ts), on a
// real HTTP server: what reaches the file consumer and the text parts, and which problem
// each malformed, oversized or interrupted body becomes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@vigil/kernel/errors';
import fc from 'fast-check';
import { readMultipart } from './multipart';

const MAX = 64 * 1024;
const B = '----vigil7MA4YWxkTrZu0gW';

interface Part {
  name: string;
  value: Buffer | string;
  filename?: string;
  contentType?: string;
}

function encode(parts: Part[], boundary = B, preamble = ''): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble)];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

interface Outcome {
  status: number;
  fields?: Record<string, string>;
  file?: { filename: string | null; mimeType: string; data: string; fieldsBefore: string[] } | null;
  errors?: { field: string; message: string }[];
  detail?: string;
}

describe('multipart/form-data through busboy', () => {
  let server: http.Server;
  let url: string;
  // the outcome of each request as the server saw it, also when the client is gone
  const waiting: ((o: Outcome) => void)[] = [];
  const nextOutcome = () => new Promise<Outcome>((resolve) => waiting.push(resolve));
  // resolved when the server reads the first bytes of a file
  const reading: (() => void)[] = [];
  const fileReading = () => new Promise<void>((resolve) => reading.push(resolve));

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const mode = req.url ?? '/';
      let file: Outcome['file'] = null;
      readMultipart(req, res, {
        field: 'file',
        maxFileBytes: MAX,
        otherParts: mode === '/ignore' ? 'ignore' : 'collect',
        maxBodyBytes: mode === '/ignore' ? 4 * MAX : undefined,
        tooLarge: () => {
          res.setHeader('connection', 'close');
          return new AppError(413, 'Content Too Large', 'Too large', [
            { field: 'file', message: 'Too large' },
          ]);
        },
        onFile: async (f, before) => {
          const chunks: Buffer[] = [];
          for await (const chunk of f.stream) {
            reading.shift()?.();
            chunks.push(chunk as Buffer);
            if (mode === '/fail') throw new AppError(503, 'Service Unavailable', 'Storage is down');
          }
          const data = Buffer.concat(chunks).toString('base64');
          file = { filename: f.filename, mimeType: f.mimeType, data, fieldsBefore: Object.keys(before) };
        },
      }).then(
        ({ fields }) => answer({ status: 200, fields, file }),
        (err: AppError) => answer({ status: err.status ?? 500, detail: err.message, errors: err.errors }),
      );
      function answer(o: Outcome) {
        waiting.shift()?.(o);
        res.writeHead(o.status, { 'content-type': 'application/json' }).end(JSON.stringify(o));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** POSTs `body` in pieces cut at `cuts` (a streamed body, no Content-Length). */
  async function post(
    body: Buffer,
    opts: { path?: string; contentType?: string; cuts?: number[] } = {},
  ): Promise<Outcome & { connection: string | null }> {
    const pieces: Buffer[] = [];
    let at = 0;
    for (const c of [...(opts.cuts ?? [])].sort((a, b) => a - b)) {
      const end = Math.min(Math.max(c, at), body.length);
      pieces.push(body.subarray(at, end));
      at = end;
    }
    pieces.push(body.subarray(at));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = pieces.shift();
        if (next) controller.enqueue(new Uint8Array(next));
        else controller.close();
      },
    });
    const res = await fetch(`${url}${opts.path ?? '/'}`, {
      method: 'POST',
      headers: { 'content-type': opts.contentType ?? `multipart/form-data; boundary=${B}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    return { ...((await res.json()) as Outcome), connection: res.headers.get('connection') };
  }

  const data = (o: Outcome) => Buffer.from(o.file?.data ?? '', 'base64');
  const problem = (o: Outcome) => [o.status, o.errors?.[0]?.field];

  it('hands the file part over as a stream and collects the text parts around it', async () => {
    const body = encode([
      { name: 'title', value: 'Access review Q3' },
      { name: 'file', value: '%PDF-1.7 bytes', filename: 'review.pdf', contentType: 'application/pdf' },
      { name: 'tags', value: 'soc2,q3' },
    ]);
    const got = await post(body);
    expect(got).toMatchObject({
      status: 200,
      fields: { title: 'Access review Q3', tags: 'soc2,q3' },
      file: { filename: 'review.pdf', mimeType: 'application/pdf', fieldsBefore: ['title'] },
    });
    expect(data(got).toString()).toBe('%PDF-1.7 bytes');
  });

  it('prefers filename* (RFC 5987), reads UTF-8 names, drops directories and ignores a preamble', async () => {
    const ext =
      `preamble text\r\n--${B}\r\n` +
      `Content-Disposition: form-data; name="file"; filename="x.pdf"; filename*=UTF-8''%C3%9Cbersicht.pdf\r\n\r\n` +
      `abc\r\n--${B}--\r\n`;
    const got = await post(Buffer.from(ext));
    expect(got.file).toMatchObject({ filename: 'Übersicht.pdf', mimeType: 'text/plain' });
    expect(data(got).toString()).toBe('abc');
    const raw = encode([{ name: 'file', value: 'x', filename: 'reports/Bericht für Q3.pdf' }]);
    expect((await post(raw)).file?.filename).toBe('Bericht für Q3.pdf');
  });

  it('refuses another media type with 415 and a multipart type without a boundary with 400', async () => {
    const body = encode([{ name: 'file', value: 'x', filename: 'x.txt' }]);
    expect(problem(await post(body, { contentType: 'application/json' }))).toEqual([415, 'file']);
    expect(problem(await post(body, { contentType: 'multipart/form-data' }))).toEqual([400, 'file']);
  });

  it('answers 400 naming the part for a malformed, repeated, unexpected or oversized part', async () => {
    const file: Part = { name: 'file', value: 'abc', filename: 'a.txt' };
    const ok = encode([file]);
    expect(problem(await post(ok.subarray(0, ok.length - 8)))).toEqual([400, 'file']);
    expect(problem(await post(encode([file, file])))).toEqual([400, 'file']);
    expect(problem(await post(Buffer.from(`--${B}\r\nNo-Colon\r\n\r\nx\r\n--${B}--\r\n`)))).toEqual([
      400,
      'file',
    ]);
    const other = { name: 'attachment', value: 'x', filename: 'b.txt' };
    expect(problem(await post(encode([file, other])))).toEqual([400, 'body.attachment']);
    const twice = encode([{ name: 'title', value: 'a' }, { name: 'title', value: 'b' }, file]);
    expect(problem(await post(twice))).toEqual([400, 'body.title']);
    const big = encode([{ name: 'note', value: Buffer.alloc(9000, 97) }, file]);
    expect(problem(await post(big))).toEqual([400, 'body.note']);
    const many = encode(Array.from({ length: 21 }, (_, i) => ({ name: `f${i}`, value: 'x' })));
    expect(problem(await post(many))).toEqual([400, 'body']);
  });

  it('takes a file of exactly maxFileBytes, and past it answers tooLarge without reading the rest', async () => {
    const exact = await post(encode([{ name: 'file', value: Buffer.alloc(MAX, 1), filename: 'a.bin' }]));
    expect([exact.status, data(exact).length]).toEqual([200, MAX]);
    const over = await post(encode([{ name: 'file', value: Buffer.alloc(MAX + 1, 1), filename: 'a.bin' }]));
    expect(problem(over)).toEqual([413, 'file']);
    // far past the limit, the answer comes without the body being read to its end
    const huge = encode([{ name: 'file', value: Buffer.alloc(200 * MAX, 1), filename: 'a.bin' }]);
    const cuts = Array.from({ length: 200 }, (_, i) => (i + 1) * MAX);
    const refused = await post(huge, { cuts });
    expect([refused.status, refused.connection]).toEqual([413, 'close']);
  });

  it("answers with onFile's failure once onFile has settled", async () => {
    const body = encode([{ name: 'file', value: Buffer.alloc(3 * MAX, 1), filename: 'a.bin' }]);
    const got = await post(body, { path: '/fail' });
    expect([got.status, got.detail, got.connection]).toEqual([503, 'Storage is down', 'close']);
  });

  it("in 'ignore' mode takes the first `file` part and skips every other part, up to maxBodyBytes", async () => {
    const body = encode([
      { name: 'note', value: 'hi' },
      { name: 'other', value: 'zz', filename: 'other.txt' },
      { name: 'file', value: 'first', filename: 'q.xlsx', contentType: 'application/octet-stream' },
      { name: 'file', value: 'second', filename: 'r.xlsx' },
    ]);
    const got = await post(body, { path: '/ignore' });
    expect(got).toMatchObject({ status: 200, fields: {}, file: { filename: 'q.xlsx', fieldsBefore: [] } });
    expect(data(got).toString()).toBe('first');
    const none = await post(encode([{ name: 'note', value: 'hi' }]), { path: '/ignore' });
    expect(none).toMatchObject({ status: 200, file: null });
    const padded = encode([
      { name: 'padding', value: Buffer.alloc(4 * MAX, 1), filename: 'pad.bin' },
      { name: 'file', value: 'x', filename: 'q.xlsx' },
    ]);
    expect(problem(await post(padded, { path: '/ignore' }))).toEqual([413, 'file']);
  });

  it('a client that hangs up mid-file ends the file stream and is answered as interrupted', async () => {
    const head = Buffer.from(
      `--${B}\r\nContent-Disposition: form-data; name="file"; filename="partial.bin"\r\n\r\n`,
    );
    let sent = false;
    const aborter = new AbortController();
    const outcome = nextOutcome();
    const started = fileReading();
    const pending = fetch(url, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${B}` },
      body: new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent) return new Promise<void>(() => undefined); // the rest never comes
          sent = true;
          controller.enqueue(new Uint8Array(Buffer.concat([head, Buffer.alloc(MAX / 2, 1)])));
        },
      }),
      duplex: 'half',
      signal: aborter.signal,
    } as RequestInit).catch((err: { name?: string }) => err.name);
    await started;
    aborter.abort();
    expect(await pending).toBe('AbortError');
    const got = await outcome;
    expect([got.status, got.errors?.[0]?.field, got.detail]).toEqual([
      400,
      'file',
      'The upload was interrupted',
    ]);
  });

  it('property: however the body is cut into chunks, the same fields and file come out', async () => {
    const fieldName = fc.stringMatching(/^[a-z_]{1,12}$/).filter((n) => n !== 'file');
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fieldName, fc.string({ maxLength: 200 })), {
          selector: (t) => t[0],
          maxLength: 5,
        }),
        fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
        fc.array(fc.nat({ max: 4000 }), { maxLength: 30 }),
        async (fields, bytes, cuts) => {
          // a boundary never occurs inside the content it delimits (the sender chooses it so)
          fc.pre(!Buffer.concat([Buffer.from('\r\n'), bytes]).includes(`\r\n--${B}`));
          const parts: Part[] = [
            ...fields.map(([name, value]) => ({ name, value })),
            { name: 'file', value: bytes, filename: 'f.bin', contentType: 'application/octet-stream' },
          ];
          const got = await post(encode(parts), { cuts });
          expect(got.fields).toEqual(Object.fromEntries(fields));
          expect(data(got).equals(bytes)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('property: arbitrary bytes are read or answered with 400, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 500 }),
        fc.array(fc.nat({ max: 600 }), { maxLength: 10 }),
        async (raw, cuts) => {
          const got = await post(Buffer.concat([Buffer.from(`--${B}\r\n`), Buffer.from(raw)]), { cuts });
          expect([200, 400]).toContain(got.status);
        },
      ),
      { numRuns: 60 },
    );
  });
});
