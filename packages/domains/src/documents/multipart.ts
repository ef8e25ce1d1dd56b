// A streaming multipart/form-data reader (RFC 7578): chunks in, events out, with
// bounded memory whatever the file size. Pure: no I/O, tested with arbitrary chunking.

export type MultipartEvent =
  | { type: 'field'; name: string; value: string }
  | { type: 'file'; name: string; filename: string | null; contentType: string | null }
  | { type: 'data'; data: Buffer }
  | { type: 'file-end' };

export class MultipartError extends Error {}

export interface MultipartLimits {
  /** Header block of one part. */
  maxHeaderBytes: number;
  /** Value of one text field. */
  maxFieldBytes: number;
  /** Parts that are not the file. */
  maxFields: number;
}

export const DEFAULT_LIMITS: MultipartLimits = {
  maxHeaderBytes: 8 * 1024,
  maxFieldBytes: 8 * 1024,
  maxFields: 20,
};

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary parameter of a multipart/form-data Content-Type, or null. */
export function boundaryOf(contentType: string): string | null {
  const [type, ...params] = splitParams(contentType);
  if (type?.toLowerCase() !== 'multipart/form-data') return null;
  const b = params.find((p) => p.name === 'boundary')?.value;
  return b && b.length <= 70 && /^[0-9A-Za-z'()+_,\-./:=? ]*[0-9A-Za-z'()+_,\-./:=?]$/.test(b) ? b : null;
}

interface Param {
  name: string;
  value: string;
}

/** `type; a=b; c="d;e"` into ['type', {a,b}, {c,'d;e'}] with quoted strings unescaped. */
function splitParams(header: string): [string | undefined, ...Param[]] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i] as string;
    if (quoted && c === '\\' && i + 1 < header.length) {
      cur += c + header[++i];
    } else if (c === '"') {
      quoted = !quoted;
      cur += c;
    } else if (c === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  const [first, ...rest] = out.map((s) => s.trim());
  const params = rest.filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    let value = eq < 0 ? '' : p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    return { name, value };
  });
  return [first, ...params];
}

function decodeExtValue(v: string): string | null {
  // RFC 5987: charset'lang'percent-encoded
  const m = /^([\w-]+)'[^']*'(.*)$/.exec(v);
  if (!m?.[2] || m[1]?.toLowerCase() !== 'utf-8') return null;
  try {
    return decodeURIComponent(m[2]);
  } catch {
    return null;
  }
}

type State = 'preamble' | 'boundary-line' | 'headers' | 'body' | 'done';

/**
 * Feed chunks with push() and call end() once; each returns the events it completed.
 * The part named `fileField` is streamed as `file`, `data`..., `file-end`; other parts
 * are text fields. A second file part, oversized headers or fields, a malformed part or
 * a missing closing boundary throw MultipartError.
 */
export class MultipartParser {
  private buf: Buffer;
  private state: State = 'preamble';
  private readonly delimiter: Buffer;
  private part: { kind: 'file' } | { kind: 'field'; name: string; chunks: Buffer[]; size: number } | null =
    null;
  private fields = 0;
  private sawFile = false;

  constructor(
    boundary: string,
    private readonly fileField: string,
    private readonly limits: MultipartLimits = DEFAULT_LIMITS,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
    // The first boundary may start the body without a preceding CRLF.
    this.buf = Buffer.from(CRLF);
  }

