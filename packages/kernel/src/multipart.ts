// multipart/form-data for the upload routes, read with busboy: the one file part is
// handed to a consumer as a stream (the body is read at the consumer's pace, never held
// whole), text parts are collected under small limits, and every failure is a
// problem+json error naming the part.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { AppError, BadRequest } from '@vigil/kernel/errors';
import busboy from 'busboy';

export interface FilePart {
  /** From filename* or filename, without any directory part; null when the part has neither. */
  filename: string | null;
  /** The part's media type without parameters; text/plain when it declares none (RFC 7578). */
  mimeType: string;
  stream: Readable;
}

export interface MultipartOptions {
  /** The name of the file part. */
  field: string;
  /** The largest file accepted; one byte more fails with `tooLarge()`. */
  maxFileBytes: number;
  tooLarge: () => AppError;
  /** The most bytes the whole body may have, parts that are skipped included; past it, tooLarge(). */
  maxBodyBytes?: number;
  /**
   * 'collect': text parts are returned (at most 20, 8 KiB each, each name once) and any
   * other file part is refused. 'ignore': every part but the first file part is skipped.
   */
  otherParts: 'collect' | 'ignore';
  /** Reads the file stream to its end; `fields` holds the text parts seen before it. */
  onFile: (file: FilePart, fields: Readonly<Record<string, string>>) => Promise<void>;
}

export interface MultipartForm {
  fields: Record<string, string>;
}

const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 8 * 1024;

const bad = (field: string, message: string) => new BadRequest(message, [{ field, message }]);

/** The media type of the request, lowercased, without parameters. */
export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Reads the multipart/form-data body of `req`. Resolves once the body has ended and
 * onFile has finished. Rejects with 415 for another media type; with 400 naming the file
 * part for a missing boundary, a malformed body or a client that hung up; with 400 naming
 * `body.<name>` for a text part that is too large, repeated or unexpected; with
 * `tooLarge()` past maxFileBytes; or with what onFile threw. On failure the rest of the
 * request is not read (the answer then closes the connection), and onFile has settled
 * before the promise rejects.
 */
export function readMultipart(
  req: IncomingMessage,
  res: ServerResponse,
  opts: MultipartOptions,
): Promise<MultipartForm> {
  if (mediaTypeOf(req) !== 'multipart/form-data') {
    const message = `Send the file as multipart/form-data in a \`${opts.field}\` part`;
    return Promise.reject(
      new AppError(415, 'Unsupported Media Type', message, [{ field: opts.field, message }]),
    );
  }
  const collect = opts.otherParts === 'collect';
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: {
        // busboy signals 'limit' on reaching fileSize, so one byte over the largest accepted
        fileSize: opts.maxFileBytes + 1,
        fields: collect ? MAX_FIELDS : 0,
        fieldSize: MAX_FIELD_BYTES,
      },
    });
  } catch {
    return Promise.reject(bad(opts.field, 'multipart/form-data needs a valid boundary parameter'));
  }

  return new Promise<MultipartForm>((resolve, reject) => {
    const fields: Record<string, string> = Object.create(null);
    let file: Promise<void> | null = null;
    let settled = false;
    const fileDone = () => (file ?? Promise.resolve()).catch(() => undefined);

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      // the unread rest of the body would be taken for the next request on this connection
      if (!req.complete && !res.headersSent) res.setHeader('Connection', 'close');
      // Stop reading (the rest of the body stays unread; destroying the request would
      // close the socket before the answer) and end the file stream with `err`.
      // Deferred, as busboy may be inside its own event that called this.
      process.nextTick(() => {
        req.unpipe(bb);
        req.pause();
        bb.destroy(err as Error);
        void fileDone().then(() => reject(err));
      });
    };
    const malformed = (err: Error) => bad(opts.field, `Malformed multipart body: ${err.message}`);
    const other = (name: string | undefined) => (name ? `body.${name}` : 'body');

    bb.on('file', (name: string | undefined, stream: Readable, info: busboy.FileInfo) => {
      if (name !== opts.field || file) {
        stream.on('error', () => undefined); // skipped: a failure may still end it with an error
        if (!collect) stream.resume();
        else if (name === opts.field) fail(bad(opts.field, `Only one \`${opts.field}\` part is accepted`));
        else fail(bad(other(name), `Only \`${opts.field}\` may be a file`));
        return;
      }
      stream.on('error', (err) => fail(malformed(err)));
      stream.on('limit', () => fail(opts.tooLarge()));
      file = opts.onFile({ filename: info.filename ?? null, mimeType: info.mimeType, stream }, { ...fields });
      file.catch(fail);
    });
    bb.on('field', (name: string | undefined, value: string, info: busboy.FieldInfo) => {
      if (!name) fail(bad('body', 'A part has no name'));
      else if (info.valueTruncated) fail(bad(other(name), `At most ${MAX_FIELD_BYTES} bytes`));
      else if (Object.hasOwn(fields, name)) fail(bad(other(name), 'Given twice'));
      else fields[name] = value;
    });
    bb.on('fieldsLimit', () => {
      if (collect) fail(bad('body', `At most ${MAX_FIELDS} text parts`));
    });
    bb.on('error', (err: Error) => fail(err instanceof AppError ? err : malformed(err)));
    bb.on('finish', () => {
      void fileDone().then(() => {
        if (settled) return;
        settled = true;
        resolve({ fields });
      });
    });

    const interrupted = () => bad(opts.field, 'The upload was interrupted');
    req.on('error', () => fail(interrupted()));
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
      if (bodyBytes > (opts.maxBodyBytes ?? Number.POSITIVE_INFINITY)) fail(opts.tooLarge());
    });
    req.on('close', () => {
      if (!req.complete) fail(interrupted());
    });
    req.pipe(bb);
  });
}
