import { randomUUID } from 'node:crypto';
import { automationRuns } from '@vigil/domains/automations/schema';
import { events } from '@vigil/domains/events/schema';
import { notifications } from '@vigil/domains/notifications/schema';
import { bootstrapWorkspace } from '@vigil/domains/people/access';
import { and, eq, isNull, sql } from 'drizzle-orm';
import pLimit from 'p-limit';
import { type FaultStack, sleep, startFaultStack, waitFor } from './stack';

/**
 * Automations under worker kill -9: a burst of 500 events (members onboarded through the API),
 * each consumed by the worker process's event relay while it is killed three times. Every event
 * must get exactly one run of the automation and one outbox row.
 */
const EVENTS = Number(process.env.FAULT_AUTOMATION_EVENTS ?? 500);

let s: FaultStack;
beforeAll(async () => {
  s = await startFaultStack();
  // Only the worker processes consume events, so killing them interrupts the consumer.
  await s.relays.events.stop();
}, 300_000);
afterAll(async () => {
  await s?.close();
});

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${s.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

it(`loses no automation run and runs none twice over ${EVENTS} events while the worker is killed`, async () => {
  const boot = await bootstrapWorkspace(s.deps.db, {
    name: `faults-automations-${randomUUID().slice(0, 8)}`,
    adminEmail: `admin-${randomUUID().slice(0, 8)}@example.com`,
  });
  const ws = boot.workspace.id;
  const auto = await api('POST', `/workspaces/${ws}/automations`, boot.token, {
    name: 'Welcome',
    trigger: { event_type: 'member.onboarded' },
    actions: [
      { type: 'notify', recipients: ['OWNER'], channels: ['email'], message: 'Welcome {{payload.name}}' },
    ],
  });
  expect(auto.status).toBe(201);

  const limit = pLimit(10);
  const burst = Promise.all(
    Array.from({ length: EVENTS }, (_, i) =>
      limit(async () => {
        const r = await api('POST', `/workspaces/${ws}/members`, boot.token, {
          name: `Member ${i}`,
          email: `m${i}-${randomUUID().slice(0, 6)}@example.com`,
        });
        expect(r.status).toBe(201);
      }),
    ),
  );
  for (let k = 0; k < 3; k++) {
    await sleep(1500);
    s.workers.killAll();
  }
  await burst;
  const started = Date.now();
  await waitFor(
    'every event dispatched',
    async () => {
      const [r] = await s.deps.db
        .select({ n: sql<number>`count(*)::int` })
        .from(events)
        .where(and(eq(events.workspaceId, ws), isNull(events.dispatchedAt)));
      return (r?.n ?? 1) === 0;
    },
    180_000,
  );
  const onboarded = await s.deps.db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.workspaceId, ws), eq(events.type, 'member.onboarded')));
  const runs = await s.deps.db
    .select({ eventId: automationRuns.eventId, status: automationRuns.status })
    .from(automationRuns)
    .where(eq(automationRuns.automationId, auto.body.id));
  const byEvent = new Map<string, number>();
  for (const r of runs) byEvent.set(r.eventId, (byEvent.get(r.eventId) ?? 0) + 1);
  const lost = onboarded.filter((e) => !byEvent.has(e.id)).length;
  const doubled = [...byEvent.values()].filter((n) => n > 1).length;
  const outbox = await s.deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.workspaceId, ws), eq(notifications.kind, 'automation_run')));
  console.log(
    `automations under worker kill -9 x3: ${onboarded.length} events, ${runs.length} runs, lost ${lost}, doubled ${doubled}, outbox rows ${outbox[0]?.n}, drained ${Date.now() - started} ms after the burst`,
  );
  expect(onboarded.length).toBe(EVENTS);
  expect(lost).toBe(0);
  expect(doubled).toBe(0);
  expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
  expect(outbox[0]?.n).toBe(EVENTS);
});
