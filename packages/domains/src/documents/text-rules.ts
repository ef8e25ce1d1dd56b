// Pure text rules of document metadata extraction: clean text, word count, extract, lead
// sentences, CSV sniffing and the SOC 2 criteria a text mentions. No I/O.
import { CRITERIA, type TrustServicesCategory } from './criteria';

// --- metadata extraction: text rules -------------------------------------------------------

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text as Postgres jsonb stores it: no NUL or other control characters (tab and newlines stay), no lone surrogates. */
export const cleanText = (s: string) => s.replace(TEXT_CONTROL, ' ').replace(LONE_SURROGATE, '\uFFFD');

/** Words: runs of non-space characters holding a letter or a digit. */
export const wordCount = (text: string) =>
  (text.match(/\S+/g) ?? []).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/** The text with runs of white space made one space, cut at a word boundary to at most `max` characters (… marks a cut). */
export function shortExtract(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= max) return flat;
  const head = chars.slice(0, Math.max(0, max - 1)).join('');
  const space = head.lastIndexOf(' ');
  return `${space > max / 2 ? head.slice(0, space) : head}…`;
}

/** A heuristic summary: the leading sentences of the text, at most `max` characters. */
export function leadSentences(text: string, max = 300): string {
  const sentences = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+/);
  let out = '';
  for (const s of sentences) {
    const next = out ? `${out} ${s}` : s;
    if (Array.from(next).length > max) break;
    out = next;
  }
  return out || shortExtract(text, max);
}

/** The delimiter when the text reads as CSV: at least two lines, each of the first 20 with the same number (≥ 1) of it outside quotes. */
export function looksLikeCsv(text: string): ',' | ';' | '\t' | null {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  if (lines.length < 2) return null;
  for (const d of [',', ';', '\t'] as const) {
    const counts = lines.map((line) => {
      let n = 0;
      let quoted = false;
      for (const c of line) {
        if (c === '"') quoted = !quoted;
        else if (c === d && !quoted) n++;
      }
      return n;
    });
    if (counts[0] && counts.every((n) => n === counts[0])) return d;
  }
  return null;
}

export interface DetectedCriterion {
  id: string;
  name: string;
  category: TrustServicesCategory;
  /** strong phrases 2, weak ones 1, an explicit reference (CC6.1) 3; detected from 2 */
  score: number;
  /** occurrences of its phrases and references */
  hits: number;
  /** the distinct phrases and references found, at most 8 */
  matches: string[];
}

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
const PHRASES = CRITERIA.flatMap((c, index) => [
  ...c.phrases.map((p) => ({ index, words: words(p), text: p, weight: 2 })),
  ...(c.weak ?? []).map((p) => ({ index, words: words(p), text: p, weight: 1 })),
]);
const BY_FIRST_WORD = new Map<string, typeof PHRASES>();
for (const p of PHRASES)
  BY_FIRST_WORD.set(p.words[0] ?? '', [...(BY_FIRST_WORD.get(p.words[0] ?? '') ?? []), p]);
const REFERENCE = /(?<![\p{L}\p{N}])(CC[1-9]|PI1|A1|C1|P[1-8])(\.\d{1,2})?(?![\p{L}\p{N}])/giu;

/**
 * The SOC 2 criteria (criteria.ts) a text mentions, in criteria order: phrases match whole
 * words case-insensitively (the last word also plural), punctuation between words ignored.
 * An explicit reference counts for its criterion: CC1–CC9 alone or with a point (CC6.1); A1, C1,
 * PI1 and P1–P8 only with a point (A1.2), since "A1" or "P1" alone is usually something else.
 */
export function detectCriteria(text: string): DetectedCriterion[] {
  const found = CRITERIA.map(() => ({ score: 0, hits: 0, matches: new Set<string>() }));
  const tokens = words(text);
  for (let i = 0; i < tokens.length; i++) {
    const t0 = tokens[i] as string;
    const candidates = [t0, t0.endsWith('s') && t0.slice(0, -1), t0.endsWith('es') && t0.slice(0, -2)];
    for (const p of candidates.flatMap((t) => (t ? (BY_FIRST_WORD.get(t) ?? []) : []))) {
      const last = p.words.length - 1;
      const ok = p.words.every((w, j) => {
        const t = tokens[i + j];
        return t === w || (j === last && (t === `${w}s` || t === `${w}es`));
      });
      const f = found[p.index];
      if (!ok || !f) continue;
      f.hits++;
      if (!f.matches.has(p.text)) f.score += p.weight;
      f.matches.add(p.text);
    }
  }
  for (const m of text.matchAll(REFERENCE)) {
    const id = (m[1] as string).toUpperCase();
    if (!m[2] && !id.startsWith('CC')) continue;
    const f = found[CRITERIA.findIndex((c) => c.id === id)];
    if (!f) continue;
    const ref = `${id}${m[2] ?? ''}`;
    f.hits++;
    if (!f.matches.has(ref)) f.score += 3;
    f.matches.add(ref);
  }
  return CRITERIA.flatMap((c, i) => {
    const f = found[i];
    if (!f || f.score < 2) return [];
    return [
      {
        id: c.id,
        name: c.name,
        category: c.category,
        score: f.score,
        hits: f.hits,
        matches: [...f.matches].slice(0, 8),
      },
    ];
  });
}

/** The trust services categories (domains) of the detected criteria, in the order of criteria.ts. */
export const categoriesOf = (found: readonly DetectedCriterion[]): TrustServicesCategory[] => [
  ...new Set(found.map((c) => c.category)),
];
