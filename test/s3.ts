import { readFileSync } from 'node:fs';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { type Harness, testEnv, testS3Client } from './harness';

/**
 * What a test sees of the run's real S3 server (versitygw): the objects in its harness's
 * bucket, read with the SDK, and the calls Vigil made, from the server's access log.
 */
export interface S3Call {
  op: string;
  key: string;
  status: number;
  errorCode: string | null;
}

/** The S3 calls made on `bucket`, oldest first, from the server's access log (one line per call). */
export function s3Calls(bucket: string): S3Call[] {
  const file = testEnv().s3.accessLog;
  if (!file) throw new Error('the S3 access log is only available with the local server');
  const calls: S3Call[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    // owner bucket [time] ip requester request-id operation key uri status error ...
    const m = /^\S+ (\S+) \[[^\]]+\] \S+ \S+ \S+ s3_(\S+) (\S+) \S+ (\d{3}) (\S+)/.exec(line);
    if (!m || m[1] !== bucket) continue;
    calls.push({ op: m[2]!, key: m[3]!, status: Number(m[4]), errorCode: m[5] === '-' ? null : m[5]! });
  }
  return calls;
}

export function bucketOf(h: Harness): string {
  if (!h.s3Bucket) throw new Error('this harness has no S3 bucket of the run');
  return h.s3Bucket;
}

export async function objectBytes(h: Harness, key: string): Promise<Buffer | null> {
  const client = testS3Client();
  try {
    const r = await client.send(new GetObjectCommand({ Bucket: bucketOf(h), Key: key }));
    return Buffer.from(
      await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return null;
    throw err;
  } finally {
    client.destroy();
  }
}

export async function objectMeta(h: Harness, key: string): Promise<Record<string, string> | null> {
  const client = testS3Client();
  try {
    return (await client.send(new HeadObjectCommand({ Bucket: bucketOf(h), Key: key }))).Metadata ?? {};
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
    throw err;
  } finally {
    client.destroy();
  }
}

/** Every key in the harness's bucket. */
export async function objectKeys(h: Harness): Promise<string[]> {
  const client = testS3Client();
  const keys: string[] = [];
  try {
    let token: string | undefined;
    do {
      const r = await client.send(
        new ListObjectsV2Command({ Bucket: bucketOf(h), ContinuationToken: token }),
      );
      for (const o of r.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = r.NextContinuationToken;
    } while (token);
    return keys;
  } finally {
    client.destroy();
  }
}

/** Keys of the multipart uploads still open in the harness's bucket. */
export async function openUploads(h: Harness): Promise<string[]> {
  const client = testS3Client();
  try {
    const r = await client.send(new ListMultipartUploadsCommand({ Bucket: bucketOf(h) }));
    return (r.Uploads ?? []).map((u) => u.Key ?? '');
  } finally {
    client.destroy();
  }
}
