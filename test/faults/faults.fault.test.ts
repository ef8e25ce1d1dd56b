import { randomUUID } from 'node:crypto';
import { escalations } from '@vigil/domains/escalation/schema';
import { notifications } from '@vigil/domains/notifications/schema';
import { obligationSteps } from '@vigil/domains/obligations/schema';
import { bootstrapWorkspace } from '@vigil/domains/people/access';
import { createMember } from '@vigil/domains/people/service';
import type { AuthContext } from '@vigil/kernel/auth';
import { Effects } from '@vigil/kernel/effects';
import { and, eq, inArray } from 'drizzle-orm';
import pLimit from 'p-limit';
import { type FaultStack, sleep, startFaultStack, waitFor } from './stack';

/**
 * The fault suite: 300 tickets each walking a four-level ladder (1,200 escalation emails,
 * counted at a SendGrid-protocol recorder by the outbox row id each send carries), under
 * worker kill -9 ×5, a Temporal kill -9 and restart, and Postgres stopped hard for 20 s.
 */
const TICKETS = Number(process.env.FAULT_TICKETS ?? 300);
const LADDER = [15, 30, 45, 60];

let s: FaultStack;
const figures: string[] = [];

beforeAll(async () => {
  s = await startFaultStack();
}, 300_000);
afterAll(async () => {
  await s?.close();
  console.log(['', 'fault suite figures', ...figures, ''].join('\n'));
});

