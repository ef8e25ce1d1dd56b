import type { AuthContext } from '@vigil/kernel/auth';
import type { Config } from '@vigil/kernel/config';
import { Effects } from '@vigil/kernel/effects';
import type { Logger } from '@vigil/kernel/logger';
import type { TemporalHandle } from '@vigil/kernel/temporal';
import { and, eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { issueHeld } from '../certifications/lifecycle';
import { certifications as certs, developerCertifications } from '../certifications/schema';
import { createCert } from '../certifications/service';
import type { Db } from '../db';
import { escalationMatrices, tickets } from '../escalation/schema';
import { createMatrix, createTicket } from '../escalation/service';
import { policies, policyTemplates } from '../policies/schema';
import { approvePolicy, createPolicy, updatePolicy } from '../policies/service';
import { reminders } from '../reminders/schema';
import { createReminder } from '../reminders/service';
import { mandatoryTrainings } from '../training/schema';
import { createTraining } from '../training/service';

/** Timing of the live demo; tests shorten it. */
export interface DemoOptions {
  /** How long after seeding the live training falls due (default 2 minutes). */
  trainingDueInMs?: number;
  /** The Platform matrix's ladder, ISO durations after the deadline (default L1 1 min, L2 2 min, L3 10 min). */
  ladder?: { l1: string; l2: string; l3: string };
}

interface Deps {
  db: Db;
  temporal: TemporalHandle;
  config: Config;
  log: Logger;
}

export const DEMO_TRAINING = 'Security awareness refresher (live demo)';
export const DEMO_MATRIX = 'Platform: minute-scale ladder (live demo)';
const DEMO_TICKET = 'Production database access granted without approval';
const DEMO_REMINDER = 'Weekly review of production access logs (CC6.1)';
const DEMO_CERT = 'AWS Certified Security - Specialty';
const DAY = 86_400_000;

/** The id of the workspace's row of `table` whose `column` equals `value`, or null. */
async function findBy(
  db: Db,
  table: PgTable & { workspaceId: PgColumn; id: PgColumn },
  column: PgColumn,
  ws: string,
  value: string,
): Promise<{ id: string } | null> {
  const rows = (await db
    .select({ id: table.id })
    .from(table as PgTable)
    .where(and(eq(table.workspaceId, ws), eq(column, value)))
    .limit(1)) as Array<{ id: string }>;
  return rows[0] ?? null;
}

async function policyFromTemplate(db: Db, ws: string, key: string) {
  const [row] = await db
    .select({ id: policies.id, name: policies.name })
    .from(policies)
    .innerJoin(policyTemplates, eq(policyTemplates.id, policies.templateId))
    .where(and(eq(policies.workspaceId, ws), eq(policyTemplates.key, key)));
  return row ?? null;
}

/**
 * The live part of the demo, each piece created only when missing (looked up by name):
 * an escalation matrix for the Platform team on a minute-scale ladder; a training for Sam due
 * two minutes after seeding, which goes OVERDUE and climbs L1 (team lead) then L2 (manager)
 * with no action; a yearly training for everyone; SOC 2 template policies (two approved, which
 * asks everyone to acknowledge them, and one awaiting the CTO's approval); a weekly control
 * reminder that needs evidence; a certification Kim holds that expires in 20 days; and an open
 * ticket under the matrix. Returns one line per thing created.
 */
export async function seedDemoObligations(
  deps: Deps,
  ctx: AuthContext,
  ids: Record<string, string>,
  opts: DemoOptions = {},
): Promise<string[]> {
  const { db, temporal } = deps;
  const ws = ctx.workspaceId;
  const created: string[] = [];
  const fx = new Effects(temporal);
  const now = Date.now();
  const ladder = opts.ladder ?? { l1: 'PT1M', l2: 'PT2M', l3: 'PT10M' };
  const channels: Array<'email' | 'slack'> = ['email', 'slack'];
  const id = (k: string) => ids[k] as string;

  // The matrix first: ladders are copied onto obligations when they are created.
  if (!(await findBy(db, escalationMatrices, escalationMatrices.name, ws, DEMO_MATRIX))) {
    await createMatrix(db, ctx, {
      name: DEMO_MATRIX,
      description: 'Escalates within minutes so the demo shows a ladder climbing',
      team_ids: [id('platform')],
      rules: [
        { level: 'L1', after: ladder.l1, target: { type: 'TEAM_LEAD' }, channels },
        { level: 'L2', after: ladder.l2, target: { type: 'MANAGER' }, channels },
        { level: 'L3', after: ladder.l3, target: { type: 'DIRECTOR' }, channels },
      ],
    });
    created.push(`escalation matrix "${DEMO_MATRIX}" (L1 ${ladder.l1}, L2 ${ladder.l2}, L3 ${ladder.l3})`);
  }
  if (!(await findBy(db, mandatoryTrainings, mandatoryTrainings.name, ws, DEMO_TRAINING))) {
    const due = new Date(now + (opts.trainingDueInMs ?? 2 * 60_000));
    await createTraining(db, ctx, {
      name: DEMO_TRAINING,
      description: 'Assigned to Sam; due minutes after start, it goes overdue and escalates on its own.',
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [id('sam')],
      fixed_due_date: due.toISOString(),
    });
    created.push(`training "${DEMO_TRAINING}" for Sam Engineer, due ${due.toISOString()}`);
  }
  const yearly = 'Annual security awareness training';
  if (!(await findBy(db, mandatoryTrainings, mandatoryTrainings.name, ws, yearly))) {
    await createTraining(db, ctx, {
      name: yearly,
      applies_to_type: 'ALL',
      due_days_after_assignment: 30,
      recurring_months: 12,
    });
    created.push(`training "${yearly}" for everyone, due in 30 days`);
  }

  const approver: AuthContext = { ...ctx, memberId: id('cto'), role: 'APPROVER' };
  for (const [key, approve] of [
    ['information-security', true],
    ['acceptable-use', true],
    ['incident-response', false],
  ] as const) {
    if (await policyFromTemplate(db, ws, key)) continue;
    const { policy } = await createPolicy(db, ctx, { template_key: key, applies_to_all: true });
    if (approve) {
      await updatePolicy(db, ctx, policy.id, {
        submit: true,
        change_summary: 'Adopted from the SOC 2 template',
      });
      await approvePolicy(deps, approver, fx, policy.id);
      created.push(`policy "${policy.name}" (approved; everyone is asked to acknowledge it)`);
    } else {
      await updatePolicy(db, ctx, policy.id, { submit: true, change_summary: 'Ready for review' });
      created.push(`policy "${policy.name}" (awaiting the CTO's approval)`);
    }
  }

  if (!(await findBy(db, reminders, reminders.title, ws, DEMO_REMINDER))) {
    await createReminder(db, ctx, {
      title: DEMO_REMINDER,
      description: 'Review who accessed production this week and attach the export as evidence.',
      category: 'SECURITY',
      frequency: 'WEEKLY',
      timezone: 'Europe/London',
      // First due tomorrow, shown from now on (two days' lead time), then every week.
      start_date: new Date(now + DAY).toISOString(),
      notification_config: { lead_time: 'P2D' },
      assignment_strategy: 'FIXED',
      default_owner_id: id('lead'),
      control_id: 'CC6.1',
      domain: 'Access control',
      requires_evidence: true,
    });
    created.push(`weekly reminder "${DEMO_REMINDER}" (evidence required), owned by Leo Lead`);
  }

  let cert = await findBy(db, certs, certs.name, ws, DEMO_CERT);
  if (!cert) {
    cert = await createCert(db, ctx, {
      name: DEMO_CERT,
      issuing_authority: 'Amazon Web Services',
      validity_months: 36,
      renewal_required: true,
      expiring_soon_offset: 'P30D',
    });
    created.push(`certification "${DEMO_CERT}"`);
  }
  const [held] = await db
    .select({ id: developerCertifications.id })
    .from(developerCertifications)
    .where(
      and(
        eq(developerCertifications.certificationId, cert.id),
        eq(developerCertifications.developerId, id('kim')),
      ),
    );
  if (!held) {
    const expiry = new Date(now + 20 * DAY);
    await issueHeld(db, ctx, {
      developer_id: id('kim'),
      certification_id: cert.id,
      issued_date: new Date(expiry.getTime() - 1095 * DAY).toISOString(),
      expiry_date: expiry.toISOString(),
    });
    created.push(
      `Kim Engineer's "${DEMO_CERT}", expiring ${expiry.toISOString().slice(0, 10)} (expiring soon)`,
    );
  }

  if (!(await findBy(db, tickets, tickets.title, ws, DEMO_TICKET))) {
    await createTicket(db, ctx, {
      title: DEMO_TICKET,
      description: 'Found in the access review; the grant must be approved or revoked.',
      severity: 'HIGH',
      team_id: id('platform'),
      assignee_id: id('lead'),
    });
    created.push(`ticket "${DEMO_TICKET}" under the Platform matrix`);
  }
  await fx.run((name, err) => deps.log.warn({ err, effect: name }, 'demo seed: post-commit effect failed'));
  return created;
}
