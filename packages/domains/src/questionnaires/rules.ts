/**
 * Questionnaire parsing and analysis: pure functions over cell grids.
 *
 * A sheet's grid (rows of cells) becomes classified rows: the column header row
 * and section headings are HEADER rows, rows with an id or answer but no question
 * text are BLANK, everything else is a QUESTION. Analysis then drops duplicates
 * (same normalised text or same id), negatively answered questions ("No", "N/A",
 * "Not applicable": nothing to remind about) and turns the rest into reminder
 * suggestions clustered by domain.
 */

export type QuestionKind = 'QUESTION' | 'HEADER' | 'BLANK';
export type SuggestedCategory =
  | 'COMPLIANCE'
  | 'SECURITY'
  | 'AUDIT'
  | 'OPERATIONAL'
  | 'TRAINING'
  | 'REVIEW'
  | 'CUSTOM';
export type SuggestedFrequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'QUARTERLY' | 'SEMI_ANNUAL' | 'YEARLY';

export interface ParsedRow {
  sheet: string;
  rowNumber: number;
  questionId: string | null;
  text: string;
  answer: string | null;
  domain: string | null;
  isHeader: boolean;
  kind: QuestionKind;
}

export interface Suggestion {
  questionId: string;
  title: string;
  description: string;
  category: SuggestedCategory;
  frequency: SuggestedFrequency;
  domain: string;
  confidence: number;
}

export interface SkipSummary {
  duplicates: number;
  negatives: number;
  blanks: number;
  headers: number;
}

export interface Analysis {
  suggestions: Suggestion[];
  skipSummary: SkipSummary;
  skippedCount: number;
  domains: Record<string, number>;
}

const cellText = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  return String(v).replace(/\s+/g, ' ').trim();
};

/** Lower case, punctuation stripped, whitespace collapsed: the key duplicates are detected by. */
export function normaliseText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** True when the text carries no words (empty, dashes, question marks). */
export function isBlankText(s: string): boolean {
  return normaliseText(s) === '';
}

const NEGATIVE =
  /^(no|n\s*\/\s*a|na|not applicable|not relevant|none|false|never|not implemented|not in place)\b/i;

/** Answers that say the control does not apply or does not exist. */
export function isNegativeAnswer(answer: string | null | undefined): boolean {
  if (!answer) return false;
  return NEGATIVE.test(answer.trim());
}

