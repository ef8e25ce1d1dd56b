import { z } from 'zod';
import { isoDuration } from '../api-schemas';
import { durationToMs, LEVELS, type Level } from '../obligations/rules';

/** Who an escalation level notifies; MEMBERS and TEAM name ids of the caller's workspace. */
export const targetSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('TEAM_LEAD') }),
  z.strictObject({ type: z.literal('MANAGER') }),
  z.strictObject({ type: z.literal('DIRECTOR') }),
  z.strictObject({ type: z.literal('VP_EXEC') }),
  z.strictObject({ type: z.literal('CXO') }),
  z.strictObject({ type: z.literal('MEMBERS'), ids: z.array(z.uuid()).min(1).max(50) }),
  z.strictObject({ type: z.literal('TEAM'), id: z.uuid() }),
]);
const channels = z
  .array(z.enum(['email', 'slack', 'log']))
  .min(1)
  .max(3);
/** One level: `after` (1 second to 5 years) past the deadline, or past opening for tickets. */
export const ladderLevelSchema = z.strictObject({
  level: z.enum(LEVELS),
  after: isoDuration,
  target: targetSchema,
  channels,
});

const ms = (iso: string): number => {
  try {
    return durationToMs(iso);
  } catch {
    return Number.NaN;
  }
};

/** A ladder the engine can climb (resolveLadder): levels L1 → L4 in order, each `after` no earlier than the last. */
type Rung = { level: Level; after: string };
function climbable(levels: readonly Rung[], ctx: z.RefinementCtx): void {
  for (let i = 1; i < levels.length; i++) {
    const prev = levels[i - 1] as Rung;
    const cur = levels[i] as Rung;
    if (LEVELS.indexOf(cur.level) <= LEVELS.indexOf(prev.level))
      ctx.addIssue({
        code: 'custom',
        path: [i, 'level'],
        message: 'Levels must be in increasing order (L1 before L2 ...)',
      });
    if (ms(cur.after) < ms(prev.after))
      ctx.addIssue({ code: 'custom', path: [i, 'after'], message: `Earlier than ${prev.level}'s after` });
  }
}

/** An obligation's own ladder (e.g. a reminder's escalation_config): one to four levels. */
export const ladderSchema = z.array(ladderLevelSchema).min(1).max(4).superRefine(climbable);
/** The workspace default ladder: up to four levels (empty: no escalation by default). */
export const defaultLadderSchema = z.array(ladderLevelSchema).max(4).superRefine(climbable);
/** An escalation matrix's rules: ladder levels, each optionally for one ticket status. */
export const matrixRuleSchema = ladderLevelSchema.extend({ status: z.string().max(32).optional() });
export const matrixRulesSchema = z.array(matrixRuleSchema).min(1).max(4).superRefine(climbable);
