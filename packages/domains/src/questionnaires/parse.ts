/**
 * Parses uploaded spreadsheets off the API's event loop: each parse runs in its own worker
 * thread (parse-worker.cjs → workbook.ts) with a heap limit and a time limit, and is
 * terminated when either is passed. At most QUESTIONNAIRE_PARSE_CONCURRENCY parses run at
 * once; later uploads wait their turn. Limits broken by the file answer 413 (sizes) or 422
 * (sheets, rows, cell length, parse time, memory) as problem+json naming the file part, with
 * the limit's environment variable as `code`.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Config } from '@vigil/kernel/config';
import { AppError, BadRequest, Unprocessable } from '@vigil/kernel/errors';
import pLimit from 'p-limit';
import type { ParsedRow } from './rules';
import type { LimitName, WorkbookLimits, WorkbookOutcome } from './workbook';

const WORKER_ENTRY = path.join(__dirname, 'parse-worker.cjs');

export interface ParseLimits extends WorkbookLimits {
  timeoutMs: number;
  memoryMb: number;
  concurrency: number;
}

export function parseLimits(config: Config): ParseLimits {
  return {
    maxUnzippedBytes: config.QUESTIONNAIRE_MAX_UNZIPPED_BYTES,
    maxSheets: config.QUESTIONNAIRE_MAX_SHEETS,
    maxRows: config.QUESTIONNAIRE_MAX_ROWS,
    maxCellChars: config.QUESTIONNAIRE_MAX_CELL_CHARS,
    timeoutMs: config.QUESTIONNAIRE_PARSE_TIMEOUT_MS,
    memoryMb: config.QUESTIONNAIRE_PARSE_MEMORY_MB,
    concurrency: config.QUESTIONNAIRE_PARSE_CONCURRENCY,
  };
}

const SIZE_LIMITS: ReadonlySet<LimitName> = new Set([
  'UPLOAD_LIMIT_BYTES',
  'QUESTIONNAIRE_MAX_UNZIPPED_BYTES',
]);

/** 413 for a size limit, 422 for the others; `code` is the limit's environment variable. */
export function limitError(limit: LimitName, message: string): AppError {
  const detail = `${message} (${limit})`;
  const errors = [{ field: 'file', message: detail }];
  if (SIZE_LIMITS.has(limit)) return new AppError(413, 'Content Too Large', detail, errors, limit);
  return new Unprocessable(detail, errors, limit);
}

const slots = new Map<number, ReturnType<typeof pLimit>>();
function slot(concurrency: number) {
  let limit = slots.get(concurrency);
  if (!limit) {
    limit = pLimit(concurrency);
    slots.set(concurrency, limit);
  }
  return limit;
}

function runWorker(data: Uint8Array, limits: ParseLimits): Promise<WorkbookOutcome> {
  const workbookLimits: WorkbookLimits = {
    maxUnzippedBytes: limits.maxUnzippedBytes,
    maxSheets: limits.maxSheets,
    maxRows: limits.maxRows,
    maxCellChars: limits.maxCellChars,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: { data, limits: workbookLimits },
      // not the parent's flags (tsx's loader under `npm start`): the entry is plain CommonJS
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    });
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    timer = setTimeout(
      () =>
        settle(() =>
          reject(
            limitError(
              'QUESTIONNAIRE_PARSE_TIMEOUT_MS',
              `The spreadsheet took longer than ${limits.timeoutMs} ms to parse`,
            ),
          ),
        ),
      limits.timeoutMs,
    );
    worker.once('message', (outcome: WorkbookOutcome) => settle(() => resolve(outcome)));
    worker.once('error', (err: Error & { code?: string }) =>
      settle(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? limitError(
                'QUESTIONNAIRE_PARSE_MEMORY_MB',
                `Parsing the spreadsheet needed more than ${limits.memoryMb} MB of memory`,
              )
            : err,
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`spreadsheet parser exited with code ${code} before answering`))),
    );
  });
}

/**
 * Parses an .xlsx or .xls upload in a worker thread. Resolves with its classified rows and
 * the sha256 of its bytes; rejects with a 400 (not a spreadsheet), 413 or 422 (a limit) naming `file`.
 */
export async function parseUpload(
  data: Uint8Array,
  limits: ParseLimits,
): Promise<{ rows: ParsedRow[]; sha256: string }> {
  const outcome = await slot(limits.concurrency)(() => runWorker(data, limits));
  if (outcome.ok) return { rows: outcome.rows, sha256: outcome.sha256 };
  if (outcome.limit) throw limitError(outcome.limit, outcome.message);
  throw new BadRequest(outcome.message, [{ field: 'file', message: outcome.message }]);
}
