const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

type Snake<S extends string> = S extends `${infer H}${infer T}`
  ? H extends Lowercase<H>
    ? `${H}${Snake<T>}`
    : `_${Lowercase<H>}${Snake<T>}`
  : S;
type Jsonish<V> = V extends Date ? string : V extends Date | null ? string | null : V;
export type SnakeRow<T> = { [K in keyof T as K extends string ? Snake<K> : never]: Jsonish<T[K]> };

/** A database row (camelCase, Dates) as the API's JSON (snake_case, ISO strings). Nested JSON is kept as stored. */
export function toJson<T extends Record<string, unknown>>(row: T): SnakeRow<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[snake(k)] = v instanceof Date ? v.toISOString() : v;
  return out as SnakeRow<T>;
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
