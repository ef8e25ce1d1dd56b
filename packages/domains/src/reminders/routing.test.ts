import fc from 'fast-check';
import {
  type AssignmentRuleRow,
  onCallAt,
  type RoutingInput,
  type RoutingTeam,
  type RuleConfig,
  roundRobinPick,
  routeInstance,
  ruleConfigSchema,
  ruleMatches,
  STRATEGIES,
} from './routing';
import { DAY, input, members, ops, owner, rule, teams } from './routing.fixtures';

describe('roundRobinPick', () => {
  it('starts at the first member and advances past the cursor, wrapping around', () => {
    const m = members(['a', 'b', 'c']);
    expect(roundRobinPick(ops, m, undefined)).toEqual({ ownerId: 'a', cursor: 0 });
    expect(roundRobinPick(ops, m, 0)).toEqual({ ownerId: 'b', cursor: 1 });
    expect(roundRobinPick(ops, m, 2)).toEqual({ ownerId: 'a', cursor: 0 });
    expect(roundRobinPick(ops, m, 7)).toEqual({ ownerId: 'c', cursor: 2 }); // 7 ≡ 1 (mod 3)
  });

  it('skips inactive or unknown members and keeps the cursor when nobody is active', () => {
    expect(roundRobinPick(ops, members(['a', 'c'], ['b']), 0)).toEqual({ ownerId: 'c', cursor: 2 });
    expect(roundRobinPick(ops, members(['c']), undefined)).toEqual({ ownerId: 'c', cursor: 2 });
    expect(roundRobinPick(ops, members([], ['a', 'b', 'c']), 1)).toEqual({ ownerId: null, cursor: 1 });
    expect(roundRobinPick({ id: 'x', memberIds: [] }, members([]), undefined)).toEqual({
      ownerId: null,
      cursor: -1,
    });
  });
});

describe('onCallAt', () => {
  const startsAt = new Date('2024-01-01T00:00:00Z');
  const team: RoutingTeam = {
    id: 'oc',
    memberIds: [],
    onCall: { memberIds: ['a', 'b', 'c'], periodDays: 7, startsAt },
  };
  const at = (ms: number) => new Date(startsAt.getTime() + ms);

  it('rotates on period boundaries', () => {
    const m = members(['a', 'b', 'c']);
    expect(onCallAt(team, m, at(0))).toBe('a');
    expect(onCallAt(team, m, at(7 * DAY - 1))).toBe('a');
    expect(onCallAt(team, m, at(7 * DAY))).toBe('b');
    expect(onCallAt(team, m, at(21 * DAY))).toBe('a');
    expect(onCallAt(team, m, at(-1))).toBe('c');
  });

  it('takes the next active member in rotation order', () => {
    expect(onCallAt(team, members(['a', 'c'], ['b']), at(7 * DAY))).toBe('c');
    expect(onCallAt(team, members(['a', 'b'], ['c']), at(14 * DAY))).toBe('a');
    expect(onCallAt(team, members([], ['a', 'b', 'c']), at(0))).toBeNull();
    expect(onCallAt({ ...team, onCall: null }, members(['a']), at(0))).toBeNull();
    expect(
      onCallAt({ ...team, onCall: { memberIds: ['a'], periodDays: 0, startsAt } }, members(['a']), at(0)),
    ).toBeNull();
  });
});

