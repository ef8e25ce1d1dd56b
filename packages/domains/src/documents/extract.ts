// What extractDocumentMetadata learns from a document's bytes. Runs in a worker thread
// (extract-worker.cjs, started by extraction.ts) with a heap limit and a time limit, so a
// hostile or huge file can cost neither the worker's event loop nor its memory. The content
// type is sniffed from the bytes (file-type), never taken from the name; then the format's
// reader: unpdf (PDF.js) for PDF pages, text and info, mammoth for DOCX text, SheetJS for
// XLSX/XLS/ODS/CSV sheets and rows, image-size for image dimensions. The text rules (word
// count, extract, SOC 2 criteria) are the pure functions of rules.ts; the language is franc-min's.
import type * as SheetJS from 'xlsx';
import {
  categoriesOf,
  cleanText,
  detectCriteria,
  leadSentences,
  looksLikeCsv,
  shortExtract,
  wordCount,
} from './rules';

export interface ExtractLimits {
  /** PDF pages whose text is read (the page count is always the whole document's) */
  maxPages: number;
  /** characters of text analysed (criteria, words, language); the rest is not read */
  maxTextChars: number;
  /** characters handed to the summariser */
  summaryInputChars: number;
}

export interface ExtractInput {
  data: Uint8Array;
  declaredType: string;
  fileName: string;
  limits: ExtractLimits;
}

export type ExtractFormat = 'PDF' | 'DOCX' | 'SPREADSHEET' | 'CSV' | 'IMAGE' | 'TEXT' | 'OTHER';

export type ExtractOutcome =
  | { ok: true; metadata: Record<string, unknown>; summaryInput: string }
  | { ok: false; error: string; metadata: Record<string, unknown> };

/** Rows of a sheet read for its text; its row count comes from its full range. */
const SHEET_ROWS_READ = 5000;
const EXTRACT_CHARS = 500;
const SUMMARY_CHARS = 300;

const SPREADSHEET_TYPES = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
  'application/vnd.oasis.opendocument.spreadsheet',
]);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

interface Read {
  text: string;
  truncated?: boolean;
  extra: Record<string, unknown>;
}

/** A message for the error column: what failed, without a stack. */
const reason = (what: string, err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  return cleanText(`${what}: ${msg}`.replace(/\s+/g, ' ')).slice(0, 500);
};

class Unreadable extends Error {}

async function sniff(data: Uint8Array): Promise<{ mime: string | null; ext: string | null }> {
  const { fileTypeFromBuffer } = await import('file-type');
  const t = await fileTypeFromBuffer(data);
  return { mime: t?.mime ?? null, ext: t?.ext ?? null };
}

/** Valid UTF-8 without NUL bytes reads as text. */
function asText(data: Uint8Array): string | null {
  if (data.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return null;
  }
}

async function readPdf(data: Uint8Array, limits: ExtractLimits): Promise<Read> {
  const { getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // a copy: PDF.js detaches the buffer it is given
    pdf = await getDocumentProxy(new Uint8Array(data), {
      disableFontFace: true,
      isEvalSupported: false,
      verbosity: 0,
    });
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'PasswordException') throw new Unreadable('The PDF is password-protected');
    throw new Unreadable(reason('The PDF could not be read', err));
  }
  try {
    const pageCount = pdf.numPages;
    const pagesRead = Math.min(pageCount, limits.maxPages);
    let text = '';
    for (let i = 1; i <= pagesRead && text.length < limits.maxTextChars; i++) {
      const page = await pdf.getPage(i);
      const content = await page.getTextContent();
      const parts = content.items.map((it) => ('str' in it ? `${it.str}${it.hasEOL ? '\n' : ''}` : ''));
      text += `${parts.join('')}\n`;
      page.cleanup();
    }
    const info = ((await pdf.getMetadata().catch(() => null))?.info ?? {}) as Record<string, unknown>;
    const field = (k: string) =>
      typeof info[k] === 'string' && info[k] ? cleanText(info[k]).slice(0, 300) : null;
    return {
      text,
      truncated: pagesRead < pageCount,
      extra: { page_count: pageCount, pages_read: pagesRead, title: field('Title'), author: field('Author') },
    };
  } finally {
    await pdf.destroy();
  }
}

async function readDocx(data: Uint8Array): Promise<Read> {
  const mammoth = await import('mammoth');
  let text: string;
  try {
    text = (await mammoth.extractRawText({ buffer: Buffer.from(data) })).value;
  } catch (err) {
    throw new Unreadable(reason('The DOCX could not be read', err));
  }
  // Word records the page count it last laid out in docProps/app.xml; nothing else knows it.
  let pageCount: number | null = null;
  try {
    const { unzipSync, strFromU8 } = await import('fflate');
    const app = unzipSync(data, { filter: (f) => f.name === 'docProps/app.xml' })['docProps/app.xml'];
    const m = app ? /<Pages>(\d{1,6})<\/Pages>/.exec(strFromU8(app)) : null;
    pageCount = m ? Number(m[1]) : null;
  } catch {
    pageCount = null;
  }
  return { text, extra: { page_count: pageCount } };
}

