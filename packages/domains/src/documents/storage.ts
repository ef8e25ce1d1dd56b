// S3 access for documents: presigned PUT/GET URLs, HeadObject, hashing a stored
// object, and a streaming writer (one PutObject, or a multipart upload for large files).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '@vigil/kernel/config';
import { AppError, ServiceUnavailable } from '@vigil/kernel/errors';
import { attachmentDisposition, base64ToHex, hexToBase64, PRESIGN_TTL_SECONDS } from './rules';

/** S3's smallest part; every part but the last of a multipart upload has exactly this size. */
export const PART_SIZE = 5 * 1024 * 1024;

/** Object metadata Vigil writes (x-amz-meta-*) and checks when a key is registered. */
export interface ObjectMeta {
  workspaceId: string;
  uploadedBy: string;
  fileName: string;
}

const metaHeaders = (m: ObjectMeta) => ({
  'workspace-id': m.workspaceId,
  'uploaded-by': m.uploadedBy,
  // metadata travels as HTTP headers: ASCII only
  'file-name': encodeURIComponent(m.fileName),
});

export interface HeadResult {
  size: number;
  contentType: string | null;
  etag: string | null;
  /** hex sha256 when S3 holds a full-object SHA-256 checksum for the object */
  sha256: string | null;
  meta: Partial<ObjectMeta>;
}

const notConfigured = () =>
  new ServiceUnavailable(
    'Document storage is not configured: set S3_BUCKET (and S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY as needed)',
  );

/** SDK failures other than "no such object" mean storage is down or misconfigured: 503, never a 500. */
function unavailable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const name =
    err instanceof S3ServiceException ? `${err.name} (${err.$metadata.httpStatusCode ?? '?'})` : '';
  return new ServiceUnavailable(
    `Document storage is unavailable${name ? `: ${name}` : ''}; try again shortly`,
  );
}

const isMissing = (err: unknown) =>
  err instanceof S3ServiceException &&
  (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound' || err.name === 'NoSuchKey');

type StorageConfig = Pick<
  Config,
  'S3_REGION' | 'S3_ENDPOINT' | 'S3_PUBLIC_ENDPOINT' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY'
>;

export class DocumentStorage {
  readonly client: S3Client;
  /** Signs presigned URLs: for S3_PUBLIC_ENDPOINT when set (e.g. docker compose), else `client`. */
  private readonly presigner: S3Client;

  constructor(
    readonly bucket: string,
    config: StorageConfig,
  ) {
    this.client = DocumentStorage.clientFor(config, config.S3_ENDPOINT);
    this.presigner = config.S3_PUBLIC_ENDPOINT
      ? DocumentStorage.clientFor(config, config.S3_PUBLIC_ENDPOINT)
      : this.client;
  }

  private static clientFor(config: StorageConfig, endpoint: string | undefined): S3Client {
    return new S3Client({
      region: config.S3_REGION,
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? {
            credentials: {
              accessKeyId: config.S3_ACCESS_KEY_ID,
              secretAccessKey: config.S3_SECRET_ACCESS_KEY,
            },
          }
        : {}),
      // Checksums are Vigil's choice (SHA-256, sent explicitly); the SDK's default CRC32 of an
      // empty body would otherwise be baked into presigned PUT URLs and fail every upload.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 3000, requestTimeout: 30000 },
    });
  }

  /**
   * A presigned PUT binding the key, content type, exact size, metadata and (if given) the
   * sha256. The metadata and checksum are signed headers the client sends (`headers`), not
   * query parameters: S3-compatible servers such as versitygw ignore x-amz-* in the query.
   */
  async presignPut(input: {
    key: string;
    contentType: string;
    size: number;
    sha256?: string;
    meta: ObjectMeta;
  }): Promise<{ url: string; headers: Record<string, string> }> {
    const cmd = new PutObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ContentType: input.contentType,
      ContentLength: input.size,
      Metadata: metaHeaders(input.meta),
      ...(input.sha256 ? { ChecksumSHA256: hexToBase64(input.sha256) } : {}),
    });
    const headers: Record<string, string> = { 'content-type': input.contentType };
    for (const [k, v] of Object.entries(metaHeaders(input.meta))) headers[`x-amz-meta-${k}`] = v;
    if (input.sha256) headers['x-amz-checksum-sha256'] = hexToBase64(input.sha256);
    try {
      const url = await getSignedUrl(this.presigner, cmd, {
        expiresIn: PRESIGN_TTL_SECONDS,
        // the presigner leaves content-type unsigned unless asked; bind it (and the size)
        signableHeaders: new Set(['content-type', 'content-length']),
        unhoistableHeaders: new Set(Object.keys(headers).filter((h) => h.startsWith('x-amz-'))),
      });
      return { url, headers };
    } catch (err) {
      throw unavailable(err);
    }
  }

  /** A presigned GET that downloads the object as an attachment named `fileName`. */
  async presignGet(key: string, fileName: string): Promise<string> {
    try {
      return await getSignedUrl(
        this.presigner,
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ResponseContentDisposition: attachmentDisposition(fileName),
        }),
        { expiresIn: PRESIGN_TTL_SECONDS },
      );
    } catch (err) {
      throw unavailable(err);
    }
  }

  /** HeadObject; null when the key does not exist. */
  async head(key: string): Promise<HeadResult | null> {
    try {
      const r = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }),
      );
      const full = r.ChecksumSHA256 && r.ChecksumType !== 'COMPOSITE' && !r.ChecksumSHA256.includes('-');
      const meta = r.Metadata ?? {};
      let fileName: string | undefined;
      try {
        fileName = meta['file-name'] ? decodeURIComponent(meta['file-name']) : undefined;
      } catch {
        fileName = undefined;
      }
      return {
        size: r.ContentLength ?? 0,
        contentType: r.ContentType ?? null,
        etag: r.ETag ?? null,
        sha256: full && r.ChecksumSHA256 ? base64ToHex(r.ChecksumSHA256) : null,
        meta: { workspaceId: meta['workspace-id'], uploadedBy: meta['uploaded-by'], fileName },
      };
    } catch (err) {
      if (isMissing(err)) return null;
      throw unavailable(err);
    }
  }

  /** Reads the object once to compute its sha256 (for uploads whose checksum S3 does not hold). */
  async hashObject(key: string): Promise<{ sha256: string; size: number }> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of r.Body as Readable) {
        const buf = chunk as Buffer;
        size += buf.length;
        hash.update(buf);
      }
      return { sha256: hash.digest('hex'), size };
    } catch (err) {
      throw unavailable(err);
    }
  }

  /** Best effort: removes an object nothing refers to (an upload whose registration failed). */
  async deleteQuietly(key: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch {
      return false;
    }
  }

  writer(key: string, contentType: string, meta: ObjectMeta): ObjectWriter {
    return new ObjectWriter(this, key, contentType, meta);
  }
}