describe('routeInstance strategies', () => {
  it('FIXED uses the active default owner, else round robin in the default team', () => {
    expect(routeInstance(input({ defaultOwnerId: 'alice', defaultTeamId: 'ops' }))).toEqual({
      ownerId: 'alice',
      teamId: null,
      via: 'DEFAULT_OWNER',
      unassigned: false,
    });
    expect(routeInstance(input({ defaultOwnerId: 'b', defaultTeamId: 'ops' })).teamId).toBe('ops');
    const inactive = input({ defaultOwnerId: 'zed', defaultTeamId: 'ops', roundRobinCursors: { ops: 0 } });
    expect(routeInstance(inactive)).toEqual({
      ownerId: 'b',
      teamId: 'ops',
      via: 'DEFAULT_TEAM',
      cursorUpdate: { teamId: 'ops', cursor: 1 },
      unassigned: false,
    });
  });

  it('ROUND_ROBIN advances a persisted cursor and skips inactive members', () => {
    let cursors: Record<string, number> = {};
    const picks: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = routeInstance(
        input({
          strategy: 'ROUND_ROBIN',
          defaultTeamId: 'ops',
          members: members(['a', 'c'], ['b']),
          roundRobinCursors: cursors,
        }),
      );
      expect(r.via).toBe('ROUND_ROBIN');
      picks.push(r.ownerId ?? '-');
      if (r.cursorUpdate) cursors = { ...cursors, [r.cursorUpdate.teamId]: r.cursorUpdate.cursor };
    }
    expect(picks).toEqual(['a', 'c', 'a', 'c']);
  });

  it('ON_CALL uses the default team rotation at the due date', () => {
    const team: RoutingTeam = {
      id: 'oc',
      memberIds: ['a'],
      onCall: { memberIds: ['a', 'b'], periodDays: 1, startsAt: new Date('2024-05-01T00:00:00Z') },
    };
    const base = input({ strategy: 'ON_CALL', defaultTeamId: 'oc', teams: teams(team) });
    expect(routeInstance(base)).toMatchObject({ ownerId: 'a', teamId: 'oc', via: 'ON_CALL' });
    expect(routeInstance({ ...base, dueAt: new Date('2024-05-02T00:00:00Z') }).ownerId).toBe('b');
    const nobody = { ...base, members: members(['alice'], ['a', 'b']), defaultOwnerId: 'alice' };
    expect(routeInstance(nobody)).toMatchObject({ ownerId: 'alice', via: 'DEFAULT_OWNER' });
  });

  describe('DOMAIN_MAPPING', () => {
    const dm = (over: Partial<RoutingInput>) => input({ strategy: 'DOMAIN_MAPPING', ...over });

    it('uses the control owner primary, then the backup', () => {
      expect(routeInstance(dm({ controlOwners: [owner({})] }))).toMatchObject({
        ownerId: 'alice',
        teamId: 'sec',
        via: 'CONTROL_OWNER_PRIMARY',
      });
      const primaryGone = dm({ controlOwners: [owner({})], members: members(['bob'], ['alice']) });
      expect(routeInstance(primaryGone)).toMatchObject({ ownerId: 'bob', via: 'CONTROL_OWNER_BACKUP' });
      const noPrimary = dm({ controlOwners: [owner({ primaryOwnerId: null })] });
      expect(routeInstance(noPrimary)).toMatchObject({ ownerId: 'bob', via: 'CONTROL_OWNER_BACKUP' });
    });

    it('prefers the exact-domain row over a domain-less one and requires the control to match', () => {
      const rows = [
        owner({ id: 'any', primaryOwnerId: 'a' }),
        owner({ id: 'exact', domain: 'Security ', primaryOwnerId: 'b' }),
      ];
      expect(routeInstance(dm({ controlOwners: rows })).ownerId).toBe('b');
      expect(routeInstance(dm({ controlOwners: rows, domain: 'finance' })).ownerId).toBe('a');
      expect(routeInstance(dm({ controlOwners: [owner({ domain: 'finance' })] })).via).toBe('UNASSIGNED');
      expect(routeInstance(dm({ controlOwners: [owner({})], controlId: 'CC7.2' })).via).toBe('UNASSIGNED');
      expect(routeInstance(dm({ controlOwners: [owner({})], controlId: null })).via).toBe('UNASSIGNED');
    });

    it("falls back to the row's team when both owners are inactive", () => {
      const gone = dm({ controlOwners: [owner({})], members: members(['s2'], ['alice', 'bob', 's1']) });
      expect(routeInstance(gone)).toMatchObject({ ownerId: 's2', teamId: 'sec', via: 'CONTROL_OWNER_TEAM' });
    });

    it('uses domain team mappings by ascending priority, skipping teams without active members', () => {
      const mappings = [
        { id: 'm2', domain: 'security', teamId: 'ops', priority: 2 },
        { id: 'm1', domain: 'SECURITY', teamId: 'sec', priority: 1 },
        { id: 'm0', domain: 'finance', teamId: 'ops', priority: 0 },
      ];
      expect(routeInstance(dm({ domainTeamMappings: mappings }))).toEqual({
        ownerId: 's1',
        teamId: 'sec',
        via: 'DOMAIN_TEAM',
        cursorUpdate: { teamId: 'sec', cursor: 0 },
        unassigned: false,
      });
      const secEmpty = dm({ domainTeamMappings: mappings, members: members(['a', 'b'], ['s1', 's2']) });
      expect(routeInstance(secEmpty)).toMatchObject({ ownerId: 'a', teamId: 'ops', via: 'DOMAIN_TEAM' });
      expect(routeInstance(dm({ domainTeamMappings: mappings, domain: null })).via).toBe('UNASSIGNED');
    });
  });

  describe('CUSTOM_RULE', () => {
    const cr = (assignmentRules: AssignmentRuleRow[], over: Partial<RoutingInput> = {}) =>
      routeInstance(input({ strategy: 'CUSTOM_RULE', assignmentRules, ...over }));

    it('takes the first matching active rule by ascending priority', () => {
      const rules = [
        rule('late', 5, { conditions: { category: ['SECURITY'] }, assign: { owner_id: 'bob' } }),
        rule('off', 0, { conditions: {}, assign: { owner_id: 'a' } }, false),
        rule('early', 1, {
          conditions: { priority: ['HIGH'], tags_any: ['soc2', 'x'] },
          assign: { owner_id: 'alice' },
        }),
        rule('miss', 0, { conditions: { domain: ['finance'] }, assign: { owner_id: 'c' } }),
      ];
      expect(cr(rules)).toMatchObject({ ownerId: 'alice', via: 'RULE:early', teamId: null });
      expect(cr(rules, { tags: [] })).toMatchObject({ ownerId: 'bob', via: 'RULE:late' });
    });

    it('assigns the team by round robin unless the rule says FIXED', () => {
      const rr = rule('rr', 1, { conditions: {}, assign: { owner_id: 'zed', team_id: 'ops' } });
      expect(cr([rr], { roundRobinCursors: { ops: 0 } })).toMatchObject({
        ownerId: 'b',
        teamId: 'ops',
        via: 'RULE:rr',
        cursorUpdate: { teamId: 'ops', cursor: 1 },
      });
      const fixed = rule('fx', 1, { conditions: {}, assign: { team_id: 'ops', strategy: 'FIXED' } });
      const r = cr([fixed], { roundRobinCursors: { ops: 0 }, members: members(['b', 'c'], ['a']) });
      expect(r).toMatchObject({ ownerId: 'b', teamId: 'ops', via: 'RULE:fx' });
      expect(r.cursorUpdate).toBeUndefined();
    });

    it('falls back to defaults when no rule matches or the match yields nobody', () => {
      const none = rule('n', 1, { conditions: { category: ['AUDIT'] }, assign: { owner_id: 'a' } });
      expect(cr([none], { defaultOwnerId: 'alice' })).toMatchObject({
        ownerId: 'alice',
        via: 'DEFAULT_OWNER',
      });
      const dead = rule('d', 1, { conditions: {}, assign: { owner_id: 'zed' } });
      expect(cr([dead], { defaultTeamId: 'sec' })).toMatchObject({ ownerId: 's1', via: 'DEFAULT_TEAM' });
      expect(cr([dead])).toEqual({ ownerId: null, teamId: null, via: 'UNASSIGNED', unassigned: true });
    });
  });
});

