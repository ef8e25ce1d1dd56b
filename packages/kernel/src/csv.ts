// CSV exports: a route that declares `csv` answers `Accept: text/csv` or `?format=csv` with
// the same rows as its JSON, streamed through csv-stringify.
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Request, Response } from 'express';
import { z } from 'zod';

export type CsvRow = Record<string, unknown>;
export type CsvRows = AsyncIterable<CsvRow> | Iterable<CsvRow>;

/**
 * How a route exports CSV. `columns` are the JSON field names of one row (the header row).
 * `rows` yields them (for lists, by walking the cursor pages); without it the handler's
 * answer is used: its `data` array when it has one, else the answer itself as one row.
 */
export interface CsvExport<I = unknown> {
  columns: readonly string[];
  rows?: (input: I) => CsvRows;
}

/** The field names of a zod object schema, in order (a CSV export's header row). */
export const columnsOf = (schema: z.ZodType): string[] => Object.keys((schema as z.ZodObject).shape);

export const FORMAT_QUERY = z.object({
  format: z
    .enum(['json', 'csv'])
    .optional()
    .describe('`csv` answers text/csv (as `Accept: text/csv` does): the same rows, streamed'),
});

/** A route's query schema plus `format` (an absent query schema becomes one holding only `format`). */
export function withFormat(query: z.ZodType | undefined): z.ZodObject {
  return ((query as z.ZodObject | undefined) ?? z.object({})).extend(FORMAT_QUERY.shape);
}

/** `?format=csv`, or an Accept header that prefers text/csv to JSON. `?format=json` always wins. */
export function wantsCsv(req: Request, format: unknown): boolean {
  if (format === 'csv') return true;
  if (format === 'json') return false;
  if (!req.get('accept')) return false;
  return req.accepts(['application/json', 'text/csv']) === 'text/csv';
}

/** Rows of a handler's answer: its `data` array, or the answer itself as a single row. */
export function rowsOfResult(result: unknown): CsvRow[] {
  if (result && typeof result === 'object' && Array.isArray((result as { data?: unknown }).data))
    return (result as { data: CsvRow[] }).data;
  return result && typeof result === 'object' ? [result as CsvRow] : [];
}

/** A value as a CSV cell: what JSON would say, nested values JSON-encoded, null empty. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

async function* iterate(rows: CsvRows): AsyncGenerator<CsvRow> {
  yield* rows as AsyncIterable<CsvRow>;
}

/**
 * Streams rows as CSV (header row = columns). The first row is read before the status line
 * is sent, so an error there is still a problem+json answer; a later one cuts the stream.
 */
export async function sendCsv(
  req: Request,
  res: Response,
  columns: readonly string[],
  rows: CsvRows,
  fileName: string,
): Promise<void> {
  const it = iterate(rows);
  const first = await it.next();
  res.status(200);
  res.set('content-type', 'text/csv; charset=utf-8');
  res.set('content-disposition', `attachment; filename="${fileName}"`);
  // Rows pass through JSON first, so each cell is exactly the JSON answer's value.
  const toRecord = new Transform({
    objectMode: true,
    transform(row: CsvRow, _enc, done) {
      const plain = JSON.parse(JSON.stringify(row)) as CsvRow;
      done(null, Object.fromEntries(columns.map((c) => [c, cell(plain[c])])));
    },
  });
  async function* all() {
    if (!first.done) yield first.value;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  try {
    await pipeline(Readable.from(all()), toRecord, stringify({ header: true, columns: [...columns] }), res);
  } catch (err) {
    // headers are gone: the client sees a cut stream (or has left already)
    const log = (req as { log?: { warn(obj: object, msg: string): void } }).log;
    if (!req.destroyed) log?.warn({ err }, 'CSV export failed while streaming');
    res.destroy();
  }
}
