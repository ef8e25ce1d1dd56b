/**
 * Reads an uploaded workbook into classified rows within limits. This module runs in a
 * worker thread (loaded by parse-worker.cjs), never on the API's event loop: SheetJS reads
 * synchronously, and a crafted file could otherwise stall every other request.
 *
 * Order of checks, cheapest first:
 *  1. an .xlsx is a zip: the uncompressed sizes its central directory declares are summed
 *     (fflate, with a filter that inflates nothing) and compared with the limit;
 *  2. the row start tags of its worksheet parts are counted (each part inflated on its own, to at
 *     most its declared size), so a sheet of a million rows is refused without SheetJS;
 *  3. SheetJS reads at most `maxRows + 1` rows of each sheet (`sheetRows`), so a sheet over the
 *     limit is seen without building its whole grid; sheets, rows and cell lengths are then
 *     checked, for .xls (a CFB file, not a zip) as for .xlsx.
 * A zip whose directory understates its sizes is still bounded by the worker's time and
 * memory limits (parse.ts).
 */
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import type * as SheetJS from 'xlsx';
import { type ParsedRow, parseSheet, sniffSpreadsheet } from './rules';

export interface WorkbookLimits {
  /** The most bytes the zip entries may inflate to, as their central directory declares. */
  maxUnzippedBytes: number;
  maxSheets: number;
  /** Rows over all sheets: each sheet's used range, blank rows inside it included. */
  maxRows: number;
  /** The longest cell text, in characters. */
  maxCellChars: number;
}

/** The environment variable that sets each limit; problem answers carry it as `code`. */
export type LimitName =
  | 'UPLOAD_LIMIT_BYTES'
  | 'QUESTIONNAIRE_MAX_UNZIPPED_BYTES'
  | 'QUESTIONNAIRE_MAX_SHEETS'
  | 'QUESTIONNAIRE_MAX_ROWS'
  | 'QUESTIONNAIRE_MAX_CELL_CHARS'
  | 'QUESTIONNAIRE_PARSE_TIMEOUT_MS'
  | 'QUESTIONNAIRE_PARSE_MEMORY_MB';

export type WorkbookOutcome =
  | { ok: true; rows: ParsedRow[]; sha256: string }
  /** `limit` null: the bytes are not a readable spreadsheet. */
  | { ok: false; limit: LimitName | null; message: string };

const refused = (limit: LimitName | null, message: string): WorkbookOutcome => ({
  ok: false,
  limit,
  message,
});

/** Worksheet parts of an .xlsx/.xlsb package (charts, dialogs and macro sheets count as sheets). */
const SHEET_PART = /^xl\/(worksheets|chartsheets|dialogsheets|macrosheets)\/[^/]+\.(xml|bin)$/i;

export interface ZipFootprint {
  entries: number;
  /** Sum of the entries' declared uncompressed sizes. */
  unzippedBytes: number;
  /** Names of the sheet parts, in directory order. */
  sheetParts: string[];
}

/** What a zip's central directory declares, read without inflating any entry. */
export function zipFootprint(data: Uint8Array): ZipFootprint {
  const out: ZipFootprint = { entries: 0, unzippedBytes: 0, sheetParts: [] };
  unzipSync(data, {
    filter: (file) => {
      out.entries++;
      out.unzippedBytes += file.originalSize;
      if (SHEET_PART.test(file.name)) out.sheetParts.push(file.name);
      return false;
    },
  });
  return out;
}

const isNameByte = (b: number | undefined) =>
  b !== undefined &&
  ((b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    b === 0x5f ||
    b === 0x2d);
const ROW = Buffer.from('row');

/**
 * Counts the `<row>` start tags (with or without a namespace prefix) in worksheet XML,
 * stopping once the count passes `stopAfter`. Each row element is a distinct row, so a
 * count over the limit means the sheet is over it; `</row>` and `<rowBreaks>` do not count,
 * and text cannot hold a `<`. SheetJS's own count stays the authoritative one.
 */
export function countRowTags(xml: Buffer, stopAfter: number): number {
  let n = 0;
  for (let i = xml.indexOf(ROW); i >= 0 && n <= stopAfter; i = xml.indexOf(ROW, i + 3)) {
    const next = xml[i + 3];
    // "row" then whitespace, ">" or "/"
    if (next !== 0x20 && next !== 0x3e && next !== 0x2f && next !== 0x09 && next !== 0x0a && next !== 0x0d)
      continue;
    let j = i - 1;
    if (xml[j] === 0x3a) {
      j--;
      while (j > 0 && isNameByte(xml[j])) j--;
    }
    if (xml[j] === 0x3c) n++;
  }
  return n;
}

/** Row tags over the workbook's XML sheet parts, each inflated alone; stops once past `stopAfter`. */
function countZipRows(data: Uint8Array, parts: string[], stopAfter: number): number {
  let n = 0;
  for (const name of parts) {
    if (!name.toLowerCase().endsWith('.xml')) continue;
    const xml = unzipSync(data, { filter: (f) => f.name === name })[name];
    if (!xml) continue;
    n += countRowTags(Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength), stopAfter - n);
    if (n > stopAfter) break;
  }
  return n;
}

