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

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
export type CamelPatch<T, K extends keyof T & string> = {
  [P in K as Camel<P>]?: Exclude<T[P], undefined>;
};

/**
 * The given snake_case fields of an API input that are present (not undefined), as the
 * camelCase columns of a row patch: the inverse of `toJson` for the fields a PATCH may set.
 */
export function toColumns<T extends object, K extends keyof T & string>(
  input: T,
  keys: readonly K[],
): CamelPatch<T, K> {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = input[k];
    if (v !== undefined) out[camel(k)] = v;
  }
  return out as CamelPatch<T, K>;
}
