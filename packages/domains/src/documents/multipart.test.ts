import fc from 'fast-check';
import { boundaryOf, MultipartError, type MultipartEvent, MultipartParser } from './multipart';

interface Part {
  name: string;
  value: Buffer;
  filename?: string;
  contentType?: string;
}

function encode(boundary: string, parts: Part[], preamble = ''): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble)];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += '\r\n';
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), p.value, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** Feeds `body` in pieces cut at `cuts`, and folds the events into fields and one file. */
function parse(boundary: string, body: Buffer, cuts: number[] = []) {
  const parser = new MultipartParser(boundary, 'file');
  const events: MultipartEvent[] = [];
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const end = Math.min(Math.max(c, at), body.length);
    events.push(...parser.push(body.subarray(at, end)));
    at = end;
  }
  events.push(...parser.push(body.subarray(at)));
  events.push(...parser.end());
  const fields: Record<string, string> = {};
  let file: { filename: string | null; contentType: string | null; data: Buffer } | null = null;
  const chunks: Buffer[] = [];
  for (const e of events) {
    if (e.type === 'field') fields[e.name] = e.value;
    if (e.type === 'file') file = { filename: e.filename, contentType: e.contentType, data: Buffer.alloc(0) };
    if (e.type === 'data') chunks.push(e.data);
    if (e.type === 'file-end' && file) file.data = Buffer.concat(chunks);
  }
  return { fields, file };
}

describe('multipart/form-data streaming reader', () => {
  const B = '----vigil7MA4YWxkTrZu0gW';

  it('reads text fields and streams the file part', () => {
    const body = encode(B, [
      { name: 'title', value: Buffer.from('Access review Q3') },
      {
        name: 'file',
        value: Buffer.from('%PDF-1.7 bytes'),
        filename: 'review.pdf',
        contentType: 'application/pdf',
      },
      { name: 'tags', value: Buffer.from('soc2,q3') },
    ]);
    expect(parse(B, body)).toEqual({
      fields: { title: 'Access review Q3', tags: 'soc2,q3' },
      file: { filename: 'review.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.7 bytes') },
    });
  });

  it('prefers filename* (RFC 5987) and ignores a preamble', () => {
    const raw =
      `preamble text\r\n--${B}\r\n` +
      `Content-Disposition: form-data; name="file"; filename="x.pdf"; filename*=UTF-8''%C3%9Cbersicht.pdf\r\n\r\n` +
      `abc\r\n--${B}--`;
    expect(parse(B, Buffer.from(raw)).file).toEqual({
      filename: 'Übersicht.pdf',
      contentType: null,
      data: Buffer.from('abc'),
    });
  });

  it('refuses a truncated body, a second file, bad headers and oversized fields', () => {
    const ok = encode(B, [{ name: 'file', value: Buffer.from('abc'), filename: 'a.txt' }]);
    expect(() => parse(B, ok.subarray(0, ok.length - 8))).toThrow(MultipartError);
    const two = encode(B, [
      { name: 'file', value: Buffer.from('a'), filename: 'a' },
      { name: 'file', value: Buffer.from('b'), filename: 'b' },
    ]);
    expect(() => parse(B, two)).toThrow('Only one `file` part');
    expect(() => parse(B, Buffer.from(`--${B}\r\nNo-Colon\r\n\r\nx\r\n--${B}--`))).toThrow(MultipartError);
    expect(() =>
      parse(B, Buffer.from(`--${B}\r\nContent-Disposition: attachment\r\n\r\nx\r\n--${B}--`)),
    ).toThrow('form-data');
    const big = encode(B, [{ name: 'note', value: Buffer.alloc(9000, 97) }]);
    expect(() => parse(B, big)).toThrow('too large');
  });

  it('extracts the boundary from the Content-Type', () => {
    expect(boundaryOf(`multipart/form-data; boundary=${B}`)).toBe(B);
    expect(boundaryOf('multipart/form-data; boundary="a b:c"')).toBe('a b:c');
    expect(boundaryOf('multipart/form-data')).toBeNull();
    expect(boundaryOf('application/json; boundary=x')).toBeNull();
    expect(boundaryOf(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeNull();
  });

  it('property: however the body is cut into chunks, the same fields and file come out', () => {
    const boundary = fc.stringMatching(/^[0-9A-Za-z'()+_,\-.]{1,40}$/);
    const bytes = fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a));
    const fieldName = fc.stringMatching(/^[a-z_]{1,12}$/).filter((n) => n !== 'file');
    fc.assert(
      fc.property(
        boundary,
        fc.uniqueArray(fc.tuple(fieldName, fc.string({ maxLength: 200 })), {
          selector: (t) => t[0],
          maxLength: 5,
        }),
        bytes,
        fc.array(fc.nat({ max: 4000 }), { maxLength: 30 }),
        (b, fields, data, cuts) => {
          const delimiter = Buffer.from(`\r\n--${b}`);
          // a boundary never occurs inside the content it delimits (the sender chooses it so)
          fc.pre(!Buffer.concat([Buffer.from('\r\n'), data, Buffer.from('\r\n')]).includes(delimiter));
          fc.pre(fields.every(([, v]) => !`\r\n${v}\r\n`.includes(`\r\n--${b}`)));
          const parts: Part[] = [
            ...fields.map(([name, v]) => ({ name, value: Buffer.from(v) })),
            { name: 'file', value: data, filename: 'f.bin', contentType: 'application/octet-stream' },
          ];
          const body = encode(b, parts);
          const got = parse(b, body, cuts);
          expect(got.fields).toEqual(Object.fromEntries(fields));
          expect(got.file?.data.equals(data)).toBe(true);
        },
      ),
    );
  });

  it('property: arbitrary bytes either parse or raise MultipartError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 500 }),
        fc.array(fc.nat({ max: 600 }), { maxLength: 10 }),
        (raw, cuts) => {
          try {
            parse('xyz', Buffer.concat([Buffer.from('--xyz\r\n'), Buffer.from(raw)]), cuts);
          } catch (err) {
            expect(err).toBeInstanceOf(MultipartError);
          }
        },
      ),
    );
  });
});
