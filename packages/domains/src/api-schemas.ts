import { jsonByteLength, jsonDepth, MAX_FREE_JSON_BYTES, MAX_JSON_DEPTH } from '@vigil/kernel/input-policy';
import { z } from 'zod';
import { durationProblem } from './durations';
import { PERCENT_DESCRIPTION } from './percent';

/** Shared request/response building blocks for every domain's routes. */
export const idParam = z.object({ id: z.uuid() });
export const wsParam = z.object({ ws: z.uuid() });
export const wsIdParam = z.object({ ws: z.uuid(), id: z.uuid() });
export const isoDate = z.iso.datetime({ offset: true });
/** An ISO-8601 timestamp that must still be ahead when the request arrives (e.g. a token's expiry). */
export const futureIsoDate = isoDate.refine((v) => Date.parse(v) > Date.now(), {
  message: 'Must be in the future',
});
export const ts = z.string().describe('ISO-8601 timestamp');
export const nullableTs = ts.nullable();
export const okSchema = z.object({ ok: z.boolean() });
/** Every rate in the API (see percent.ts). */
export const percentSchema = z.number().min(0).max(100).describe(PERCENT_DESCRIPTION);
/** Query booleans: "true"/"false"/"1"/"0". */
export const qbool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const duration = (atDeadline: boolean) =>
  z
    .string()
    .max(64)
    .superRefine((v, ctx) => {
      const problem = durationProblem(v, { atDeadline });
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/**
 * An ISO-8601 duration the engine can use (validated by the same parser it plans with),
 * between 1 second and 5 years: escalation ladder steps, expiring-soon windows, deadlines.
 */
export const isoDuration = duration(false);
/** An offset before a deadline: 1 second to 5 years, or PT0S for at the deadline itself. */
export const isoOffset = duration(true);

/**
 * A free-form JSON object (audit details, policy config): at most MAX_JSON_DEPTH levels
 * deep and MAX_FREE_JSON_BYTES serialized. The input policy already refused NUL, lone
 * surrogates and deeper documents before this schema runs.
 */
export const freeJson = (maxBytes = MAX_FREE_JSON_BYTES) =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    if (jsonDepth(value) > MAX_JSON_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `Nested deeper than ${MAX_JSON_DEPTH} levels` });
      return;
    }
    const bytes = jsonByteLength(value);
    if (bytes > maxBytes)
      ctx.addIssue({ code: 'custom', message: `Larger than ${maxBytes} bytes as JSON (${bytes})` });
  });

/** OpenAPI text for the member-owned reads scoped by people/visibility.ts. */
export const READ_SCOPE_TEXT =
  'Who reads what: admins, approvers and auditors read every member’s items; managers and members read their own, ' +
  'those of the people they manage (direct and indirect reports through manager_id) and those of the members of ' +
  'the teams they lead. A single item outside that scope answers 404, like an unknown id; a filter naming a member ' +
  'outside it gives an empty page.';
