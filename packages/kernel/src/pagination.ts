import { z } from 'zod';

/** Cursor pagination over time-ordered ids: `?limit=&cursor=` in, `{ data, next_cursor }` out. */
export const pageQuery = (max = 200) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(max).default(50),
    cursor: z.uuid().optional(),
  });

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Callers fetch `limit + 1` rows ordered by id; the extra row only says there is more. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const data = more ? rows.slice(0, limit) : rows;
  return { data, next_cursor: more ? (data[data.length - 1]?.id ?? null) : null };
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });
