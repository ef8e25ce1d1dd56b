import { ACCESS_ROLES, ADMINS, MANAGERS, WRITERS } from '@vigil/kernel/auth';
import { NotFound } from '@vigil/kernel/errors';
import { toJson } from '@vigil/kernel/serialize';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { isoDuration, READ_SCOPE_TEXT } from '../api-schemas';
import { route, withEffects } from '../deps';
import { durationToMs } from '../obligations/rules';
import { ackHistoryOf, acknowledgePolicy, ackStatus, createAckEvent, onboardEmployee } from './ack-service';
import { escalateAcknowledgement } from './escalate';
import { LinkError, page, renderLinkPage, submitLink } from './links';
import { ACK_EVENT_TYPES } from './rules';

const T = 'Policies';
const policyParam = z.object({ policy_id: z.uuid() });
const looseRow = z.record(z.string(), z.unknown());

function sendLinkError(res: Response, err: unknown): string | undefined {
  if (err instanceof LinkError) {
    res
      .status(err.status)
      .type('html')
      .send(page('Link unavailable', `<p>${err.title}</p>`));
    return undefined;
  }
  throw err;
}
const meta = (req: Request) => ({
  ip: req.ip ?? null,
  userAgent: req.get('user-agent')?.slice(0, 500) ?? null,
});

