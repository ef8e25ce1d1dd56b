import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

/**
 * Only for the faults the run's real S3 server (versitygw, started by the global setup)
 * cannot produce on demand: presigned-URL expiry (`advanceClock`) and injected 5xx answers
 * (`failNext`); see test/documents/storage-faults.int.test.ts. Every other storage test
 * uses the real server.
 *
 * A local server speaking the S3 REST protocol the AWS SDK uses, path-style
 * (`/<bucket>/<key>`): PutObject, GetObject, HeadObject, DeleteObject and multipart
 * uploads (create, upload part, complete, abort). Like S3 it verifies SigV4 (header
 * and presigned query), presigned expiry, the payload hash, Content-MD5 and
 * x-amz-checksum-* (header or hoisted into the query), and stores x-amz-meta-*.
 * Bodies live in memory; every call is recorded.
 */

export interface FakeS3Object {
  body: Buffer;
  contentType: string;
  etag: string;
  metadata: Record<string, string>;
  /** base64 SHA-256 checksum S3 would return with checksum mode ENABLED (composite ends in -N) */
  checksumSha256: string | null;
  checksumType: 'FULL_OBJECT' | 'COMPOSITE' | null;
  lastModified: Date;
}

export interface S3Call {
  at: number;
  op: string;
  method: string;
  key: string;
  /** 'header' (Authorization), 'query' (presigned URL) or 'none' */
  auth: 'header' | 'query' | 'none';
  headers: IncomingHttpHeaders;
  query: Record<string, string>;
  status: number;
  errorCode: string | null;
}

export interface FakeS3 {
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** S3_* variables pointing Vigil at this server (pass to startHarness({ env })). */
  env: Record<string, string>;
  objects: Map<string, FakeS3Object>;
  calls: S3Call[];
  /** The next `n` requests answer `status` with an InternalError/SlowDown body. */
  failNext(n: number, status?: number): void;
  /** Moves the fake's clock (for presigned-URL expiry). */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

const MIN_PART = 5 * 1024 * 1024;
const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding, as SigV4 canonicalizes query strings. */
const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlUnescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function parseQuery(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? '' : pair.slice(eq + 1);
    return [decodeURIComponent(k), decodeURIComponent(v)];
  });
}

function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

