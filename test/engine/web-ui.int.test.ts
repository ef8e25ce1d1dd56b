import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';
import { ladderOrg, secondsLadder } from './org';

describe('what an operator reads of an obligation in the Temporal Web UI', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness({ worker: true });
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  it('starts with a static summary and keeps current details: status, level, who was notified, what is next', async () => {
    const org = await ladderOrg(h, ws);
    await h.request('POST', `/workspaces/${ws.id}/escalation-matrices`, ws.adminToken, {
      name: 'UI',
      team_ids: [org.teamId],
      rules: secondsLadder([1, 600]),
    });
    const ticket = await h.request('POST', `/workspaces/${ws.id}/tickets`, ws.adminToken, {
      title: 'Rotate the signing key',
      team_id: org.teamId,
      assignee_id: org.owner.id,
    });
    const handle = h.deps.temporal.client.workflow.getHandle(`ticket/${ticket.body.id}`);
    const summary = await eventually(async () => (await handle.describe()).staticSummary());
    expect(summary).toContain('Ticket: Rotate the signing key');
    expect(summary).toContain('owner Owner');

    const details = await eventually(async () => {
      const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      return meta.currentDetails?.includes('| L1 |') ? meta.currentDetails : null;
    });
    expect(details).toContain('**Rotate the signing key**');
    expect(details).toContain('Escalation level: **L1**');
    expect(details).toMatch(/\| L1 \| [0-9-]+ [0-9:]+Z \| Lead \| no \|/);
    expect(details).toContain('Next: **ESCALATE:L2**');

    // A change re-reads the ticket (its load brings the escalations fired and whom they
    // notified): the details still show L1 and Lead under the new title.
    const renamed = await h.request(
      'PATCH',
      `/workspaces/${ws.id}/tickets/${ticket.body.id}`,
      ws.adminToken,
      {
        title: 'Rotate the signing keys',
      },
    );
    expect(renamed.status).toBe(200);
    const reloaded = await eventually(async () => {
      const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      return meta.currentDetails?.includes('**Rotate the signing keys**') ? meta.currentDetails : null;
    });
    expect(reloaded).toMatch(/\| L1 \| [0-9-]+ [0-9:]+Z \| Lead \| no \|/);
    expect(reloaded).toContain('Escalation level: **L1**');
  });
});
