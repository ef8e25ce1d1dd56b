/**
 * The input policy every request meets before any schema sees it (the API's mount and
 * `parseOrThrow`). Path, query and JSON body values are walked once, iteratively, so a
 * hostile document cannot exhaust the stack:
 *
 * - a string, or an object key, holding a NUL (U+0000) or a lone UTF-16 surrogate is
 *   refused: Postgres cannot store NUL in text or jsonb, and a lone surrogate is not
 *   Unicode (text would silently get U+FFFD, jsonb refuses it);
 * - a value nested more than `MAX_JSON_DEPTH` levels deep inside a field is refused,
 *   naming that field (free-form JSON included: zod, JSON.stringify, the audit hash and
 *   Postgres all recurse).
 *
 * Free-form JSON fields also have a size limit (`MAX_FREE_JSON_BYTES`), checked by their
 * schema (see `jsonByteLength`).
 */
import type { FieldError } from './errors';

export type InputPart = 'body' | 'query' | 'path';

/** Container levels a field's value may nest: `{"a": {"b": 1}}` is 2. */
export const MAX_JSON_DEPTH = 32;
/** Serialized size (UTF-8 bytes) a free-form JSON field may have. */
export const MAX_FREE_JSON_BYTES = 32 * 1024;
/** A request with many bad values reports the first ones only. */
const MAX_ERRORS = 20;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be accepted, or null when it can. */
export function stringProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'Contains a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'Contains a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}

interface Frame {
  value: unknown;
  path: string[];
  depth: number;
}

/**
 * Every violation of the input policy in one part of a request, each naming its field
 * (`body.details.note`; a bad key names the object holding it; too deep names the
 * field whose value nests too deep, e.g. `body.details`). Empty when the input is clean.
 */
export function inputPolicyErrors(where: InputPart, value: unknown, maxDepth = MAX_JSON_DEPTH): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const report = (field: string, message: string) => {
    const key = `${field}\n${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    errors.push({ field, message });
  };
  const stack: Frame[] = [{ value, path: [where], depth: 0 }];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const { value: v, path, depth } = stack.pop() as Frame;
    if (typeof v === 'string') {
      const problem = stringProblem(v);
      if (problem) report(path.join('.'), problem);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    // The part itself (the whole body) is level 0; a field's value is level 1.
    if (depth > maxDepth) {
      report(path.slice(0, 2).join('.'), `Nested deeper than ${maxDepth} levels`);
      continue;
    }
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    const children: Frame[] = [];
    for (const [key, child] of entries) {
      if (!Array.isArray(v)) {
        const problem = stringProblem(key);
        if (problem) report(path.join('.'), `A key ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`);
      }
      children.push({ value: child, path: [...path, key], depth: depth + 1 });
    }
    // Reversed, so the stack visits fields in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Frame);
  }
  return errors;
}

/** Container levels of a JSON value (a scalar is 0), counted without recursion. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, depth + 1);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

/** UTF-8 size of a JSON value as stored; call it only on values within MAX_JSON_DEPTH. */
export const jsonByteLength = (value: unknown): number =>
  Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
