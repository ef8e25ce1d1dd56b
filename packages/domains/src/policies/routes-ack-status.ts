import { z } from 'zod';
import { nullableTs, READ_SCOPE_TEXT, ts } from '../api-schemas';
import { route } from '../deps';
import { acknowledgementsOfPolicy } from './ack-by-policy';

/** One policy's line of GET /api/acknowledge/status. */
export const ackStatusRow = z.object({
  policy_id: z.uuid(),
  policy_name: z.string().nullable(),
  applies: z.boolean().describe("Whether the policy applies to the member's roles (or to everyone)"),
  active_version_id: z.uuid().nullable(),
  status: z.enum(['PENDING', 'OVERDUE', 'ACKNOWLEDGED', 'OUTDATED', 'NOT_REQUESTED']),
  due_at: nullableTs,
  request_id: z.uuid().nullable().describe('The open request, when there is one'),
  last_acknowledged_version_id: z.uuid().nullable(),
  last_acknowledged_at: nullableTs,
});

/** Acknowledgement status read per policy (who was asked, and where each stands). */
export const ackStatusRoutes = [
  route({
    method: 'get',
    path: '/api/policies/:policy_id/acknowledgements',
    tag: 'Policies',
    summary: "Who was asked to acknowledge a policy and where each stands (each member's latest request)",
    description: `ACKNOWLEDGED only when the acknowledged version is the active one; an older one is OUTDATED. Cancelled requests are left out. ${READ_SCOPE_TEXT}`,
    params: z.object({ policy_id: z.uuid() }),
    response: z.object({
      policy_id: z.uuid(),
      policy_name: z.string(),
      active_version_id: z.uuid().nullable(),
      data: z.array(
        z.object({
          member_id: z.uuid(),
          member_name: z.string(),
          member_email: z.string(),
          request_id: z.uuid(),
          policy_version_id: z.uuid(),
          version_number: z.number().int(),
          status: z.enum(['PENDING', 'OVERDUE', 'ACKNOWLEDGED', 'OUTDATED']),
          due_at: ts,
          acknowledged_at: nullableTs,
        }),
      ),
    }),
    handler: async ({ params, ctx, deps }) => acknowledgementsOfPolicy(deps.db, ctx, params.policy_id),
  }),
];
