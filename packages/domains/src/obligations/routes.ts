import { WRITERS } from '@vigil/kernel/auth';
import { z } from 'zod';
import { nullableTs, percentSchema, ts, wsParam } from '../api-schemas';
import { route } from '../deps';
import { PERCENT_DESCRIPTION } from '../percent';
import { acknowledgeMyEscalation } from './escalation-ack';
import { type InboxItem, myInbox } from './inbox';
import { obligationLadder } from './ladder';
import { nudgeObligation } from './nudge';
import { LEVELS } from './rules';
import { myTeam } from './team';

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

const itemSchema = z.object({
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
});

const itemJson = (i: InboxItem) => ({
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
});

const completion = (what: string) =>
  z.object({
    id: z.uuid().describe(`The ${what}`),
    name: z.string(),
    asked: z.number().int().describe('Members of the team asked'),
    done: z.number().int(),
    overdue: z.number().int(),
    rate: percentSchema
      .nullable()
      .describe(`${PERCENT_DESCRIPTION}: done over asked; null when nobody was asked`),
  });

const teamSchema = z.object({
  members: z
    .array(z.object({ id: z.uuid(), name: z.string(), email: z.string() }))
    .describe("The caller's direct and indirect reports and the members of the teams they lead"),
  data: z.array(itemSchema.extend({ owner: z.object({ id: z.uuid(), name: z.string() }) })),
  training: z
    .array(completion('mandatory training'))
    .describe("Per training: the team's latest cycle, waived assignments left out; done is COMPLETED"),
  policies: z
    .array(completion('policy'))
    .describe("Per policy: each member's latest non-cancelled request; done is ACKNOWLEDGED"),
});

const inboxSchema = z.object({
  data: z.array(itemSchema),
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
        data: inbox.items.map(itemJson),
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
    method: 'get',
    path: '/workspaces/:ws/me/team/obligations',
    tag: 'Obligations',
    summary:
      "The caller's team: their reports' open items (overdue first), and completion per training and policy",
    description:
      "Every role may ask; the team is the caller's direct and indirect reports (members.manager_id) and the members of the teams they lead, never the caller and never anyone else (an admin's team is their reports too). Each item is as in the inbox, with its owner; an empty team answers empty lists. Managers, team leads and admins nudge an item with POST .../obligations/{kind}/{id}/nudge.",
    params: wsParam,
    response: teamSchema,
    handler: async ({ ctx, deps }) => {
      const team = await myTeam(deps.db, ctx, new Date());
      const names = new Map(team.members.map((m) => [m.id, m.name]));
      return {
        members: team.members,
        data: team.items.map((i) => ({
          ...itemJson(i),
          owner: { id: i.ownerId, name: names.get(i.ownerId) ?? '' },
        })),
        training: team.training,
        policies: team.policies,
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
    method: 'post',
    path: '/workspaces/:ws/me/escalations/:id/acknowledge',
    tag: 'Obligations',
    summary: 'Acknowledge an escalation addressed to you (any kind): the climb stops',
    description:
      'Only an escalation whose targets include the caller and that is not yet acknowledged (see `escalations` of GET /workspaces/{ws}/me/obligations); any other: 404. Audited (ESCALATION_ACKNOWLEDGED). Tickets also have POST /workspaces/{ws}/tickets/{ticket_id}/escalations/{id}/acknowledge.',
    roles: WRITERS,
    status: 200,
    params: z.object({ ws: z.uuid(), id: z.uuid() }),
    body: z.strictObject({}).optional(),
    response: z.object({
      id: z.uuid(),
      kind: z.string(),
      obligation_id: z.uuid(),
      level: z.string(),
      acknowledged_at: ts,
    }),
    handler: async ({ params, ctx, deps }) => acknowledgeMyEscalation(deps.db, ctx, params.id),
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