/**
 * Streams one object to S3 with bounded memory: bytes are buffered up to one part;
 * a file that fits in one part is a single PutObject, a larger one a multipart upload
 * whose parts are sent as they fill (the caller awaits write(), which gives backpressure).
 * Every request carries the SHA-256 of its bytes, which S3 verifies.
 */
export class ObjectWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private uploadId: string | null = null;
  private parts: { PartNumber: number; ETag: string; ChecksumSHA256: string }[] = [];
  private readonly hash = createHash('sha256');
  size = 0;

  constructor(
    private readonly storage: DocumentStorage,
    readonly key: string,
    private readonly contentType: string,
    private readonly meta: ObjectMeta,
  ) {}

  async write(data: Buffer): Promise<void> {
    if (!data.length) return;
    this.hash.update(data);
    this.size += data.length;
    this.pending.push(data);
    this.pendingBytes += data.length;
    while (this.pendingBytes >= PART_SIZE) await this.sendPart(this.take(PART_SIZE));
  }

  /** Completes the upload; returns the object's sha256 (hex), size and ETag. */
  async finish(): Promise<{ sha256: string; size: number; etag: string | null }> {
    const sha256 = this.hash.digest('hex');
    const { client, bucket } = this.storage;
    try {
      if (this.uploadId === null) {
        const body = this.take(this.pendingBytes);
        const r = await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: this.key,
            Body: body,
            ContentLength: body.length,
            ContentType: this.contentType,
            Metadata: metaHeaders(this.meta),
            ChecksumSHA256: hexToBase64(sha256),
          }),
        );
        return { sha256, size: this.size, etag: r.ETag ?? null };
      }
      if (this.pendingBytes > 0) await this.sendPart(this.take(this.pendingBytes));
      const r = await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: this.key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.parts },
        }),
      );
      return { sha256, size: this.size, etag: r.ETag ?? null };
    } catch (err) {
      throw unavailable(err);
    }
  }

  /** Discards a multipart upload in progress (nothing was stored yet for a single PutObject). */
  async abort(): Promise<void> {
    if (this.uploadId === null) return;
    const uploadId = this.uploadId;
    this.uploadId = null;
    await this.storage.client
      .send(
        new AbortMultipartUploadCommand({ Bucket: this.storage.bucket, Key: this.key, UploadId: uploadId }),
      )
      .catch(() => undefined);
  }

  private take(n: number): Buffer {
    const all = Buffer.concat(this.pending, this.pendingBytes);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.pendingBytes = rest.length;
    return head;
  }

  private async sendPart(body: Buffer): Promise<void> {
    const { client, bucket } = this.storage;
    try {
      if (this.uploadId === null) {
        const created = await client.send(
          new CreateMultipartUploadCommand({
            Bucket: bucket,
            Key: this.key,
            ContentType: this.contentType,
            Metadata: metaHeaders(this.meta),
            ChecksumAlgorithm: 'SHA256',
          }),
        );
        if (!created.UploadId) throw new ServiceUnavailable('Document storage returned no upload id');
        this.uploadId = created.UploadId;
      }
      const partNumber = this.parts.length + 1;
      const checksum = createHash('sha256').update(body).digest('base64');
      const r = await client.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: this.key,
          UploadId: this.uploadId,
          PartNumber: partNumber,
          Body: body,
          ContentLength: body.length,
          ChecksumSHA256: checksum,
        }),
      );
      this.parts.push({ PartNumber: partNumber, ETag: r.ETag ?? '', ChecksumSHA256: checksum });
    } catch (err) {
      throw unavailable(err);
    }
  }
}

const cache = new WeakMap<Config, DocumentStorage | null>();

/** The configured storage, or null when S3_BUCKET is not set (metadata endpoints still work). */
export function storageFor(config: Config): DocumentStorage | null {
  if (!cache.has(config)) {
    cache.set(config, config.S3_BUCKET ? new DocumentStorage(config.S3_BUCKET, config) : null);
  }
  return cache.get(config) ?? null;
}

/** The configured storage, or 503 problem+json saying storage is not configured. */
export function requireStorage(config: Config): DocumentStorage {
  const s = storageFor(config);
  if (!s) throw notConfigured();
  return s;
}
