import { z } from 'zod';
import { durationToMs } from './obligations/rules';
import { PERCENT_DESCRIPTION } from './percent';

/** Shared request/response building blocks for every domain's routes. */
export const idParam = z.object({ id: z.uuid() });
export const wsParam = z.object({ ws: z.uuid() });
export const wsIdParam = z.object({ ws: z.uuid(), id: z.uuid() });
export const isoDate = z.iso.datetime({ offset: true });
export const ts = z.string().describe('ISO-8601 timestamp');
export const nullableTs = ts.nullable();
export const okSchema = z.object({ ok: z.boolean() });
/** Every rate in the API (see percent.ts). */
export const percentSchema = z.number().min(0).max(100).describe(PERCENT_DESCRIPTION);
/** Query booleans: "true"/"false"/"1"/"0". */
export const qbool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** An ISO-8601 duration the engine can use (validated by the same parser the engine plans with). */
export const isoDuration = z.string().refine(
  (v) => {
    try {
      durationToMs(v);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'ISO-8601 duration, e.g. PT24H, P3D or PT2S' },
);
