import { reminderBody } from '@vigil/domains/reminders/api-schemas';
import { createReminder } from '@vigil/domains/reminders/service';
import { z } from 'zod';
import type { Harness, HttpResult, TestWorkspace } from '../harness';

/** The API's reminder body, except that cron_expression may carry a seconds field. */
const secondsBody = reminderBody.extend({ cron_expression: z.string().min(1) });

/**
 * Creates a CUSTOM reminder whose cron has a seconds field (e.g. every 3 seconds) and
 * returns it as `GET .../reminders/{id}` answers. The API accepts only standard five-field
 * expressions (whole minutes), while the engine runs cron-parser's optional seconds field,
 * so tests that need occurrences within seconds create the reminder through the service,
 * after the same body validation as the API, as the admin of `ws`. Unless `body` says
 * otherwise it is a HIGH SECURITY reminder in Europe/Paris starting now, FIXED to its owner.
 */
export async function secondsCronReminder(
  h: Harness,
  ws: TestWorkspace,
  body: Record<string, unknown>,
): Promise<HttpResult> {
  const input = secondsBody.parse({
    category: 'SECURITY',
    priority: 'HIGH',
    frequency: 'CUSTOM',
    timezone: 'Europe/Paris',
    start_date: new Date().toISOString(),
    assignment_strategy: 'FIXED',
    ...body,
  });
  const row = await createReminder(h.deps.db, ws.ctx, input);
  return h.request('GET', `/workspaces/${ws.id}/reminders/${row.id}`, ws.adminToken);
}
