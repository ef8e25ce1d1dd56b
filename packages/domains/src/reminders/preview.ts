import { WRITERS } from '@vigil/kernel/auth';
import { BadRequest } from '@vigil/kernel/errors';
import { formatInTimeZone } from 'date-fns-tz';
import { z } from 'zod';
import { isoDate, ts, wsParam } from '../api-schemas';
import { route } from '../deps';
import { FREQUENCIES, type Frequency, nextOccurrences, validateSchedule, wallTimeToInstant } from './rules';

/** A local wall-clock time, `yyyy-MM-ddTHH:mm` (seconds optional), read in the body's time zone. */
const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'Must be yyyy-MM-ddTHH:mm');

const previewBody = z
  .strictObject({
    frequency: z.enum(FREQUENCIES),
    cron_expression: z.string().trim().min(1).max(200).nullable().optional(),
    timezone: z.string().min(1).max(64).default('UTC'),
    start_date: isoDate.optional(),
    start_local: localTime.optional().describe('The first occurrence as wall-clock time in `timezone`'),
    end_date: isoDate.nullable().optional(),
    count: z.number().int().min(1).max(50).default(10),
  })
  .refine((b) => (b.start_date === undefined) !== (b.start_local === undefined), {
    message: 'Give exactly one of start_date and start_local',
    path: ['start_date'],
  });

const previewSchema = z.object({
  timezone: z.string(),
  start_date: ts.describe('The first occurrence as an instant (what POST /reminders takes as start_date)'),
  occurrences: z.array(
    z.object({
      at: ts,
      local: z.string().describe('Wall-clock time in the reminder’s time zone, with its abbreviation'),
    }),
  ),
});

/**
 * The next occurrences a schedule would produce, computed by the same rules the planner uses
 * (reminders/rules.ts), from now or the first occurrence, whichever is later: what a reminder
 * created with this schedule would plan. Nothing is stored.
 */
export const previewRoute = route({
  method: 'post',
  path: '/workspaces/:ws/reminders/preview',
  tag: 'Reminders',
  summary: 'Preview the next occurrences of a schedule in its time zone (nothing is stored)',
  description:
    'The body is the schedule part of a reminder. `start_local` is read as wall-clock time in `timezone` (a time in a DST gap moves to the transition, an ambiguous one takes the earlier instant), so a client never converts zones itself; the answer gives the instant to create the reminder with. Every role that writes may preview (it writes nothing); auditors, who create no reminder, are refused as on every other non-GET but the evidence-pack request. An invalid schedule answers 400 with the same issues as POST /reminders.',
  roles: WRITERS,
  status: 200,
  params: wsParam,
  body: previewBody,
  response: previewSchema,
  handler: async ({ body }) => {
    const tz = body.timezone;
    const start = body.start_local
      ? (() => {
          const [d, t] = body.start_local.split('T') as [string, string];
          const [y, m, day] = d.split('-').map(Number) as [number, number, number];
          const [hh, mm, ss] = t.split(':').map(Number) as [number, number, number?];
          const wall = Date.UTC(y, m - 1, day, hh, mm, ss ?? 0);
          return validateSchedule({ frequency: 'ONCE', timezone: tz, startDate: new Date(0) }).length
            ? new Date(Number.NaN)
            : new Date(wallTimeToInstant(wall, tz));
        })()
      : new Date(body.start_date as string);
    const spec = {
      frequency: body.frequency as Frequency,
      cronExpression: body.cron_expression ?? null,
      timezone: tz,
      startDate: start,
      endDate: body.end_date ? new Date(body.end_date) : null,
    };
    const issues = validateSchedule(spec).map((i) => ({ field: `body.${i.field}`, message: i.message }));
    if (issues.length) throw new BadRequest(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues);
    const after = new Date(Math.max(start.getTime(), Date.now()) - 1);
    return {
      timezone: tz,
      start_date: start.toISOString(),
      occurrences: nextOccurrences(spec, after, body.count).map((d) => ({
        at: d.toISOString(),
        local: formatInTimeZone(d, tz, 'EEE d MMM yyyy, HH:mm zzz'),
      })),
    };
  },
});