const COLUMN_PATTERNS = {
  id: /^(id|#|no\.?|nr\.?|ref(erence)?|item|question id|question #|control id|control|q\s*#|q\s*id)$/i,
  question: /\b(questions?|requirements?|descriptions?|control text|item text|query)\b/i,
  answer: /\b(answers?|responses?|reply|yes\s*\/\s*no|status|compliant)\b/i,
  domain: /^(domain|category|section|area|topic|group)$/i,
};

export interface ColumnMap {
  id: number | null;
  question: number;
  answer: number | null;
  domain: number | null;
}

/** Recognises a column header row (at least a question column, and one other known column or none other filled). */
export function detectColumns(cells: string[]): ColumnMap | null {
  const find = (re: RegExp, skip: Array<number | null>) =>
    cells.findIndex((c, i) => c !== '' && !skip.includes(i) && c.length <= 40 && re.test(c));
  const id = find(COLUMN_PATTERNS.id, []);
  const question = find(COLUMN_PATTERNS.question, [id]);
  if (question < 0) return null;
  const answer = find(COLUMN_PATTERNS.answer, [id, question]);
  const domain = find(COLUMN_PATTERNS.domain, [id, question, answer]);
  const known = [id, answer, domain].filter((i) => i >= 0).length;
  const filled = cells.filter((c) => c !== '').length;
  if (known === 0 && filled > 1) return null;
  return {
    id: id >= 0 ? id : null,
    question,
    answer: answer >= 0 ? answer : null,
    domain: domain >= 0 ? domain : null,
  };
}

/** Without a header row: the widest text column holds the questions. */
function guessColumns(grid: string[][]): ColumnMap {
  // a loop, not Math.max(...rows): a spread of one argument per row overflows the stack on large sheets
  let width = 0;
  for (const r of grid) if (r.length > width) width = r.length;
  let best = 0;
  let bestLen = -1;
  for (let c = 0; c < width; c++) {
    const len = grid.reduce((n, r) => n + (r[c] ?? '').length, 0);
    if (len > bestLen) {
      best = c;
      bestLen = len;
    }
  }
  return { id: null, question: best, answer: null, domain: null };
}

/** A section heading: only the question cell filled, few words, no question mark. */
export function isSectionHeading(text: string, otherCellsFilled: boolean): boolean {
  if (otherCellsFilled || text === '' || text.includes('?')) return false;
  const words = text.split(' ').filter(Boolean).length;
  return words <= 5 && text.length <= 60 && !/[.:;,]$/.test(text);
}

/**
 * Classifies the rows of one sheet. Row numbers are 1-based like the spreadsheet's. A
 * completely empty row inside the sheet is a BLANK like a row without question text; empty
 * rows after the last filled one are not part of the questionnaire and are left out.
 */
export function parseSheet(sheet: string, grid: unknown[][]): ParsedRow[] {
  const rows = grid.map((r) => (Array.isArray(r) ? r.map(cellText) : []));
  let last = rows.length - 1;
  while (last >= 0 && (rows[last] ?? []).every((c) => c === '')) last--;
  let cols: ColumnMap | null = null;
  let headerRow = -1;
  for (let i = 0; i < Math.min(rows.length, 20) && cols === null; i++) {
    const found = detectColumns(rows[i] ?? []);
    if (found) {
      cols = found;
      headerRow = i;
    }
  }
  const map = cols ?? guessColumns(rows);
  const out: ParsedRow[] = [];
  rows.forEach((cells, i) => {
    if (i > last) return;
    if (cells.every((c) => c === '')) {
      const none = { questionId: null, answer: null, domain: null, isHeader: false };
      out.push({ sheet, rowNumber: i + 1, ...none, text: '', kind: 'BLANK' });
      return;
    }
    const at = (c: number | null) => (c === null ? '' : (cells[c] ?? ''));
    const text = at(map.question);
    const questionId = at(map.id) || null;
    const answer = at(map.answer) || null;
    const domain = at(map.domain) || null;
    const base = { sheet, rowNumber: i + 1, questionId, answer, domain };
    if (i === headerRow) {
      out.push({ ...base, text: cells.filter(Boolean).join(' | '), isHeader: true, kind: 'HEADER' });
      return;
    }
    if (i < headerRow) {
      out.push({ ...base, text: cells.filter(Boolean).join(' '), isHeader: true, kind: 'HEADER' });
      return;
    }
    const others = cells.some((c, k) => k !== map.question && c !== '');
    const filled = cells.filter((c) => c !== '');
    const lone = filled.length === 1 ? (filled[0] ?? '') : '';
    // a heading typed into another column (often the id column): words, no digits
    if (isBlankText(text) && lone !== '' && !/\d/.test(lone) && isSectionHeading(lone, false)) {
      out.push({
        ...base,
        questionId: null,
        answer: null,
        domain: null,
        text: lone,
        isHeader: true,
        kind: 'HEADER',
      });
    } else if (isBlankText(text)) out.push({ ...base, text: '', isHeader: false, kind: 'BLANK' });
    else if (isSectionHeading(text, others)) out.push({ ...base, text, isHeader: true, kind: 'HEADER' });
    else out.push({ ...base, text, isHeader: false, kind: 'QUESTION' });
  });
  return out;
}

const DOMAIN_KEYWORDS: Array<[string, RegExp]> = [
  [
    'access',
    /\b(access|mfa|multi-factor|password|authenticat\w*|privileged|sso|permission\w*|least privilege)\b/,
  ],
  ['backup', /\b(backups?|restore|recovery|disaster|business continuity|rto|rpo)\b/],
  ['incident', /\b(incidents?|breach\w*|forensic\w*|response plan)\b/],
  ['vendor', /\b(vendors?|suppliers?|third[- ]part\w*|subprocessors?|outsourc\w*)\b/],
  ['hr', /\b(employees?|background checks?|onboarding|offboarding|personnel|training|awareness|hr)\b/],
  ['privacy', /\b(privacy|personal data|gdpr|ccpa|pii|data subject|consent|retention)\b/],
  ['change', /\b(change management|changes?|deployments?|release\w*|code review)\b/],
  ['network', /\b(network\w*|firewall\w*|vpn|segmentation|intrusion|ids|ips|wi-?fi)\b/],
  ['physical', /\b(physical|badge\w*|cctv|premises|data cent(er|re)|visitors?)\b/],
  ['finance', /\b(financ\w*|invoice\w*|payments?|accounting|budget\w*|expenses?)\b/],
  [
    'security',
    /\b(security|encrypt\w*|vulnerabilit\w*|penetration|malware|antivirus|patch\w*|logging|siem)\b/,
  ],
];

/** The first keyword domain whose words the text mentions, or null. */
export function keywordDomain(text: string): string | null {
  const t = text.toLowerCase();
  for (const [domain, re] of DOMAIN_KEYWORDS) if (re.test(t)) return domain;
  return null;
}

/** An explicit domain column wins (normalised, free text); then keywords; then 'general'. */
export function classifyDomain(text: string, explicit: string | null): string {
  const given = explicit ? normaliseText(explicit) : '';
  if (given) return given;
  return keywordDomain(text) ?? 'general';
}

export function suggestedCategory(text: string, domain: string): SuggestedCategory {
  const t = text.toLowerCase();
  if (/\b(training|awareness)\b/.test(t)) return 'TRAINING';
  if (/\b(audit\w*|attest\w*)\b/.test(t) || domain === 'finance') return 'AUDIT';
  if (/\b(review\w*|re-?assess\w*)\b/.test(t)) return 'REVIEW';
  if (['security', 'access', 'network', 'incident', 'physical'].includes(domain)) return 'SECURITY';
  if (['backup', 'change'].includes(domain)) return 'OPERATIONAL';
  return 'COMPLIANCE';
}

const FREQUENCY_WORDS: Array<[SuggestedFrequency, RegExp]> = [
  ['SEMI_ANNUAL', /\b(semi-?annual\w*|bi-?annual\w*|twice a year|every six months|every 6 months)\b/],
  ['QUARTERLY', /\b(quarterly|every quarter|each quarter)\b/],
  ['MONTHLY', /\b(monthly|every month|each month)\b/],
  ['WEEKLY', /\b(weekly|every week|each week)\b/],
  ['DAILY', /\b(daily|every day|each day|nightly)\b/],
  ['YEARLY', /\b(annual\w*|yearly|every year|each year|once a year)\b/],
];

/** The frequency the text names, and whether it named one (the default is YEARLY). */
export function suggestedFrequency(text: string): { frequency: SuggestedFrequency; explicit: boolean } {
  const t = text.toLowerCase();
  for (const [f, re] of FREQUENCY_WORDS) if (re.test(t)) return { frequency: f, explicit: true };
  return { frequency: 'YEARLY', explicit: false };
}

const SUBJECT =
  /^(do|does|did)\s+(you|we|your (organi[sz]ation|company|team)|the (organi[sz]ation|company|vendor))\s+/i;
const VERIFY = /^(is|are|was|were|has|have|can|will|should)\s+/i;
export const TITLE_MAX = 120;

/** A short imperative title: "Do you review access quarterly?" → "Review access quarterly". */
export function suggestedTitle(text: string): string {
  let t = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[?.!:]+$/, '');
  if (SUBJECT.test(t)) t = t.replace(SUBJECT, '');
  else if (VERIFY.test(t)) t = `Verify ${t.replace(VERIFY, '').replace(/^there\s+(an?\s+)?/i, '')}`;
  else if (/^(please\s+)?(describe|explain|provide|list)\s+/i.test(t))
    t = `Document ${t.replace(/^(please\s+)?(describe|explain|provide|list)\s+/i, '')}`;
  t = t.trim();
  if (t === '') t = 'Review questionnaire item';
  t = t.charAt(0).toUpperCase() + t.slice(1);
  if (t.length <= TITLE_MAX) return t;
  const cut = t.slice(0, TITLE_MAX - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 40 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Heuristic confidence in 0..1: a recognised domain, a named frequency, an id and a "yes" raise it. */
export function confidenceScore(f: {
  keywordMatched: boolean;
  frequencyExplicit: boolean;
  hasId: boolean;
  affirmative: boolean;
}): number {
  let s = 0.4;
  if (f.keywordMatched) s += 0.25;
  if (f.frequencyExplicit) s += 0.15;
  if (f.hasId) s += 0.1;
  if (f.affirmative) s += 0.1;
  return Math.round(Math.min(1, Math.max(0, s)) * 100) / 100;
}

/** Questions keep their spreadsheet id; rows without one get "<sheet>!<row>". */
export const sourceQuestionId = (r: Pick<ParsedRow, 'sheet' | 'rowNumber' | 'questionId'>): string =>
  r.questionId ?? `${r.sheet}!${r.rowNumber}`;

/** Drops noise and turns the remaining questions into suggestions, counting what was skipped and why. */
export function analyzeRows(rows: ParsedRow[]): Analysis {
  const skip: SkipSummary = { duplicates: 0, negatives: 0, blanks: 0, headers: 0 };
  const seenText = new Set<string>();
  const seenId = new Set<string>();
  const suggestions: Suggestion[] = [];
  const domains: Record<string, number> = {};
  for (const r of rows) {
    if (r.kind === 'HEADER') {
      skip.headers++;
      continue;
    }
    if (r.kind === 'BLANK' || isBlankText(r.text)) {
      skip.blanks++;
      continue;
    }
    const key = normaliseText(r.text);
    const id = sourceQuestionId(r);
    if (seenText.has(key) || seenId.has(id)) {
      skip.duplicates++;
      continue;
    }
    seenText.add(key);
    seenId.add(id);
    if (isNegativeAnswer(r.answer)) {
      skip.negatives++;
      continue;
    }
    const domain = classifyDomain(r.text, r.domain);
    const freq = suggestedFrequency(r.text);
    domains[domain] = (domains[domain] ?? 0) + 1;
    suggestions.push({
      questionId: id,
      title: suggestedTitle(r.text),
      description: r.answer ? `${r.text}\n\nAnswer: ${r.answer}` : r.text,
      category: suggestedCategory(r.text, domain),
      frequency: freq.frequency,
      domain,
      confidence: confidenceScore({
        keywordMatched: keywordDomain(r.text) !== null,
        frequencyExplicit: freq.explicit,
        hasId: r.questionId !== null,
        affirmative: /^(yes|y|true|implemented|in place)\b/i.test(r.answer ?? ''),
      }),
    });
  }
  const skippedCount = skip.duplicates + skip.negatives + skip.blanks + skip.headers;
  return { suggestions, skipSummary: skip, skippedCount, domains };
}

// ---- upload bytes ----

export type SpreadsheetFormat = 'xlsx' | 'xls';

/** By magic bytes: xlsx is a zip (PK\x03\x04), xls an OLE2 compound file (D0 CF 11 E0 A1 B1 1A E1). */
export function sniffSpreadsheet(buf: Uint8Array): SpreadsheetFormat | null {
  const starts = (sig: number[]) => sig.every((b, i) => buf[i] === b);
  if (starts([0x50, 0x4b, 0x03, 0x04])) return 'xlsx';
  if (starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'xls';
  return null;
}