describe('ruleMatches and ruleConfigSchema', () => {
  const target = { category: 'SECURITY', priority: 'HIGH', domain: 'Security', tags: ['soc2', 'iso'] };

  it('requires every given condition', () => {
    expect(ruleMatches({ conditions: {}, assign: {} }, target)).toBe(true);
    expect(
      ruleMatches(
        { conditions: { category: ['SECURITY', 'AUDIT'], domain: ['security'] }, assign: {} },
        target,
      ),
    ).toBe(true);
    expect(
      ruleMatches({ conditions: { category: ['SECURITY'], priority: ['LOW'] }, assign: {} }, target),
    ).toBe(false);
    expect(ruleMatches({ conditions: { tags_any: ['pci'] }, assign: {} }, target)).toBe(false);
    expect(ruleMatches({ conditions: { tags_any: ['iso'] }, assign: {} }, target)).toBe(true);
    expect(
      ruleMatches({ conditions: { domain: ['security'] }, assign: {} }, { ...target, domain: null }),
    ).toBe(false);
    expect(ruleMatches({ conditions: { category: [] }, assign: {} }, target)).toBe(false);
  });

  it('parses a valid config and rejects unknown keys, bad enums, empty lists, empty assign and bad ids', () => {
    const valid = {
      conditions: { category: ['SECURITY'], tags_any: ['soc2'] },
      assign: { team_id: '00000000-0000-4000-8000-000000000001', strategy: 'FIXED' },
    };
    const parsed: RuleConfig = ruleConfigSchema.parse(valid);
    expect(parsed).toEqual(valid);
    const bad = [
      { ...valid, extra: 1 },
      { conditions: { colour: ['red'] }, assign: { owner_id: 'a' } },
      { conditions: {}, assign: { owner_id: 'a', fallback: 'b' } },
      { conditions: { priority: ['URGENT'] }, assign: { owner_id: 'a' } },
      { conditions: { domain: [] }, assign: { owner_id: 'a' } },
      { conditions: {}, assign: {} },
      { conditions: {}, assign: { team_id: valid.assign.team_id, strategy: 'ON_CALL' } },
      { conditions: {}, assign: { owner_id: 'not-a-uuid' } },
    ];
    for (const b of bad) expect(ruleConfigSchema.safeParse(b).success).toBe(false);
  });
});

