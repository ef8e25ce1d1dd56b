// The pack's zip, streamed: archiver writes entries one at a time into a Writable that
// feeds the S3 multipart writer (documents/storage.ts, ObjectWriter), so only one part
// (5 MiB) and zlib's window are ever held. Each entry's bytes are hashed on the way in.
import { createHash } from 'node:crypto';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import archiver from 'archiver';
import type { ObjectWriter } from '../documents/storage';

export interface ZipFile {
  path: string;
  sha256: string;
  size: number;
}

export class PackZip {
  readonly files: ZipFile[] = [];
  private readonly archive = archiver('zip', { zlib: { level: 6 }, forceZip64: false });
  private readonly sink: Promise<void>;
  private failure: Error | null = null;

  constructor(
    private readonly writer: ObjectWriter,
    private readonly date: Date,
  ) {
    const out = new Writable({
      highWaterMark: 1024 * 1024,
      write: (chunk: Buffer, _enc, cb) => {
        writer.write(chunk).then(() => cb(), cb);
      },
    });
    this.archive.on('warning', (err) => {
      this.failure ??= err;
    });
    this.sink = pipeline(this.archive, out);
    this.sink.catch((err: Error) => {
      this.failure ??= err;
    });
  }

  /** Adds one entry and waits until archiver has consumed it; returns its sha256 and size. */
  async add(path: string, source: Readable | Buffer | string): Promise<ZipFile> {
    if (this.failure) throw this.failure;
    const hash = createHash('sha256');
    let size = 0;
    const input = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    const stream = Buffer.isBuffer(input) ? Readable.from([input]) : input;
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        this.archive.off('entry', onEntry);
        this.archive.off('error', onError);
      };
      const onEntry = (e: archiver.EntryData) => {
        if (e.name !== path) return;
        cleanup();
        resolve();
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      this.archive.on('entry', onEntry);
      this.archive.on('error', onError);
      // A failing source fails this entry (and the pack); the hasher's own error is that same one.
      hasher.on('error', () => undefined);
      stream.on('error', (err) => {
        hasher.destroy(err);
        onError(err);
      });
      stream.pipe(hasher);
      this.archive.append(hasher, { name: path, date: this.date });
    });
    const file = { path, sha256: hash.digest('hex'), size };
    this.files.push(file);
    return file;
  }

  /** Writes the central directory and completes the S3 upload. */
  async finish(): Promise<{ sha256: string; size: number }> {
    if (this.failure) throw this.failure;
    await this.archive.finalize();
    await this.sink;
    if (this.failure) throw this.failure;
    const done = await this.writer.finish();
    return { sha256: done.sha256, size: done.size };
  }

  /** Stops the archive and discards the multipart upload in progress. */
  async abort(): Promise<void> {
    this.archive.abort();
    await this.writer.abort();
  }
}
