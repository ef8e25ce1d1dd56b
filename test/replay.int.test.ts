import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { documents, documentVersions } from '@vigil/domains/documents/schema';
import { DOCUMENT_WORKFLOW } from '@vigil/domains/documents/signals';
import { WORKFLOW_TYPES } from '@vigil/domains/obligations/signals';
import { REMINDER_WORKFLOW } from '@vigil/domains/reminders/signals';
import { SA } from '@vigil/kernel/search-attributes';
import { ladderOrg, secondsLadder } from './engine/org';
import { eventually, type Harness, startHarness, testEnv } from './harness';
import { secondsCronReminder } from './reminders/seconds-cron';

/**
 * Recorded histories of every workflow type are replayed against today's workflow
 * code, so a change that breaks determinism fails CI. Fixtures are recorded when
 * missing, or on purpose with RECORD_HISTORIES=1 (review them before committing).
 */
const DIR = join(__dirname, 'fixtures', 'histories');
const TYPES: string[] = [...Object.values(WORKFLOW_TYPES), REMINDER_WORKFLOW, DOCUMENT_WORKFLOW];
const recorded = (type: string) => readdirSync(DIR).some((f) => f.startsWith(type));
/** Types to record now: every one with RECORD_HISTORIES=1, else those with no fixture yet. */
const wanted = (type: string) => process.env.RECORD_HISTORIES === '1' || !recorded(type);

/** A stored version (no storage configured here, so its extraction runs and is recorded FAILED). */
async function documentExtraction(h: Harness, workspaceId: string): Promise<string> {
  const file = {
    workspaceId,
    fileName: 'replay.pdf',
    mimeType: 'application/pdf',
    sizeBytes: 10,
    sha256: '0'.repeat(64),
    storageKey: `workspaces/${workspaceId}/documents/${workspaceId}/replay.pdf`,
  };
  const [doc] = await h.deps.db
    .insert(documents)
    .values({ ...file, title: 'Replay' })
    .returning();
  const [v] = await h.deps.db
    .insert(documentVersions)
    .values({ ...file, documentId: doc?.id as string, version: 1 })
    .returning();
  return v?.id as string;
}

async function record(h: Harness): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const client = h.deps.temporal.client;
  const ws = await h.workspace();
  if (
    [WORKFLOW_TYPES.obligation, WORKFLOW_TYPES.sweep, WORKFLOW_TYPES.probe, REMINDER_WORKFLOW].every(
      (t) => !wanted(t),
    )
  ) {
    // only the document workflow is missing: record it alone, leaving the other fixtures as they are
    const versionId = await documentExtraction(h, ws.id);
    await eventually(
      async () => (await client.workflow.getHandle(`document/${versionId}`).result()) === 'FAILED',
    );
    await saveHistory(h, DOCUMENT_WORKFLOW, `document/${versionId}`);
    return;
  }
  const save = (name: string, workflowId: string) => saveHistory(h, name, workflowId);

  // An obligation that reaches L2, is acknowledged, then resolved.
  const org = await ladderOrg(h, ws);
  await h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
    name: 'Replay',
    rules: secondsLadder([1, 2, 30]),
  });
  const ticket = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
    title: 'Replay fixture',
    team_id: org.teamId,
    assignee_id: org.owner.id,
  });
  const id = ticket.body.id as string;
  const esc = await eventually(async () => {
    const list = (await h.request('GET', `/workspaces/${ws.id}/tickets/${id}/escalations`, ws.adminToken))
      .body.data;
    return list.length === 2 ? list : null;
  });
  await h.request(
    'POST',
    `/workspaces/${ws.id}/tickets/${id}/escalations/${esc[1].id}/acknowledge`,
    ws.adminToken,
  );
  await h.request('PATCH', `/workspaces/${ws.id}/tickets/${id}`, ws.adminToken, { status: 'RESOLVED' });
  await client.workflow.getHandle(`ticket/${id}`).result();
  await save('obligationWorkflow-ticket', `ticket/${id}`);

  // A recurring reminder that materializes instances, then is archived.
  const reminder = await secondsCronReminder(h, ws, {
    title: 'Replay fixture reminder',
    cron_expression: '*/2 * * * * *',
    default_owner_id: org.owner.id,
    notification_config: { channels: ['email'], lead_time: 'PT1S' },
  });
  const reminderId = reminder.body.id as string;
  await eventually(async () => {
    const list = await h.request(
      'GET',
      `/workspaces/${ws.id}/reminders/${reminderId}/instances`,
      ws.adminToken,
    );
    return list.body.data?.length >= 2;
  });
  await h.request('DELETE', `/workspaces/${ws.id}/reminders/${reminderId}`, ws.adminToken);
  await client.workflow.getHandle(`reminder/${reminderId}`).result();
  await save(REMINDER_WORKFLOW, `reminder/${reminderId}`);

  const sweep = await client.workflow.start(WORKFLOW_TYPES.sweep, {
    taskQueue: h.taskQueue,
    workflowId: `sweep/replay-${id}`,
    args: [{ name: 'process-reminder-escalations' }],
  });
  await sweep.result();
  await save(WORKFLOW_TYPES.sweep, sweep.workflowId);

  const probe = await client.workflow.start(WORKFLOW_TYPES.probe, {
    taskQueue: h.taskQueue,
    workflowId: `probe/replay-${id}`,
    args: [{ workspaceId: ws.id }],
    typedSearchAttributes: [{ key: SA.WorkspaceId, value: ws.id }],
  });
  await probe.result();
  await save(WORKFLOW_TYPES.probe, probe.workflowId);

  const versionId = await documentExtraction(h, ws.id);
  await eventually(
    async () => (await client.workflow.getHandle(`document/${versionId}`).result()) === 'FAILED',
  );
  await save(DOCUMENT_WORKFLOW, `document/${versionId}`);
}

async function saveHistory(h: Harness, name: string, workflowId: string): Promise<void> {
  const history = await h.deps.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(join(DIR, `${name}.json`), `${historyToJSON(history)}\n`);
}

describe('workflow replay', () => {
  beforeAll(async () => {
    const missing = TYPES.some((t) => !recorded(t));
    if (process.env.RECORD_HISTORIES === '1' || missing) {
      const h = await startHarness({ worker: true });
      try {
        await record(h);
      } finally {
        await h.close();
      }
    }
  }, 120_000);

  it('has a recorded history for every workflow type', () => {
    for (const type of TYPES) expect(readdirSync(DIR).some((f) => f.startsWith(type))).toBe(true);
  });

  it('replays every recorded history deterministically with the current code', async () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(TYPES.length);
    const code = readFileSync(testEnv().bundlePath, 'utf8');
    for (const file of files) {
      const history = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
      await expect(
        Worker.runReplayHistory({ workflowBundle: { code } }, history, file),
      ).resolves.toBeUndefined();
    }
  });
});
