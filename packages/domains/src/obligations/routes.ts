import { WRITERS } from '@vigil/kernel/auth';
import { z } from 'zod';
import { nullableTs, ts, wsParam } from '../api-schemas';
import { route } from '../deps';
import { myInbox } from './inbox';
import { obligationLadder } from './ladder';
import { nudgeObligation } from './nudge';
import { LEVELS } from './rules';

const level = z.enum(LEVELS).nullable();
const kindParams = z.object({
  ws: z.uuid(),
  kind: z.enum([
    'training_assignment',
    'member_certification',
    'reminder_instance',
    'acknowledgement_request',
    'ticket',
  ]),
  id: z.uuid(),
});

const ladderSchema = z.object({
  kind: z.string(),
  id: z.uuid(),
  title: z.string(),
  status: z.string(),
  terminal: z.boolean(),
  owner_id: z.uuid().nullable(),
  owner_name: z.string().nullable(),
  due_at: nullableTs,
  clock: z
    .enum(['DUE', 'OPENED'])
    .describe('The ladder counts from the deadline (DUE) or from opening (tickets)'),
  current_level: level,
  escalation_acknowledged: z.boolean(),
  next_step: z.object({ action: z.string(), level, at: ts }).nullable(),
  levels: z.array(
    z.object({
      level: z.enum(LEVELS),
      after: z.string().describe('ISO-8601 duration after the clock start'),
      target: z
        .record(z.string(), z.unknown())
        .describe('TEAM_LEAD, MANAGER, DIRECTOR, VP_EXEC, CXO, MEMBERS or TEAM'),
      channels: z.array(z.string()),
      at: nullableTs.describe('When the level fires (fired: when it was planned)'),
      state: z.enum(['FIRED', 'PENDING', 'STOPPED']),
      fired_at: nullableTs,
      acknowledged: z.boolean(),
      notified: z.array(z.string()).describe('Names notified (FIRED) or who the level would notify today'),
    }),
  ),
  workflow: z.object({
    id: z.string().describe('The business key, e.g. ticket/<id>'),
    namespace: z.string(),
    url: z.string().describe('Its page in the Temporal Web UI (TEMPORAL_UI_URL)'),
  }),
});

const inboxSchema = z.object({
  data: z.array(
    z.object({
      kind: z
        .string()
        .describe(
          'training_assignment, reminder_instance, acknowledgement_request, member_certification or ticket',
        ),
      id: z.uuid(),
      title: z.string(),
      status: z.string(),
      due_at: nullableTs,
      overdue: z.boolean(),
      current_escalation_level: level,
      next_step: z
        .object({ action: z.string(), level: level.optional(), at: ts, description: z.string() })
        .nullable()
        .describe('What the engine does next and when, e.g. "escalates to your manager in 2 days"'),
    }),
  ),
  escalations: z
    .array(
      z.object({
        id: z.uuid(),
        kind: z.string(),
        obligation_id: z.uuid(),
        level: z.string(),
        fired_at: ts,
      }),
    )
    .describe('Escalations addressed to the caller, not yet acknowledged, on obligations still open'),
});

export const obligationRoutes = [
  route({
    method: 'get',
    path: '/workspaces/:ws/me/obligations',
    tag: 'Obligations',
    summary: "The caller's inbox: their open items across every kind, overdue first, then by due date",
    description:
      'Every role reads its own inbox, and only its own: training assignments, reminder instances assigned to the caller, policy acknowledgements, certifications expiring or expired, and tickets assigned to (or reported by) the caller, each with its next step as the engine plans it; plus the escalations addressed to the caller.',
    params: wsParam,
    response: inboxSchema,
    handler: async ({ ctx, deps }) => {
      const now = new Date();
      const inbox = await myInbox(deps.db, ctx, now);
      return {
        data: inbox.items.map((i) => ({
          kind: i.kind,
          id: i.id,
          title: i.title,
          status: i.status,
          due_at: i.dueAt?.toISOString() ?? null,
          overdue: i.overdue,
          current_escalation_level: i.escalationLevel,
          next_step: i.next
            ? {
                action: i.next.action,
                level: i.next.level ?? null,
                at: i.next.at.toISOString(),
                description: i.nextStep ?? '',
              }
            : null,
        })),
        escalations: inbox.escalations.map((e) => ({
          id: e.id,
          kind: e.kind,
          obligation_id: e.obligationId,
          level: e.level,
          fired_at: e.firedAt.toISOString(),
        })),
      };
    },
  }),
  route({
    method: 'post',
    path: '/workspaces/:ws/obligations/:kind/:id/nudge',
    tag: 'Obligations',
    summary: 'Send the owner of an open obligation one reminder now (once per obligation per UTC day)',
    description:
      "For managers, team leads and admins: the caller must read the owner's items (their reports, their team's members, or everyone for admins); otherwise 404. The reminder goes through the outbox by the owner's channels and is audited (OBLIGATION_NUDGED). A second nudge the same UTC day answers 429; a finished obligation 409.",
    roles: WRITERS,
    status: 202,
    params: kindParams,
    response: z.object({ notification_ids: z.array(z.uuid()), step_key: z.string() }),
    handler: async ({ params, ctx, deps }) => nudgeObligation(deps, ctx, params.kind, params.id),
  }),
  route({
    method: 'get',
    path: '/workspaces/:ws/obligations/:kind/:id/ladder',
    tag: 'Obligations',
    summary:
      "An obligation's escalation ladder: each level's target, time and state, and its Temporal workflow",
    description:
      "Levels L1..L4 as the engine plans them: FIRED (when, whom it notified, acknowledged), PENDING (when it fires unless the item is done or acknowledged, and whom it would notify today) or STOPPED. The workflow's id is the business key and its Web UI link uses TEMPORAL_UI_URL. Readable by whoever reads the owner's items (their own, their reports' and team's, or everyone's for admins, approvers and auditors); an item without an owner by those who read everyone's; otherwise 404.",
    params: kindParams,
    response: ladderSchema,
    handler: async ({ params, ctx, deps }) => obligationLadder(deps, ctx, params.kind, params.id),
  }),
];
