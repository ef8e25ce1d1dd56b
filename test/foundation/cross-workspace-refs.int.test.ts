import { type Harness, type HttpResult, startHarness, type TestWorkspace } from '../harness';

const ZERO = '00000000-0000-4000-8000-000000000000';
const level = (lvl: string, after: string, target: Record<string, unknown>) => ({
  level: lvl,
  after,
  target,
  channels: ['email'],
});

describe('every stored reference is checked against the caller’s workspace', () => {
  let h: Harness;
  let a: TestWorkspace;
  let b: TestWorkspace;
  let aMember: { id: string; token: string };
  let aTeam: string;
  let bMember: { id: string; token: string };
  let bTeam: string;

  beforeAll(async () => {
    h = await startHarness();
    a = await h.workspace();
    b = await h.workspace();
    aMember = await a.member('MEMBER');
    bMember = await b.member('MEMBER');
    aTeam = (await h.request('POST', `/workspaces/${a.id}/teams`, a.adminToken, { name: 'A team' })).body.id;
    bTeam = (await h.request('POST', `/workspaces/${b.id}/teams`, b.adminToken, { name: 'B team' })).body.id;
  });
  afterAll(() => h.close());

  const refused = (res: HttpResult, fields: string[]) => {
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([...fields].sort());
  };

  it('escalation matrix rules may target only this workspace’s teams and members', async () => {
    const matrices = `/workspaces/${a.id}/escalation-matrices`;
    const rules = (team: string, member: string) => [
      level('L1', 'PT1H', { type: 'TEAM', id: team }),
      level('L2', 'PT2H', { type: 'MEMBERS', ids: [aMember.id, member] }),
    ];
    refused(await h.request('POST', matrices, a.adminToken, { name: 'x', rules: rules(bTeam, bMember.id) }), [
      'body.rules.0.target.id',
      'body.rules.1.target.ids',
    ]);
    const ok = await h.request('POST', matrices, a.adminToken, {
      name: 'ok',
      rules: rules(aTeam, aMember.id),
    });
    expect(ok.status).toBe(201);
    refused(
      await h.request('PATCH', `${matrices}/${ok.body.id}`, a.adminToken, {
        rules: rules(aTeam, bMember.id),
      }),
      ['body.rules.1.target.ids'],
    );
    expect((await h.request('GET', `${matrices}/${ok.body.id}`, a.adminToken)).body.rules).toEqual(
      rules(aTeam, aMember.id),
    );
  });

  it('a reminder’s escalation_config, its questionnaire and the default ladder are of this workspace', async () => {
    const reminder = await h.request('POST', `/workspaces/${a.id}/reminders`, a.adminToken, {
      title: 'Access review',
      frequency: 'QUARTERLY',
      start_date: new Date(Date.now() + 86_400_000).toISOString(),
      escalation_config: [level('L1', 'P1D', { type: 'TEAM', id: bTeam })],
    });
    refused(reminder, ['body.escalation_config.0.target.id']);
    const sourced = (source_type: string) =>
      h.request('POST', `/workspaces/${a.id}/reminders`, a.adminToken, {
        title: 'From a questionnaire',
        frequency: 'QUARTERLY',
        start_date: new Date(Date.now() + 86_400_000).toISOString(),
        source_type,
        source_id: ZERO,
      });
    refused(await sourced('questionnaire'), ['body.source_id']);
    expect((await sourced('jira')).status).toBe(201);
    const settings = await h.request('PATCH', `/workspaces/${a.id}/settings`, a.adminToken, {
      default_ladder: [level('L1', 'P1D', { type: 'MEMBERS', ids: [bMember.id] })],
    });
    refused(settings, ['body.default_ladder.0.target.ids']);
    expect(
      (await h.request('GET', `/workspaces/${a.id}/settings`, a.adminToken)).body.default_ladder,
    ).toBeNull();
  });

  it('a ticket’s obligation_id must be an obligation of its kind in this workspace', async () => {
    const tickets = `/workspaces/${a.id}/tickets`;
    const bTicket = await h.request('POST', `/workspaces/${b.id}/tickets`, b.adminToken, { title: 'B' });
    const open = (body: Record<string, unknown>) =>
      h.request('POST', tickets, a.adminToken, { title: 'A', ...body });
    refused(await open({ obligation_kind: 'ticket', obligation_id: bTicket.body.id }), [
      'body.obligation_id',
    ]);
    refused(await open({ obligation_kind: 'reminder_instance', obligation_id: ZERO }), [
      'body.obligation_id',
    ]);
    refused(await open({ obligation_id: bTicket.body.id }), ['body.obligation_kind']);
    refused(await open({ obligation_kind: 'spaceship', obligation_id: bTicket.body.id }), [
      'body.obligation_kind',
    ]);
    const first = await open({});
    const linked = await open({ obligation_kind: 'ticket', obligation_id: first.body.id });
    expect([linked.status, linked.body.obligation_id]).toEqual([201, first.body.id]);
    refused(
      await h.request('PATCH', `${tickets}/${linked.body.id}`, a.adminToken, {
        obligation_id: bTicket.body.id,
      }),
      ['body.obligation_id'],
    );
    const relinked = await h.request('PATCH', `${tickets}/${first.body.id}`, a.adminToken, {
      obligation_kind: 'ticket',
      obligation_id: linked.body.id,
    });
    expect([relinked.status, relinked.body.obligation_id]).toEqual([200, linked.body.id]);
    // Changing only the kind re-checks the stored id against it.
    refused(
      await h.request('PATCH', `${tickets}/${first.body.id}`, a.adminToken, {
        obligation_kind: 'reminder_instance',
      }),
      ['body.obligation_id'],
    );
  });

  it('another workspace’s role in the path is a 404', async () => {
    const aRole = (await h.request('POST', '/api/roles', a.adminToken, { name: 'Ops' })).body.id;
    for (const role of [aRole, ZERO]) {
      expect((await h.request('GET', `/api/roles/${role}/policies`, b.adminToken)).status).toBe(404);
      const assign = await h.request('POST', `/api/roles/${role}/assign_policies`, b.adminToken, {
        policy_ids: [],
      });
      expect([assign.status, assign.headers.get('content-type')]).toEqual([
        404,
        expect.stringMatching(/problem/),
      ]);
    }
    expect((await h.request('GET', `/api/roles/${aRole}/policies`, a.adminToken)).status).toBe(200);
  });

  it('acknowledgement events and acknowledgements name only this workspace’s members, roles and policies', async () => {
    const aRole = (await h.request('POST', '/api/roles', a.adminToken, { name: 'Finance' })).body.id;
    const aPolicy = (await h.request('POST', '/api/policies', a.adminToken, { name: 'P', content: 'x' })).body
      .policy.id;
    const event = await h.request('POST', '/api/acknowledgements/events', b.adminToken, {
      type: 'MANUAL',
      scope: { member_ids: [aMember.id, bMember.id], role_ids: [aRole], policy_ids: [aPolicy] },
    });
    refused(event, ['body.scope.member_ids', 'body.scope.role_ids', 'body.scope.policy_ids']);
    const mine = await h.request('POST', '/api/acknowledgements/events', b.adminToken, {
      type: 'MANUAL',
      scope: { member_ids: [bMember.id] },
    });
    expect(mine.status).toBe(201);
    // An acknowledgement recorded for another workspace's employee.
    const bPolicy = (await h.request('POST', '/api/policies', b.adminToken, { name: 'Q', content: 'y' })).body
      .policy.id;
    refused(
      await h.request('POST', `/api/acknowledge/${bPolicy}`, b.adminToken, { employee_id: aMember.id }),
      ['body.employee_id'],
    );
  });

  it('an assignment rule assigns only to this workspace’s members and teams, by id', async () => {
    const rules = `/workspaces/${b.id}/reminders/assignment-rules`;
    const rule = (assign: Record<string, unknown>) =>
      h.request('POST', rules, b.adminToken, {
        name: 'Security to A',
        rule_config: { conditions: { category: ['SECURITY'] }, assign },
      });
    refused(await rule({ owner_id: aMember.id }), ['body.rule_config.assign.owner_id']);
    refused(await rule({ team_id: aTeam }), ['body.rule_config.assign.team_id']);
    refused(await rule({ owner_id: 'not-a-uuid' }), ['body.rule_config.assign.owner_id']);
    expect((await rule({ team_id: bTeam, strategy: 'ROUND_ROBIN' })).status).toBe(201);
  });
});
