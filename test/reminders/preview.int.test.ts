import { type Harness, startHarness, type TestWorkspace } from '../harness';

/** POST /workspaces/{ws}/reminders/preview: the planner's own rules, in the reminder's time zone. */
describe('reminder schedule preview', () => {
  let h: Harness;
  let ws: TestWorkspace;

  beforeAll(async () => {
    h = await startHarness();
    ws = await h.workspace();
  });
  afterAll(() => h.close());

  const preview = (body: Record<string, unknown>, token = ws.adminToken) =>
    h.request('POST', `/workspaces/${ws.id}/reminders/preview`, token, body);

  it('reads a local start in the zone and lists the next occurrences, matching what create plans', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const res = await preview({
      frequency: 'MONTHLY',
      timezone: 'America/New_York',
      start_local: `${year}-01-31T09:30`,
      count: 3,
    });
    expect(res.status).toBe(200);
    expect(res.body.start_date).toBe(`${year}-01-31T14:30:00.000Z`);
    expect(res.body.occurrences.map((o: { local: string }) => o.local)).toEqual([
      expect.stringMatching(new RegExp(`^Sat 31 Jan ${year}, 09:30 EST$|^\\w{3} 31 Jan ${year}, 09:30 EST$`)),
      expect.stringMatching(/ (28|29) Feb \d{4}, 09:30 EST$/),
      expect.stringMatching(/ 31 Mar \d{4}, 09:30 EDT$/),
    ]);

    const created = await h.request('POST', `/workspaces/${ws.id}/reminders`, ws.adminToken, {
      title: 'Monthly review',
      frequency: 'MONTHLY',
      timezone: 'America/New_York',
      start_date: res.body.start_date,
    });
    expect(created.status).toBe(201);
    expect(Date.parse(created.body.next_occurrence)).toBe(Date.parse(res.body.occurrences[0].at));

    // Any member may preview; a changed frequency changes the answer.
    const member = await ws.member('MEMBER');
    const weekly = await preview(
      { frequency: 'WEEKLY', timezone: 'America/New_York', start_local: `${year}-01-31T09:30`, count: 2 },
      member.token,
    );
    expect(weekly.status).toBe(200);
    expect(weekly.body.occurrences[1].local).toMatch(/ 7 Feb /);
  });

  it('answers 400 with the schedule issues', async () => {
    const bad = await preview({
      frequency: 'CUSTOM',
      timezone: 'Mars/Base',
      start_date: new Date().toISOString(),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('timezone');
    const both = await preview({
      frequency: 'DAILY',
      start_local: '2030-01-01T09:00',
      start_date: '2030-01-01T09:00:00Z',
    });
    expect(both.status).toBe(400);
  });
});