const tooManySheets = (n: number, max: number) =>
  refused('QUESTIONNAIRE_MAX_SHEETS', `The workbook has ${n} sheets; at most ${max} are accepted`);

/** Parses `data` (an .xlsx or .xls) into rows, or says which limit it breaks. Never throws for bad input. */
export function readWorkbook(data: Uint8Array, limits: WorkbookLimits): WorkbookOutcome {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const format = sniffSpreadsheet(buf);
  if (!format) return refused(null, 'The file is not an .xlsx or .xls spreadsheet');
  if (format === 'xlsx') {
    let zip: ZipFootprint;
    try {
      zip = zipFootprint(buf);
    } catch {
      return refused(null, 'The spreadsheet could not be read (not a valid zip)');
    }
    if (zip.unzippedBytes > limits.maxUnzippedBytes) {
      return refused(
        'QUESTIONNAIRE_MAX_UNZIPPED_BYTES',
        `The spreadsheet would unzip to ${zip.unzippedBytes} bytes; at most ${limits.maxUnzippedBytes} are accepted`,
      );
    }
    if (zip.sheetParts.length > limits.maxSheets)
      return tooManySheets(zip.sheetParts.length, limits.maxSheets);
    let rowTags: number;
    try {
      rowTags = countZipRows(buf, zip.sheetParts, limits.maxRows);
    } catch {
      return refused(null, 'The spreadsheet could not be read (a sheet does not unzip)');
    }
    if (rowTags > limits.maxRows) {
      return refused('QUESTIONNAIRE_MAX_ROWS', `The workbook has more than ${limits.maxRows} rows`);
    }
  }

  // loaded only now, so a file refused above costs no SheetJS start-up
  const XLSX: typeof SheetJS = require('xlsx');
  let wb: SheetJS.WorkBook;
  try {
    wb = XLSX.read(buf, { type: 'buffer', cellDates: true, dense: true, sheetRows: limits.maxRows + 1 });
  } catch {
    return refused(null, 'The spreadsheet could not be read');
  }
  if (wb.SheetNames.length > limits.maxSheets) return tooManySheets(wb.SheetNames.length, limits.maxSheets);

  const rows: ParsedRow[] = [];
  let total = 0;
  for (const sheet of wb.SheetNames) {
    const ws = wb.Sheets[sheet];
    if (!ws?.['!ref']) continue;
    const range = XLSX.utils.decode_range(ws['!ref']);
    // SheetJS stopped at maxRows + 1 rows, so a sheet over the limit shows as one row over it
    total += range.e.r - range.s.r + 1;
    if (total > limits.maxRows) {
      return refused(
        'QUESTIONNAIRE_MAX_ROWS',
        `The workbook has more than ${limits.maxRows} rows (sheet "${sheet}" passes the limit)`,
      );
    }
    const grid = XLSX.utils.sheet_to_json<unknown[]>(ws, {
      header: 1,
      blankrows: true,
      defval: '',
      raw: false,
    });
    for (let r = 0; r < grid.length; r++) {
      const cells = grid[r];
      if (!Array.isArray(cells)) continue;
      for (let c = 0; c < cells.length; c++) {
        const v = cells[c];
        if (typeof v === 'string' && v.length > limits.maxCellChars) {
          const at = XLSX.utils.encode_cell({ r: range.s.r + r, c: range.s.c + c });
          return refused(
            'QUESTIONNAIRE_MAX_CELL_CHARS',
            `Cell ${sheet}!${at} has ${v.length} characters; at most ${limits.maxCellChars} are accepted`,
          );
        }
      }
    }
    // one push per row: rows.push(...parsed) passes every row as an argument and overflows the stack
    for (const row of parseSheet(sheet, grid)) rows.push(row);
  }
  const sha256 = createHash('sha256').update(buf).digest('hex');
  return { ok: true, rows, sha256 };
}