function readSheets(input: string | Uint8Array, maxTextChars: number): Read {
  const XLSX: typeof SheetJS = require('xlsx');
  let wb: SheetJS.WorkBook;
  try {
    wb =
      typeof input === 'string'
        ? XLSX.read(input, { type: 'string', dense: true, sheetRows: SHEET_ROWS_READ })
        : XLSX.read(input, { type: 'buffer', dense: true, sheetRows: SHEET_ROWS_READ });
  } catch (err) {
    throw new Unreadable(reason('The spreadsheet could not be read', err));
  }
  const sheets: Array<{ name: string; rows: number; columns: number }> = [];
  let text = '';
  let truncated = false;
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    const ref = ws?.['!fullref'] ?? ws?.['!ref'];
    if (!ws || !ref) {
      sheets.push({ name: cleanText(name), rows: 0, columns: 0 });
      continue;
    }
    const range = XLSX.utils.decode_range(ref);
    const rows = range.e.r - range.s.r + 1;
    sheets.push({ name: cleanText(name), rows, columns: range.e.c - range.s.c + 1 });
    truncated ||= rows > SHEET_ROWS_READ;
    if (text.length >= maxTextChars) continue;
    const grid = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: false, defval: '' });
    for (const row of grid) {
      if (text.length >= maxTextChars) break;
      if (Array.isArray(row)) text += `${row.filter((v) => v !== '').join(' ')}\n`;
    }
  }
  const rowCount = sheets.reduce((n, s) => n + s.rows, 0);
  return {
    text,
    truncated,
    extra: { sheet_count: sheets.length, row_count: rowCount, sheets: sheets.slice(0, 100) },
  };
}

async function readImage(data: Uint8Array): Promise<Read> {
  const { imageSize } = await import('image-size');
  try {
    const d = imageSize(data);
    return {
      text: '',
      extra: { image: { width: d.width ?? null, height: d.height ?? null, type: d.type ?? null } },
    };
  } catch (err) {
    throw new Unreadable(reason('The image could not be read', err));
  }
}

async function language(text: string): Promise<string | null> {
  const { franc } = await import('franc-min');
  // franc guesses wildly on a few words (a CSV header): below 60 characters it says nothing
  const code = franc(text.slice(0, 20_000), { minLength: 60 });
  return code === 'und' ? null : code;
}

/** Everything extraction learns from the bytes; never throws (an unreadable file is `ok: false` with its reason). */
export async function extractMetadata(input: ExtractInput): Promise<ExtractOutcome> {
  const { data, limits } = input;
  const sniffed = await sniff(data);
  let format: ExtractFormat = 'OTHER';
  let contentType = sniffed.mime ?? 'application/octet-stream';
  const base: Record<string, unknown> = {};
  const describe = () => ({
    content_type: contentType,
    declared_type: input.declaredType,
    type_matches: contentType === input.declaredType,
    format,
    size_bytes: data.length,
    ...base,
  });
  try {
    let read: Read = { text: '', extra: {} };
    if (sniffed.mime === 'application/pdf') {
      format = 'PDF';
      read = await readPdf(data, limits);
    } else if (sniffed.mime === DOCX) {
      format = 'DOCX';
      read = await readDocx(data);
    } else if (sniffed.mime && (SPREADSHEET_TYPES.has(sniffed.mime) || sniffed.ext === 'cfb')) {
      format = 'SPREADSHEET';
      read = readSheets(data, limits.maxTextChars);
    } else if (sniffed.mime?.startsWith('image/')) {
      format = 'IMAGE';
      read = await readImage(data);
    } else if (!sniffed.mime) {
      const text = asText(data);
      if (text !== null && looksLikeCsv(text.slice(0, 64 * 1024))) {
        format = 'CSV';
        contentType = 'text/csv';
        read = readSheets(text, limits.maxTextChars);
      } else if (text !== null) {
        format = 'TEXT';
        contentType = 'text/plain';
        read = { text, extra: {} };
      }
    }
    const truncated = read.truncated === true || read.text.length > limits.maxTextChars;
    const text = cleanText(read.text.slice(0, limits.maxTextChars));
    const criteria = detectCriteria(text);
    Object.assign(base, {
      page_count: null,
      ...read.extra,
      word_count: wordCount(text),
      char_count: text.length,
      language: await language(text),
      extract: shortExtract(text, EXTRACT_CHARS),
      criteria,
      domains: categoriesOf(criteria),
      text_truncated: truncated,
      summary: text.trim() ? leadSentences(text, SUMMARY_CHARS) : null,
      summary_source: text.trim() ? 'HEURISTIC' : null,
    });
    return {
      ok: true,
      metadata: describe(),
      summaryInput: shortExtract(text, limits.summaryInputChars),
    };
  } catch (err) {
    const error = err instanceof Unreadable ? err.message : reason(`Extraction of the ${format} failed`, err);
    return { ok: false, error, metadata: describe() };
  }
}

/** The content type of the first bytes alone (for a file too large to extract). */
export async function sniffContentType(head: Uint8Array): Promise<string | null> {
  return (await sniff(head)).mime;
}