  push(chunk: Buffer): MultipartEvent[] {
    if (this.state === 'done') return [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const events: MultipartEvent[] = [];
    while (this.step(events)) {
      // keep stepping while progress is made
    }
    return events;
  }

  end(): MultipartEvent[] {
    const events = this.push(Buffer.alloc(0));
    if (this.state !== 'done')
      throw new MultipartError('The multipart body ends before its closing boundary');
    return events;
  }

  get fileSeen(): boolean {
    return this.sawFile;
  }

  /** One transition; false when more input is needed. */
  private step(events: MultipartEvent[]): boolean {
    switch (this.state) {
      case 'preamble': {
        const i = this.buf.indexOf(this.delimiter);
        if (i < 0) {
          // keep only what could be the start of the delimiter
          const keep = Math.min(this.buf.length, this.delimiter.length - 1);
          this.buf = this.buf.subarray(this.buf.length - keep);
          return false;
        }
        this.buf = this.buf.subarray(i + this.delimiter.length);
        this.state = 'boundary-line';
        return true;
      }
      case 'boundary-line': {
        if (this.buf.length < 2) return false;
        if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
          this.state = 'done';
          this.buf = Buffer.alloc(0);
          return false;
        }
        const eol = this.buf.indexOf(CRLF);
        if (eol < 0) {
          if (this.buf.length > 256) throw new MultipartError('Malformed boundary line');
          return false;
        }
        if (!/^[ \t]*$/.test(this.buf.subarray(0, eol).toString('latin1'))) {
          throw new MultipartError('Malformed boundary line');
        }
        this.buf = this.buf.subarray(eol + 2);
        this.state = 'headers';
        return true;
      }
      case 'headers': {
        let headerBlock: string;
        if (this.buf.length >= 2 && this.buf[0] === 0x0d && this.buf[1] === 0x0a) {
          headerBlock = '';
          this.buf = this.buf.subarray(2);
        } else {
          const end = this.buf.indexOf(HEADER_END);
          if (end < 0) {
            if (this.buf.length > this.limits.maxHeaderBytes) {
              throw new MultipartError('A part header is too large');
            }
            return false;
          }
          if (end > this.limits.maxHeaderBytes) throw new MultipartError('A part header is too large');
          headerBlock = this.buf.subarray(0, end).toString('utf8');
          this.buf = this.buf.subarray(end + 4);
        }
        this.startPart(headerBlock, events);
        this.state = 'body';
        return true;
      }
      case 'body': {
        const i = this.buf.indexOf(this.delimiter);
        if (i < 0) {
          const safe = this.buf.length - (this.delimiter.length - 1);
          if (safe > 0) {
            this.emitData(this.buf.subarray(0, safe), events);
            this.buf = this.buf.subarray(safe);
          }
          return false;
        }
        if (i > 0) this.emitData(this.buf.subarray(0, i), events);
        this.buf = this.buf.subarray(i + this.delimiter.length);
        this.endPart(events);
        this.state = 'boundary-line';
        return true;
      }
      case 'done':
        return false;
    }
  }

  private startPart(headerBlock: string, events: MultipartEvent[]): void {
    const headers = new Map<string, string>();
    for (const line of headerBlock.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new MultipartError('Malformed part header');
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const [disposition, ...params] = splitParams(headers.get('content-disposition') ?? '');
    if (disposition?.toLowerCase() !== 'form-data') {
      throw new MultipartError('Each part needs Content-Disposition: form-data');
    }
    const name = params.find((p) => p.name === 'name')?.value;
    if (name === undefined) throw new MultipartError('A part has no name');
    const ext = params.find((p) => p.name === 'filename*')?.value;
    const plain = params.find((p) => p.name === 'filename')?.value;
    const filename = (ext ? decodeExtValue(ext) : null) ?? plain ?? null;
    if (name === this.fileField) {
      if (this.sawFile) throw new MultipartError(`Only one \`${this.fileField}\` part is accepted`);
      this.sawFile = true;
      this.part = { kind: 'file' };
      events.push({ type: 'file', name, filename, contentType: headers.get('content-type') ?? null });
      return;
    }
    if (++this.fields > this.limits.maxFields) throw new MultipartError('Too many form fields');
    this.part = { kind: 'field', name, chunks: [], size: 0 };
  }

  private emitData(data: Buffer, events: MultipartEvent[]): void {
    const part = this.part;
    if (!part) return;
    if (part.kind === 'file') {
      // a view, not a copy: buffers are never written after they are created
      events.push({ type: 'data', data });
      return;
    }
    part.size += data.length;
    if (part.size > this.limits.maxFieldBytes)
      throw new MultipartError(`The field \`${part.name}\` is too large`);
    part.chunks.push(data);
  }

  private endPart(events: MultipartEvent[]): void {
    const part = this.part;
    this.part = null;
    if (!part) return;
    if (part.kind === 'file') events.push({ type: 'file-end' });
    else events.push({ type: 'field', name: part.name, value: Buffer.concat(part.chunks).toString('utf8') });
  }
}
