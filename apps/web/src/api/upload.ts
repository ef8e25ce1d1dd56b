import { csrfToken, ProblemError } from './client';

/** Bytes sent so far and the total, as the browser reports them while a body goes up. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Sends `body` with XMLHttpRequest, whose upload events give real progress (fetch has none).
 * Resolves to the parsed JSON (or null) of a 2xx answer; rejects with a ProblemError carrying
 * the problem+json detail otherwise, or a network error (status 0).
 */
export function sendWithProgress<T>(opts: {
  method: 'POST' | 'PUT';
  url: string;
  body: Blob;
  headers?: Record<string, string>;
  /** Our own API: the session cookie goes along, with the CSRF token of cookie-authenticated writes. */
  sameOrigin?: boolean;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(opts.method, opts.url);
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      // the browser sets these itself (and refuses them)
      if (k.toLowerCase() === 'content-length' || k.toLowerCase() === 'host') continue;
      xhr.setRequestHeader(k, v);
    }
    if (opts.sameOrigin) {
      const token = csrfToken();
      if (token) xhr.setRequestHeader('X-CSRF-Token', token);
      xhr.setRequestHeader('Accept', 'application/json');
    }
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.({ loaded: e.loaded, total: e.total });
    };
    xhr.upload.onload = () => opts.onProgress?.({ loaded: opts.body.size, total: opts.body.size });
    xhr.onload = () => {
      const text = xhr.responseText;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON (S3 answers XML)
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve((parsed ?? null) as T);
      else reject(new ProblemError(xhr.status, typeof parsed === 'string' ? s3Message(parsed) : parsed));
    };
    xhr.onerror = () =>
      reject(new ProblemError(0, { detail: `The upload to ${new URL(opts.url).host} could not be sent` }));
    xhr.onabort = () =>
      reject(new ProblemError(0, { title: 'Cancelled', detail: 'The upload was cancelled' }));
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(opts.body);
  });
}

/** The <Message> of an S3 XML error, else the text itself. */
const s3Message = (xml: string) => {
  const m = /<Message>([^<]*)<\/Message>/.exec(xml);
  return m ? { title: 'Storage refused the upload', detail: m[1] } : xml;
};

/** Lower-case hex sha256 of a file, when the browser offers WebCrypto (secure contexts). */
export async function sha256Hex(file: Blob): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const formatBytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KB`
      : `${(n / 1024 / 1024).toFixed(1)} MB`;
