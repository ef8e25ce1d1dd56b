import { ladderOrg, secondsLadder } from '../engine/org';
import { eventually, type Harness, startHarness, type TestWorkspace } from '../harness';

/** Assignments and held certifications walk their plans on the real server with second-scale offsets. */
describe('training assignments and certifications as obligations', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let org: Awaited<ReturnType<typeof ladderOrg>>;

  beforeAll(async () => {
    h = await startHarness({ worker: true });
    ws = await h.workspace();
    org = await ladderOrg(h, ws);
    const s = await h.request('PATCH', `/workspaces/${ws.id}/settings`, ws.adminToken, {
      reminder_offsets: ['PT3S'],
      default_ladder: secondsLadder([1, 30]),
    });
    expect(s.status).toBe(200);
  });
  afterAll(() => h.close());

  const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const training = async (name: string) => {
    const t = await h.request('POST', '/compliance/mandatory-training', ws.adminToken, {
      name,
      applies_to_type: 'INDIVIDUAL',
      applies_to_ids: [],
    });
    expect(t.status).toBe(201);
    return t.body.id as string;
  };
  const assignment = async (id: string) => {
    const r = await h.request(
      'GET',
      `/compliance/assignments?developer_id=${org.owner.id}&limit=500`,
      ws.adminToken,
    );
    return (r.body.data as Array<Record<string, unknown>>).find((a) => a.id === id);
  };
  const workflowDone = (wfId: string) =>
    eventually(async () => {
      const d = await h.deps.temporal.client.workflow.getHandle(wfId).describe();
      return d.status.name === 'COMPLETED';
    });

  it('reminds, goes OVERDUE, escalates; acknowledgement keeps OVERDUE; completion ends it', async () => {
    const tid = await training('Security awareness');
    const a = await h.request('POST', '/compliance/assignments', ws.adminToken, {
      mandatory_training_id: tid,
      developer_id: org.owner.id,
      due_date: inSeconds(5),
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ status: 'PENDING', is_overdue: false, progress_percentage: 0 });
    const id = a.body.id as string;
    await eventually(async () => (await assignment(id))?.reminder_sent_at);
    const overdue = await eventually(async () => {
      const x = await assignment(id);
      return x?.status === 'OVERDUE' && x.current_escalation_level === 'L1' ? x : null;
    });
    expect(overdue.is_overdue).toBe(true);

    const ack = await h.request('POST', `/compliance/assignments/${id}/acknowledge`, org.owner.token);
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('OVERDUE');
    expect(ack.body.acknowledged_at).toBeTruthy();

    const progress = await h.request('PATCH', `/compliance/assignments/${id}`, org.owner.token, {
      progress_percentage: 40,
    });
    expect(progress.body).toMatchObject({ status: 'OVERDUE', progress_percentage: 40 });

    const done = await h.request('POST', `/compliance/assignments/${id}/complete`, org.owner.token);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'COMPLETED', progress_percentage: 100, is_overdue: false });
    await workflowDone(`training_assignment/${id}`);

    const log = await h.request('GET', `/compliance/audit-logs?target_id=${id}&limit=50`, ws.adminToken);
    const actions = (log.body.data as Array<{ action_type: string }>).map((e) => e.action_type);
    expect(actions).toEqual(
      expect.arrayContaining([
        'TRAINING_ASSIGNED',
        'TRAINING_OVERDUE',
        'ESCALATION_TRIGGERED',
        'TRAINING_ACKNOWLEDGED',
        'TRAINING_PROGRESS_UPDATED',
        'TRAINING_COMPLETED',
      ]),
    );
  });

  it('a waiver (manager, with a reason) stops it before the due date', async () => {
    const tid = await training('Privacy basics');
    const a = await h.request('POST', '/compliance/assignments', ws.adminToken, {
      mandatory_training_id: tid,
      developer_id: org.owner.id,
      due_date: inSeconds(4),
    });
    const id = a.body.id as string;
    const noReason = await h.request('POST', `/compliance/assignments/${id}/waive`, org.manager.token, {});
    expect(noReason.status).toBe(400);
    const byOwner = await h.request('POST', `/compliance/assignments/${id}/waive`, org.owner.token, {
      reason: 'x',
    });
    expect(byOwner.status).toBe(403);
    const w = await h.request('POST', `/compliance/assignments/${id}/waive`, org.manager.token, {
      reason: 'Covered by the vendor programme',
    });
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject({ status: 'WAIVED', waived_by_id: org.manager.id });
    await workflowDone(`training_assignment/${id}`);
    expect((await assignment(id))?.status).toBe('WAIVED');
    expect((await assignment(id))?.current_escalation_level).toBeNull();
  });

  it('a required certification goes EXPIRING_SOON, EXPIRED, escalates; renew re-plans; revoke ends it', async () => {
    const def = await h.request('POST', '/compliance/certifications', ws.adminToken, {
      name: 'Cloud security',
      issuing_authority: 'ISC2',
      validity_months: 12,
      is_required: true,
      expiring_soon_offset: 'PT2S',
    });
    expect(def.status).toBe(201);
    const held = await h.request('POST', '/compliance/developer-certifications', ws.adminToken, {
      developer_id: org.owner.id,
      certification_id: def.body.id,
      expiry_date: inSeconds(4),
      credential_id: 'ABC-1',
    });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'ACTIVE', is_expired: false, missing_required: [] });
    const id = held.body.id as string;
    const get = async () =>
      (
        (
          await h.request(
            'GET',
            `/compliance/developer-certifications?developer_id=${org.owner.id}`,
            ws.adminToken,
          )
        ).body.data as Array<Record<string, unknown>>
      ).find((c) => c.id === id);
    const soon = await eventually(async () => {
      const c = await get();
      return c?.status === 'EXPIRING_SOON' ? c : null;
    });
    expect(soon.renewal_reminder_sent_at).toBeTruthy();
    expect(soon.is_expiring_soon).toBe(true);
    await eventually(async () => {
      const c = await get();
      return c?.status === 'EXPIRED' && c.current_escalation_level === 'L1';
    });
    const list = await h.request(
      'GET',
      `/compliance/developer-certifications?developer_id=${org.owner.id}`,
      ws.adminToken,
    );
    expect(list.body.missing_required).toEqual([{ certification_id: def.body.id, name: 'Cloud security' }]);

    const renew = await h.request(
      'POST',
      `/compliance/developer-certifications/${id}/renew`,
      org.owner.token,
      {
        expiry_date: inSeconds(4),
      },
    );
    expect(renew.status).toBe(200);
    expect(renew.body).toMatchObject({
      status: 'ACTIVE',
      current_escalation_level: null,
      missing_required: [],
    });
    await eventually(async () => (await get())?.status === 'EXPIRING_SOON');

    const verify = await h.request(
      'POST',
      `/compliance/developer-certifications/${id}/verify`,
      ws.adminToken,
    );
    expect(verify.body.verified_by_id).toBe(ws.adminId);
    const revoke = await h.request(
      'POST',
      `/compliance/developer-certifications/${id}/revoke`,
      org.manager.token,
      {
        reason: 'Credential withdrawn',
      },
    );
    expect(revoke.status).toBe(200);
    expect(revoke.body.status).toBe('REVOKED');
    await workflowDone(`member_certification/${id}`);
    expect((await get())?.status).toBe('REVOKED');
    const again = await h.request(
      'POST',
      `/compliance/developer-certifications/${id}/renew`,
      org.owner.token,
    );
    expect(again.status).toBe(422);
  });
});