/** Onboarding, acknowledgements, events, manual escalation and the signed-link pages. */
export const ackRoutes = [
  route({
    method: 'post',
    path: '/api/employees/onboard',
    tag: T,
    summary: 'Create a member with a NEW_HIRE acknowledgement event for every approved policy that applies',
    roles: ADMINS,
    body: z.strictObject({
      name: z.string().trim().min(1).max(200),
      email: z.email().max(320),
      timezone: z.string().max(64).optional(),
      title: z.string().max(200).nullable().optional(),
      manager_id: z.uuid().nullable().optional(),
      team_ids: z.array(z.uuid()).max(100).optional(),
      role_ids: z.array(z.uuid()).max(100).optional(),
      access_role: z.enum(ACCESS_ROLES).optional(),
      company_id: z.uuid().optional().describe('The workspace; must match the token'),
    }),
    response: z.object({
      employee_id: z.uuid(),
      acknowledgement_status: z.enum(['REQUESTED', 'NOTHING_TO_ACKNOWLEDGE']),
      member: looseRow,
      event: looseRow.nullable(),
      requested: z.number().int(),
    }),
    handler: async ({ body, ctx, deps }) => {
      const { company_id, ...input } = body;
      if (company_id && company_id !== ctx.workspaceId) throw new NotFound('Company', company_id);
      const r = await withEffects(deps, (fx) => onboardEmployee(deps, ctx, fx, input));
      return {
        employee_id: r.member.id,
        acknowledgement_status: r.requests ? 'REQUESTED' : 'NOTHING_TO_ACKNOWLEDGE',
        member: toJson(r.member),
        event: r.event ? toJson(r.event) : null,
        requested: r.requests,
      };
    },
  }),
  route({
    method: 'get',
    path: '/api/employees/:employee_id/acknowledgement',
    tag: T,
    summary:
      'Full acknowledgement history of an employee (self, their managers and team leads; all for admins, approvers, auditors)',
    description: READ_SCOPE_TEXT,
    params: z.object({ employee_id: z.uuid() }),
    response: z.object({ data: z.array(looseRow) }),
    handler: async ({ params, ctx, deps }) => ({
      data: (await ackHistoryOf(deps.db, ctx, params.employee_id)).map(({ r, number, name }) => ({
        ...toJson(r),
        policy_name: name,
        version_number: number,
      })),
    }),
  }),
  route({
    method: 'get',
    path: '/api/acknowledge/status',
    tag: T,
    summary:
      'Acknowledgement status per policy: the caller’s, or ?employee_id= (someone they manage or lead; anyone for admins, approvers, auditors)',
    description: READ_SCOPE_TEXT,
    query: z.strictObject({ employee_id: z.uuid().optional() }),
    response: z.object({
      employee_id: z.uuid(),
      data: z.array(
        z.object({
          policy_id: z.uuid(),
          policy_name: z.string().nullable(),
          applies: z.boolean(),
          active_version_id: z.uuid().nullable(),
          status: z.string().describe('PENDING, OVERDUE, ACKNOWLEDGED, OUTDATED or NOT_REQUESTED'),
          due_at: z.string().nullable(),
          request_id: z.uuid().nullable().describe('The open acknowledgement request (its obligation id)'),
          last_acknowledged_version_id: z.uuid().nullable(),
          last_acknowledged_at: z.string().nullable(),
        }),
      ),
    }),
    handler: async ({ query, ctx, deps }) => {
      const id = query.employee_id ?? ctx.memberId;
      return { employee_id: id, data: await ackStatus(deps.db, ctx, id) };
    },
  }),
  route({
    method: 'post',
    path: '/api/acknowledge/:policy_id',
    tag: T,
    summary: 'Acknowledge the active version (for yourself, or as an admin for employee_id)',
    roles: WRITERS,
    params: policyParam,
    body: z
      .strictObject({
        acknowledgement_type: z.enum(ACK_EVENT_TYPES).optional(),
        employee_id: z.uuid().optional(),
      })
      .optional(),
    response: looseRow,
    handler: async ({ params, body, ctx, deps, req }) => {
      const r = await withEffects(deps, () =>
        acknowledgePolicy(deps.db, ctx, params.policy_id, body ?? {}, meta(req)),
      );
      return { ...toJson(r.ack), version_number: r.version.number };
    },
  }),
  route({
    method: 'post',
    path: '/api/acknowledgements/events',
    tag: T,
    summary: 'Start a MANUAL or PERIODIC acknowledgement event (due_in overrides the deadline, e.g. PT3S)',
    roles: ADMINS,
    body: z.strictObject({
      type: z.enum(['MANUAL', 'PERIODIC']),
      scope: z.strictObject({
        all: z.literal(true).optional(),
        role_ids: z.array(z.uuid()).max(500).optional(),
        member_ids: z.array(z.uuid()).max(10000).optional(),
        policy_ids: z.array(z.uuid()).max(500).optional(),
      }),
      due_in: isoDuration.optional(),
    }),
    response: z.object({
      event: looseRow.nullable(),
      requested: z.number().int(),
      workflows_started: z.number().int(),
    }),
    handler: async ({ body, ctx, deps }) => {
      const r = await createAckEvent(deps.db, ctx, {
        type: body.type,
        scope: body.scope,
        ...(body.due_in && { dueAt: new Date(Date.now() + durationToMs(body.due_in)) }),
      });
      return { event: r.event ? toJson(r.event) : null, requested: r.requests, workflows_started: r.started };
    },
  }),
  route({
    method: 'post',
    path: '/api/notifications/escalate',
    tag: T,
    summary: 'Escalate an OVERDUE acknowledgement to a level (L1..L4, or CXO) now',
    roles: MANAGERS,
    body: z.strictObject({
      company_id: z.uuid().optional(),
      employee_id: z.uuid(),
      policy_id: z.uuid(),
      policy_version_id: z.uuid().optional(),
      due_date: z.string().max(40).optional(),
      escalation_level: z.enum(['L1', 'L2', 'L3', 'L4', 'CXO']),
    }),
    response: z.object({ escalation: looseRow, notification_ids: z.array(z.uuid()) }),
    handler: async ({ body, ctx, deps }) => {
      const r = await withEffects(deps, async () => {
        const done = await escalateAcknowledgement(deps.db, deps.config, ctx, body);
        return done;
      });
      return { escalation: toJson(r.escalation), notification_ids: r.notification_ids };
    },
  }),
  route({
    method: 'get',
    path: '/ack/:token',
    tag: T,
    summary: 'Signed link page: the pending policies (and what changed) with an acknowledge button',
    auth: 'custom',
    produces: 'html',
    handler: async ({ req, res, deps }) =>
      renderLinkPage(deps.db, String(req.params.token)).catch((e) => sendLinkError(res, e)),
  }),
  route({
    method: 'post',
    path: '/ack/:token',
    tag: T,
    summary: 'Signed link form: records the acknowledgements (one-time) with IP and user agent',
    auth: 'custom',
    produces: 'html',
    status: 200,
    handler: async ({ req, res, deps }) =>
      withEffects(deps, () => submitLink(deps.db, String(req.params.token), meta(req))).catch((e) =>
        sendLinkError(res, e),
      ),
  }),
];
