// The worker side of metadata extraction, used by activities.ts: reading a stored object
// with a byte limit, running extract.ts in a worker thread (heap and time limits, bounded
// concurrency), and the optional LLM summary through an OpenAI-compatible
// /chat/completions endpoint. Limits come from DOCUMENT_EXTRACTION_* and DOCUMENT_SUMMARY_*.
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { GetObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import type { Config } from '@vigil/kernel/config';
import pLimit from 'p-limit';
import type { ExtractInput, ExtractLimits, ExtractOutcome } from './extract';
import { cleanText } from './rules';
import type { DocumentStorage } from './storage';

const WORKER_ENTRY = path.join(__dirname, 'extract-worker.cjs');
/** Characters of text analysed per document (criteria, words, language). */
const MAX_TEXT_CHARS = 1_000_000;
/** Bytes read of a file over DOCUMENT_EXTRACTION_MAX_BYTES, to sniff its type. */
const SNIFF_BYTES = 4100;

export interface ExtractionSettings extends ExtractLimits {
  maxBytes: number;
  timeoutMs: number;
  memoryMb: number;
  concurrency: number;
}

export function extractionSettings(config: Config): ExtractionSettings {
  return {
    maxBytes: config.DOCUMENT_EXTRACTION_MAX_BYTES,
    maxPages: config.DOCUMENT_EXTRACTION_MAX_PAGES,
    maxTextChars: MAX_TEXT_CHARS,
    summaryInputChars: config.DOCUMENT_SUMMARY_MAX_INPUT_CHARS,
    timeoutMs: config.DOCUMENT_EXTRACTION_TIMEOUT_MS,
    memoryMb: config.DOCUMENT_EXTRACTION_MEMORY_MB,
    concurrency: config.DOCUMENT_EXTRACTION_CONCURRENCY,
  };
}

/** The stored object is gone: nothing to extract, ever (not worth a retry). */
export class ObjectMissing extends Error {}

/**
 * Reads at most `maxBytes` of an object, streaming (the rest is never downloaded).
 * `complete` says whether that was the whole object. Storage errors other than a missing
 * key are thrown for the activity's retry.
 */
export async function readObject(
  storage: DocumentStorage,
  key: string,
  maxBytes: number,
): Promise<{ data: Uint8Array; complete: boolean }> {
  let body: Readable;
  try {
    const r = await storage.client.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key }));
    body = r.Body as Readable;
  } catch (err) {
    if (
      err instanceof S3ServiceException &&
      (err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404)
    )
      throw new ObjectMissing(`The stored object ${key} is missing`);
    throw err;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let complete = true;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    const room = maxBytes - size;
    if (buf.length > room) {
      chunks.push(buf.subarray(0, room));
      size = maxBytes;
      complete = false;
      break;
    }
    chunks.push(buf);
    size += buf.length;
  }
  if (!complete) body.destroy();
  return { data: new Uint8Array(Buffer.concat(chunks, size)), complete };
}

const slots = new Map<number, ReturnType<typeof pLimit>>();
const slot = (n: number) => {
  const s = slots.get(n) ?? pLimit(n);
  slots.set(n, s);
  return s;
};

/** Threads kept warm between extractions (tsx and the readers load once), per heap limit. */
const idle = new Map<number, Worker[]>();
/** An idle thread is ended after this long, giving its heap back. */
const IDLE_MS = 60_000;

function spawn(memoryMb: number): Worker {
  const worker = new Worker(WORKER_ENTRY, {
    // not the parent's flags (tsx's loader under `npm start`): the entry is plain CommonJS
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  });
  // an idle thread never keeps the process alive
  worker.unref();
  return worker;
}

/**
 * Runs one job in a thread of the pool. A thread that answered goes back to the pool; one
 * that passed the time limit is terminated, and one that ran out of memory or crashed is gone,
 * so the next job starts a fresh thread: a hostile file costs only its own thread.
 */