export async function startFakeS3(
  opts: { bucket?: string; region?: string; accessKeyId?: string; secretAccessKey?: string } = {},
): Promise<FakeS3> {
  const bucket = opts.bucket ?? 'vigil-test';
  const region = opts.region ?? 'us-east-1';
  const accessKeyId = opts.accessKeyId ?? 'FAKEACCESSKEY';
  const secretAccessKey = opts.secretAccessKey ?? 'fake-secret-access-key';
  const objects = new Map<string, FakeS3Object>();
  const uploads = new Map<
    string,
    {
      key: string;
      contentType: string;
      metadata: Record<string, string>;
      checksum: string | null;
      parts: Map<number, { body: Buffer; etag: string; checksum: string | null }>;
    }
  >();
  const calls: S3Call[] = [];
  const failures: number[] = [];
  let clockOffset = 0;

  /** Verifies SigV4 (Authorization header or presigned query) like S3; returns how the request was signed. */
  function verify(req: IncomingMessage, rawPath: string, query: Array<[string, string]>, body: Buffer) {
    const q = new Map(query);
    const header = req.headers.authorization;
    let credential: string;
    let signedHeaders: string[];
    let signature: string;
    let amzDate: string;
    let payloadHash: string;
    let mode: 'header' | 'query';
    if (header) {
      mode = 'header';
      const m =
        /^AWS4-HMAC-SHA256 Credential=([^,]+),\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(
          header,
        );
      if (!m) throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed');
      [credential, signedHeaders, signature] = [m[1]!, m[2]!.split(';'), m[3]!];
      amzDate = String(req.headers['x-amz-date'] ?? '');
      payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
      if (!payloadHash)
        throw new S3Error(400, 'InvalidRequest', 'Missing required header x-amz-content-sha256');
      if (payloadHash.startsWith('STREAMING-')) {
        throw new S3Error(501, 'NotImplemented', 'aws-chunked uploads are not supported by this fake');
      }
      if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256hex(body)) {
        throw new S3Error(
          400,
          'XAmzContentSHA256Mismatch',
          'The provided x-amz-content-sha256 does not match',
        );
      }
      const skew = Math.abs(parseAmzDate(amzDate) - (Date.now() + clockOffset));
      if (!(skew <= 15 * 60 * 1000))
        throw new S3Error(403, 'RequestTimeTooSkewed', 'The request time is too skewed');
    } else if (q.has('X-Amz-Signature')) {
      mode = 'query';
      if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
        throw new S3Error(400, 'AuthorizationQueryParametersError', 'Unsupported X-Amz-Algorithm');
      }
      credential = q.get('X-Amz-Credential') ?? '';
      signedHeaders = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
      signature = q.get('X-Amz-Signature') ?? '';
      amzDate = q.get('X-Amz-Date') ?? '';
      payloadHash = q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
      const expires = Number(q.get('X-Amz-Expires'));
      if (!Number.isInteger(expires) || expires < 1 || expires > 604800) {
        throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be 1..604800');
      }
      if (parseAmzDate(amzDate) + expires * 1000 < Date.now() + clockOffset) {
        throw new S3Error(403, 'AccessDenied', 'Request has expired');
      }
    } else {
      throw new S3Error(403, 'AccessDenied', 'Anonymous access is not allowed');
    }
    const [akid, date, credRegion, service, term] = credential.split('/');
    if (akid !== accessKeyId) throw new S3Error(403, 'InvalidAccessKeyId', 'Unknown access key');
    if (
      credRegion !== region ||
      service !== 's3' ||
      term !== 'aws4_request' ||
      !amzDate.startsWith(date ?? '-')
    ) {
      throw new S3Error(400, 'AuthorizationHeaderMalformed', 'Bad credential scope');
    }
    if (!signedHeaders.includes('host')) throw new S3Error(403, 'AccessDenied', 'host must be signed');
    const canonicalQuery = query
      .filter(([k]) => k !== 'X-Amz-Signature')
      .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalHeaders = signedHeaders
      .map((h) => {
        const v = req.headers[h];
        if (v === undefined) throw new S3Error(403, 'SignatureDoesNotMatch', `Signed header ${h} is missing`);
        return `${h}:${String(v).trim().replace(/\s+/g, ' ')}\n`;
      })
      .join('');
    const canonicalRequest = [
      req.method,
      rawPath,
      canonicalQuery,
      canonicalHeaders,
      signedHeaders.join(';'),
      payloadHash,
    ].join('\n');
    const scope = `${date}/${region}/s3/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date ?? ''), region), 's3'), 'aws4_request');
    const expected = hmac(key, toSign);
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match');
    }
    return mode;
  }

  /** x-amz-* values may come as headers or (presigned) hoisted into the query. */
  const amz = (req: IncomingMessage, q: Map<string, string>, name: string) =>
    (req.headers[name] as string | undefined) ?? q.get(name) ?? q.get(name.replace(/^x-amz-/, 'X-Amz-'));

  function checkIntegrity(req: IncomingMessage, q: Map<string, string>, body: Buffer): string | null {
    const md5 = req.headers['content-md5'];
    if (md5 && createHash('md5').update(body).digest('base64') !== md5) {
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received');
    }
    const sha = amz(req, q, 'x-amz-checksum-sha256');
    const actual = createHash('sha256').update(body).digest('base64');
    if (sha && sha !== actual) {
      throw new S3Error(400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum');
    }
    const crc = amz(req, q, 'x-amz-checksum-crc32');
    if (crc) {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc32(body) >>> 0);
      if (b.toString('base64') !== crc) {
        throw new S3Error(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum');
      }
    }
    return sha ? actual : null;
  }

  function metadataOf(req: IncomingMessage, q: Map<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (k.startsWith('x-amz-meta-')) out[k.slice(11)] = String(v);
    }
    for (const [k, v] of q) if (k.toLowerCase().startsWith('x-amz-meta-')) out[k.toLowerCase().slice(11)] = v;
    return out;
  }

  function objectHeaders(o: FakeS3Object, withChecksum: boolean): Record<string, string> {
    const h: Record<string, string> = {
      'content-type': o.contentType,
      'content-length': String(o.body.length),
      etag: o.etag,
      'last-modified': o.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
    };
    for (const [k, v] of Object.entries(o.metadata)) h[`x-amz-meta-${k}`] = v;
    if (withChecksum && o.checksumSha256) {
      h['x-amz-checksum-sha256'] = o.checksumSha256;
      if (o.checksumType) h['x-amz-checksum-type'] = o.checksumType;
    }
    return h;
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer, call: S3Call): void {
    const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2) as [string, string?];
    const query = parseQuery(rawQuery);
    const q = new Map(query);
    call.query = Object.fromEntries(query);
    const path = decodeURIComponent(rawPath);
    const slash = path.indexOf('/', 1);
    const bucketName = slash < 0 ? path.slice(1) : path.slice(1, slash);
    const key = slash < 0 ? '' : path.slice(slash + 1);
    call.key = key;
    const m = req.method ?? 'GET';
    call.op =
      m === 'PUT' && q.has('uploadId')
        ? 'UploadPart'
        : m === 'PUT'
          ? 'PutObject'
          : m === 'POST' && q.has('uploads')
            ? 'CreateMultipartUpload'
            : m === 'POST' && q.has('uploadId')
              ? 'CompleteMultipartUpload'
              : m === 'DELETE' && q.has('uploadId')
                ? 'AbortMultipartUpload'
                : m === 'DELETE'
                  ? 'DeleteObject'
                  : m === 'HEAD'
                    ? 'HeadObject'
                    : m === 'GET'
                      ? 'GetObject'
                      : m;
    call.auth = verify(req, rawPath, query, body);
    const failing = failures.shift();
    if (failing)
      throw new S3Error(failing, failing === 503 ? 'SlowDown' : 'InternalError', 'Injected failure');
    if (bucketName !== bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (!key) throw new S3Error(400, 'InvalidRequest', 'A key is required');
    const checksumMode = amz(req, q, 'x-amz-checksum-mode') === 'ENABLED';

    switch (call.op) {
      case 'PutObject': {
        const checksum = checkIntegrity(req, q, body);
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        objects.set(key, {
          body,
          contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
          etag,
          metadata: metadataOf(req, q),
          checksumSha256: checksum,
          checksumType: checksum ? 'FULL_OBJECT' : null,
          lastModified: new Date(),
        });
        res.writeHead(200, { etag, ...(checksum ? { 'x-amz-checksum-sha256': checksum } : {}) }).end();
        return;
      }
      case 'HeadObject':
      case 'GetObject': {
        const o = objects.get(key);
        if (!o)
          throw new S3Error(
            404,
            m === 'HEAD' ? 'NotFound' : 'NoSuchKey',
            'The specified key does not exist.',
          );
        const h = objectHeaders(o, checksumMode);
        const disposition = q.get('response-content-disposition');
        if (disposition) h['content-disposition'] = disposition;
        const type = q.get('response-content-type');
        if (type) h['content-type'] = type;
        res.writeHead(200, h);
        res.end(m === 'HEAD' ? undefined : o.body);
        return;
      }
      case 'DeleteObject':
        objects.delete(key);
        res.writeHead(204).end();
        return;
      case 'CreateMultipartUpload': {
        const uploadId = randomUUID();
        const algorithm = amz(req, q, 'x-amz-checksum-algorithm');
        uploads.set(uploadId, {
          key,
          contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
          metadata: metadataOf(req, q),
          checksum: algorithm ?? null,
          parts: new Map(),
        });
        res.writeHead(200, {
          'content-type': 'application/xml',
          ...(algorithm ? { 'x-amz-checksum-algorithm': algorithm } : {}),
        });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
        );
        return;
      }
      case 'UploadPart': {
        const up = uploads.get(q.get('uploadId') ?? '');
        if (!up || up.key !== key)
          throw new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist');
        const n = Number(q.get('partNumber'));
        if (!Number.isInteger(n) || n < 1 || n > 10000)
          throw new S3Error(400, 'InvalidArgument', 'Bad partNumber');
        const checksum = checkIntegrity(req, q, body);
        if (up.checksum === 'SHA256' && !checksum) {
          throw new S3Error(
            400,
            'InvalidRequest',
            'Parts of a SHA256 multipart upload need x-amz-checksum-sha256',
          );
        }
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        up.parts.set(n, { body, etag, checksum });
        res.writeHead(200, { etag, ...(checksum ? { 'x-amz-checksum-sha256': checksum } : {}) }).end();
        return;
      }
      case 'CompleteMultipartUpload': {
        const uploadId = q.get('uploadId') ?? '';
        const up = uploads.get(uploadId);
        if (!up || up.key !== key)
          throw new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist');
        const listed = [...body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((p) => ({
          n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(p[1] ?? '')?.[1]),
          etag: xmlUnescape(/<ETag>([\s\S]*?)<\/ETag>/.exec(p[1] ?? '')?.[1] ?? ''),
          checksum: /<ChecksumSHA256>([\s\S]*?)<\/ChecksumSHA256>/.exec(p[1] ?? '')?.[1] ?? null,
        }));
        if (!listed.length) throw new S3Error(400, 'MalformedXML', 'No parts listed');
        const chosen = listed.map((p, i) => {
          const part = up.parts.get(p.n);
          if (!part || part.etag !== p.etag) throw new S3Error(400, 'InvalidPart', `Part ${p.n} not found`);
          if (i > 0 && p.n <= (listed[i - 1]?.n ?? 0))
            throw new S3Error(400, 'InvalidPartOrder', 'Parts must ascend');
          if (i < listed.length - 1 && part.body.length < MIN_PART) {
            throw new S3Error(
              400,
              'EntityTooSmall',
              'Your proposed upload is smaller than the minimum allowed',
            );
          }
          if (up.checksum === 'SHA256' && p.checksum !== part.checksum) {
            throw new S3Error(400, 'InvalidPart', `Part ${p.n} checksum does not match`);
          }
          return part;
        });
        const all = Buffer.concat(chosen.map((p) => p.body));
        const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.etag.replace(/"/g, ''), 'hex')));
        const etag = `"${createHash('md5').update(md5s).digest('hex')}-${chosen.length}"`;
        const composite =
          up.checksum === 'SHA256'
            ? `${createHash('sha256')
                .update(Buffer.concat(chosen.map((p) => Buffer.from(p.checksum ?? '', 'base64'))))
                .digest('base64')}-${chosen.length}`
            : null;
        objects.set(key, {
          body: all,
          contentType: up.contentType,
          etag,
          metadata: up.metadata,
          checksumSha256: composite,
          checksumType: composite ? 'COMPOSITE' : null,
          lastModified: new Date(),
        });
        uploads.delete(uploadId);
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${bucket}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(etag)}</ETag>${composite ? `<ChecksumSHA256>${composite}</ChecksumSHA256><ChecksumType>COMPOSITE</ChecksumType>` : ''}</CompleteMultipartUploadResult>`,
        );
        return;
      }
      case 'AbortMultipartUpload':
        uploads.delete(q.get('uploadId') ?? '');
        res.writeHead(204).end();
        return;
      default:
        throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed');
    }
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call: S3Call = {
        at: Date.now(),
        op: req.method ?? '?',
        method: req.method ?? '?',
        key: '',
        auth: 'none',
        headers: req.headers,
        query: {},
        status: 0,
        errorCode: null,
      };
      calls.push(call);
      try {
        handle(req, res, Buffer.concat(chunks), call);
        call.status = res.statusCode;
      } catch (err) {
        const e = err instanceof S3Error ? err : new S3Error(500, 'InternalError', String(err));
        call.status = e.status;
        call.errorCode = e.code;
        res.writeHead(e.status, { 'content-type': 'application/xml' });
        res.end(
          req.method === 'HEAD'
            ? undefined
            : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message><Key>${xmlEscape(call.key)}</Key><RequestId>${randomUUID()}</RequestId></Error>`,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    env: {
      S3_BUCKET: bucket,
      S3_REGION: region,
      S3_ENDPOINT: url,
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
    },
    objects,
    calls,
    failNext(n, status = 503) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    advanceClock(ms) {
      clockOffset += ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
