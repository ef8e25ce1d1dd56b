import { z } from 'zod';
import { durationToMs } from './obligations/rules';

/** Shared request/response building blocks for every domain's routes. */
export const idParam = z.object({ id: z.uuid() });
export const wsParam = z.object({ ws: z.uuid() });
export const wsIdParam = z.object({ ws: z.uuid(), id: z.uuid() });
export const isoDate = z.iso.datetime({ offset: true });
export const ts = z.string().describe('ISO-8601 timestamp');
export const nullableTs = ts.nullable();
export const okSchema = z.object({ ok: z.boolean() });
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

/** OpenAPI text for the member-owned reads scoped by people/visibility.ts. */
export const READ_SCOPE_TEXT =
  'Who reads what: admins, approvers and auditors read every member’s items; managers and members read their own, ' +
  'those of the people they manage (direct and indirect reports through manager_id) and those of the members of ' +
  'the teams they lead. A single item outside that scope answers 404, like an unknown id; a filter naming a member ' +
  'outside it gives an empty page.';