function runWorker<T>(job: unknown, transfer: ArrayBuffer, s: ExtractionSettings): Promise<T> {
  const pool = idle.get(s.memoryMb) ?? [];
  idle.set(s.memoryMb, pool);
  const worker = pool.pop() ?? spawn(s.memoryMb);
  const parked = worker as Worker & { idleTimer?: NodeJS.Timeout };
  clearTimeout(parked.idleTimer);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (ok: boolean, fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (ok) {
        parked.idleTimer = setTimeout(() => {
          const at = pool.indexOf(worker);
          if (at >= 0) pool.splice(at, 1);
          void worker.terminate();
        }, IDLE_MS);
        parked.idleTimer.unref();
        pool.push(worker);
      } else void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        settle(false, () =>
          reject(
            new LimitBroken(
              `Extraction took longer than ${s.timeoutMs} ms and was stopped (DOCUMENT_EXTRACTION_TIMEOUT_MS)`,
            ),
          ),
        ),
      s.timeoutMs,
    );
    const onMessage = (m: T) => settle(true, () => resolve(m));
    const onError = (err: Error & { code?: string }) =>
      settle(false, () =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new LimitBroken(
                `Extraction needed more than ${s.memoryMb} MB of memory and was stopped (DOCUMENT_EXTRACTION_MEMORY_MB)`,
              )
            : err,
        ),
      );
    const onExit = (code: number) =>
      settle(false, () =>
        reject(new Error(`the extraction thread exited with code ${code} before answering`)),
      );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(job, [transfer]);
  });
}

/** A limit the file broke: the extraction fails for good (no retry). */
export class LimitBroken extends Error {}

const own = (data: Uint8Array) => {
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return copy;
};

/** Runs extract.ts on the bytes in a worker thread, at most DOCUMENT_EXTRACTION_CONCURRENCY at once. */
export async function extractInThread(
  input: Omit<ExtractInput, 'limits'>,
  s: ExtractionSettings,
): Promise<ExtractOutcome> {
  const data = own(input.data);
  const limits: ExtractLimits = {
    maxPages: s.maxPages,
    maxTextChars: s.maxTextChars,
    summaryInputChars: s.summaryInputChars,
  };
  return slot(s.concurrency)(() =>
    runWorker<ExtractOutcome>({ ...input, data, limits }, data.buffer as ArrayBuffer, s),
  );
}

/** The content type sniffed from the first bytes of a file too large to extract. */
export async function sniffInThread(head: Uint8Array, s: ExtractionSettings): Promise<string | null> {
  const data = own(head.subarray(0, SNIFF_BYTES));
  return slot(s.concurrency)(() =>
    runWorker<string | null>({ sniffOnly: true, data }, data.buffer as ArrayBuffer, s),
  );
}

export const SNIFF_HEAD_BYTES = SNIFF_BYTES;

export interface SummaryResult {
  summary: string | null;
  model: string | null;
  error: string | null;
}

/**
 * Asks an OpenAI-compatible /chat/completions endpoint (DOCUMENT_SUMMARY_API_URL, its key
 * and model) for a short summary of the bounded text, within DOCUMENT_SUMMARY_TIMEOUT_MS.
 * Null when no summariser is configured; a failure is reported, never thrown.
 */
export async function summarise(config: Config, title: string, text: string): Promise<SummaryResult | null> {
  const url = config.DOCUMENT_SUMMARY_API_URL;
  if (!url || !text.trim()) return null;
  const model = config.DOCUMENT_SUMMARY_MODEL;
  const input = text.slice(0, config.DOCUMENT_SUMMARY_MAX_INPUT_CHARS);
  try {
    const res = await fetch(`${url.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(config.DOCUMENT_SUMMARY_API_KEY
          ? { authorization: `Bearer ${config.DOCUMENT_SUMMARY_API_KEY}` }
          : {}),
      },
      body: JSON.stringify({
        model,
        temperature: 0,
        max_tokens: 200,
        messages: [
          {
            role: 'system',
            content:
              'You summarise compliance evidence for a SOC 2 program. Answer with at most three plain sentences: ' +
              'what the document is, what it shows, and the period or scope it covers if stated.',
          },
          { role: 'user', content: `Document: ${title}\n\n${input}` },
        ],
      }),
      signal: AbortSignal.timeout(config.DOCUMENT_SUMMARY_TIMEOUT_MS),
    });
    if (!res.ok) return { summary: null, model, error: `The summariser answered ${res.status}` };
    const body = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
    const content = body.choices?.[0]?.message?.content;
    if (typeof content !== 'string' || !content.trim())
      return { summary: null, model, error: 'The summariser answered no text' };
    return { summary: cleanText(content.trim()).slice(0, 2000), model, error: null };
  } catch (err) {
    // an AbortSignal timeout rejects with a DOMException named TimeoutError
    const name = (err as { name?: unknown } | null)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    return {
      summary: null,
      model,
      error: timedOut
        ? `The summariser did not answer within ${config.DOCUMENT_SUMMARY_TIMEOUT_MS} ms`
        : `The summariser could not be reached: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