async function api(method: string, path: string, token: string, body?: unknown) {
  const t0 = Date.now();
  const res = await fetch(`${s.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, ms: Date.now() - t0 };
}

/** A workspace whose one team walks lead → manager → director → VP, and a matrix with the ladder. */
async function workspace() {
  const boot = await bootstrapWorkspace(s.deps.db, {
    name: `faults-${randomUUID().slice(0, 8)}`,
    adminEmail: `admin-${randomUUID().slice(0, 8)}@example.com`,
  });
  const ws = boot.workspace.id;
  const ctx: AuthContext = {
    workspaceId: ws,
    memberId: boot.admin.id,
    role: 'ADMIN',
    tokenId: null,
    ip: null,
    userAgent: 'faults',
    via: 'TOKEN',
  };
  const member = async (name: string, role: 'MEMBER' | 'MANAGER', manager_id?: string) =>
    (
      await createMember(s.deps.db, ctx, new Effects(), {
        name,
        email: `${name.toLowerCase()}-${randomUUID().slice(0, 6)}@example.com`,
        access_role: role,
        manager_id,
      })
    ).id;
  const vp = await member('VP', 'MANAGER');
  const director = await member('Director', 'MANAGER', vp);
  const manager = await member('Manager', 'MANAGER', director);
  const lead = await member('Lead', 'MEMBER', manager);
  const owner = await member('Owner', 'MEMBER', manager);
  const token = boot.token;
  const team = await api('POST', `/workspaces/${ws}/teams`, token, {
    name: 'Platform',
    lead_id: lead,
    member_ids: [lead, owner],
  });
  await api('PATCH', `/workspaces/${ws}/settings`, token, {
    director_contact_id: director,
    vp_exec_contact_id: vp,
    cxo_contact_id: vp,
  });
  const matrix = await api('POST', `/workspaces/${ws}/escalation-matrices`, token, {
    name: 'Faults',
    team_ids: [team.body.id],
    rules: LADDER.map((sec, i) => ({
      level: `L${i + 1}`,
      after: `PT${sec}S`,
      target: { type: ['TEAM_LEAD', 'MANAGER', 'DIRECTOR', 'VP_EXEC'][i] },
      channels: ['email'],
    })),
  });
  expect(matrix.status).toBe(201);
  return { ws, token, teamId: team.body.id as string, owner };
}

async function openTickets(w: Awaited<ReturnType<typeof workspace>>, n: number) {
  const limit = pLimit(10);
  const ids = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      limit(async () => {
        const r = await api('POST', `/workspaces/${w.ws}/tickets`, w.token, {
          title: `Fault ticket ${i}`,
          team_id: w.teamId,
          assignee_id: w.owner,
        });
        expect(r.status).toBe(201);
        return r.body.id as string;
      }),
    ),
  );
  return { ids, openedAt: Date.now() };
}

interface Figures {
  escalationRows: number;
  outboxRows: number;
  delivered: number;
  lost: number;
  duplicated: number;
  interrupted: number;
  worstLagMs: number;
}

async function count(ids: string[]): Promise<Figures> {
  const db = s.deps.db;
  const esc = await db
    .select({ id: escalations.id })
    .from(escalations)
    .where(inArray(escalations.obligationId, ids));
  const rows = await db
    .select({
      id: notifications.id,
      interrupted: notifications.interrupted,
      stepKey: notifications.stepKey,
      obligationId: notifications.obligationId,
    })
    .from(notifications)
    .where(
      and(inArray(notifications.obligationId, ids), eq(notifications.template, 'obligation.escalation')),
    );
  const steps = await db
    .select({
      obligationId: obligationSteps.obligationId,
      stepKey: obligationSteps.stepKey,
      dueAt: obligationSteps.dueAt,
    })
    .from(obligationSteps)
    .where(inArray(obligationSteps.obligationId, ids));
  const due = new Map(steps.map((x) => [`${x.obligationId} ${x.stepKey}`, x.dueAt?.getTime() ?? 0]));
  const calls = new Map<string, number[]>();
  for (const c of s.sendgrid.calls) {
    const id = c.body.custom_args?.vigil_notification_id;
    if (id && c.status === 202) calls.set(id, [...(calls.get(id) ?? []), c.at]);
  }
  let lost = LADDER.length * ids.length - rows.length;
  let duplicated = 0;
  let worst = 0;
  for (const r of rows) {
    const at = calls.get(r.id) ?? [];
    if (!at.length) lost++;
    duplicated += Math.max(0, at.length - 1);
    const d = due.get(`${r.obligationId} ${r.stepKey}`);
    if (at.length && d) worst = Math.max(worst, Math.min(...at) - d);
  }
  return {
    escalationRows: esc.length,
    outboxRows: rows.length,
    delivered: [...calls.keys()].filter((k) => rows.some((r) => r.id === k)).length,
    lost,
    duplicated,
    interrupted: rows.reduce((a, r) => a + r.interrupted, 0),
    worstLagMs: worst,
  };
}

async function settle(ids: string[], ms: number): Promise<Figures> {
  return waitFor(
    'every escalation delivered',
    async () => {
      const f = await count(ids);
      const want = LADDER.length * ids.length;
      return f.outboxRows === want && f.escalationRows === want && f.lost === 0 ? f : null;
    },
    ms,
  ).catch(() => count(ids));
}

function record(name: string, ids: string[], f: Figures, extra = '') {
  figures.push(
    `${name}: obligations ${ids.length}, levels expected ${ids.length * LADDER.length}, escalation rows ${f.escalationRows}, ` +
      `outbox rows ${f.outboxRows}, deliveries ${f.delivered}, lost ${f.lost}, duplicated ${f.duplicated} ` +
      `(sends in flight at the faults: ${f.interrupted}), worst lag due→delivery ${f.worstLagMs} ms${extra}`,
  );
}

const readyz = async () => (await fetch(`${s.apiUrl}/readyz`).catch(() => null))?.status ?? 0;

it('worker kill -9 ×5 during 300 ladders: nothing lost', async () => {
  const w = await workspace();
  const { ids, openedAt } = await openTickets(w, TICKETS);
  for (let k = 0; k < 5; k++) {
    await sleep(Math.max(0, openedAt + (LADDER[0] as number) * 1000 + 3000 + k * 9000 - Date.now()));
    s.workers.killAll();
  }
  const f = await settle(ids, 240_000);
  record('worker kill -9 x5', ids, f);
  expect(f.lost).toBe(0);
  expect(f.escalationRows).toBe(ids.length * LADDER.length);
  expect(f.duplicated).toBeLessThanOrEqual(f.interrupted);
}, 600_000);

it('Temporal kill -9 and restart after 13 s: nothing lost, writes stay fast, work resumes', async () => {
  const w = await workspace();
  const training = await api('POST', '/compliance/mandatory-training', w.token, {
    name: 'Security awareness',
    applies_to_type: 'INDIVIDUAL',
    applies_to_ids: [],
  });
  const assignment = await api('POST', '/compliance/assignments', w.token, {
    mandatory_training_id: training.body.id,
    developer_id: w.owner,
    due_date: new Date(Date.now() + 86_400_000).toISOString(),
  });
  expect(assignment.status).toBe(201);
  const { ids, openedAt } = await openTickets(w, TICKETS);
  await sleep(Math.max(0, openedAt + 20_000 - Date.now()));
  s.temporal.kill();
  await waitFor('readyz 503 while Temporal is down', async () => (await readyz()) === 503, 10_000);
  const ticket = await api('POST', `/workspaces/${w.ws}/tickets`, w.token, {
    title: 'During the outage',
    team_id: w.teamId,
    assignee_id: w.owner,
  });
  const complete = await api('POST', `/compliance/assignments/${assignment.body.id}/complete`, w.token);
  expect(ticket.status).toBe(201);
  expect(complete.status).toBe(200);
  expect(ticket.ms).toBeLessThan(1500);
  expect(complete.ms).toBeLessThan(1500);
  await sleep(13_000 - 3000);
  await s.temporal.start();
  const back = Date.now();
  await waitFor('readyz 200 after Temporal is back', async () => (await readyz()) === 200, 5_000);
  const readyMs = Date.now() - back;
  const client = s.deps.temporal.client.workflow;
  await waitFor(
    'the outage ticket has its workflow',
    async () => (await client.getHandle(`ticket/${ticket.body.id}`).describe()).status.name === 'RUNNING',
    30_000,
  );
  await waitFor(
    'the completed assignment ended its workflow',
    async () =>
      (await client.getHandle(`training_assignment/${assignment.body.id}`).describe()).status.name ===
      'COMPLETED',
    30_000,
  );
  const workflowsMs = Date.now() - back;
  const resumed = await waitFor(
    'a new escalation after the restart',
    async () => {
      const [row] = await s.deps.db
        .select({ at: escalations.createdAt })
        .from(escalations)
        .where(inArray(escalations.obligationId, ids))
        .orderBy(escalations.createdAt)
        .then((r) => r.filter((x) => x.at.getTime() > back));
      return row ? row.at.getTime() - back : null;
    },
    60_000,
  );
  const f = await settle(ids, 240_000);
  record(
    'Temporal kill -9 + restart',
    ids,
    f,
    `; writes while down ${ticket.ms}/${complete.ms} ms; readyz 200 ${readyMs} ms after the restart; outage workflows within ${workflowsMs} ms; first escalation ${resumed} ms after the restart`,
  );
  expect(f.lost).toBe(0);
  expect(f.duplicated).toBeLessThanOrEqual(f.interrupted);
  expect(resumed).toBeLessThanOrEqual(15_000);
}, 600_000);

it('Postgres stopped hard for 20 s: the worker never exits, nothing lost, ladders finish', async () => {
  const w = await workspace();
  const exitsBefore = s.workers.exits;
  const { ids, openedAt } = await openTickets(w, TICKETS);
  await sleep(Math.max(0, openedAt + 20_000 - Date.now()));
  await s.killPostgres();
  await s.pg.stop();
  await waitFor('readyz 503 while Postgres is down', async () => (await readyz()) === 503, 10_000);
  await sleep(20_000);
  await s.pg.start();
  const back = Date.now();
  await waitFor('readyz 200 after Postgres is back', async () => (await readyz()) === 200, 5_000);
  const readyMs = Date.now() - back;
  const f = await settle(ids, 300_000);
  const exits = s.workers.exits - exitsBefore;
  record('Postgres down 20 s', ids, f, `; worker exits ${exits}; readyz 200 ${readyMs} ms after the restart`);
  expect(exits).toBe(0);
  expect(f.lost).toBe(0);
  expect(f.duplicated).toBeLessThanOrEqual(f.interrupted);
}, 600_000);