describe('properties', () => {
  const ids = fc.uniqueArray(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6'), { maxLength: 6 });

  it('routeInstance never returns an inactive owner', () => {
    const arb = fc.record({
      strategy: fc.constantFrom(...STRATEGIES),
      active: fc.dictionary(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6'), fc.boolean()),
      teamA: ids,
      teamB: ids,
      rotation: ids,
      defaultOwner: fc.option(fc.constantFrom('m1', 'm2', 'zz'), { nil: null }),
      defaultTeam: fc.option(fc.constantFrom('A', 'B', 'Z'), { nil: null }),
      primary: fc.option(fc.constantFrom('m1', 'm2', 'm3'), { nil: null }),
      backup: fc.option(fc.constantFrom('m4', 'm5', 'm6'), { nil: null }),
      ruleOwner: fc.option(fc.constantFrom('m1', 'm6', 'zz'), { nil: undefined }),
      cursor: fc.option(fc.integer({ min: -3, max: 10 }), { nil: undefined }),
      dueOffsetDays: fc.integer({ min: -100, max: 100 }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const m = new Map(Object.entries(r.active).map(([id, active]) => [id, { id, active }]));
        const startsAt = new Date('2024-01-01T00:00:00Z');
        const result = routeInstance(
          input({
            strategy: r.strategy,
            defaultOwnerId: r.defaultOwner,
            defaultTeamId: r.defaultTeam,
            dueAt: new Date(startsAt.getTime() + r.dueOffsetDays * DAY),
            members: m,
            teams: teams(
              { id: 'A', memberIds: r.teamA, onCall: { memberIds: r.rotation, periodDays: 3, startsAt } },
              { id: 'B', memberIds: r.teamB },
            ),
            controlOwners: [owner({ primaryOwnerId: r.primary, backupOwnerId: r.backup, teamId: 'B' })],
            domainTeamMappings: [{ id: 'd', domain: 'security', teamId: 'A', priority: 1 }],
            assignmentRules: [
              rule('r', 1, { conditions: {}, assign: { owner_id: r.ruleOwner, team_id: 'B' } }),
            ],
            roundRobinCursors: r.cursor === undefined ? {} : { A: r.cursor, B: r.cursor },
          }),
        );
        if (result.ownerId === null) {
          expect(result.unassigned).toBe(true);
        } else {
          expect(m.get(result.ownerId)?.active).toBe(true);
          expect(result.unassigned).toBe(false);
        }
      }),
    );
  });

  it('round robin over n picks with all members active visits each member once', () => {
    fc.assert(
      fc.property(
        ids.filter((l) => l.length > 0),
        fc.option(fc.integer({ min: -5, max: 20 }), { nil: undefined }),
        (list, start) => {
          const team: RoutingTeam = { id: 't', memberIds: list };
          const m = members(list);
          let cursor = start;
          const seen: string[] = [];
          for (let i = 0; i < list.length; i++) {
            const pick = roundRobinPick(team, m, cursor);
            seen.push(pick.ownerId ?? '-');
            cursor = pick.cursor;
          }
          expect([...seen].sort()).toEqual([...list].sort());
        },
      ),
    );
  });
});
