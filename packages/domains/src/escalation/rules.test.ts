import fc from 'fast-check';
import type { LadderLevelConfig, Target } from '../obligations/rules';
import { resolveLadder } from '../obligations/rules';
import type {
  EscalationContacts,
  EscalationMatrix,
  MatchInput,
  OrgMember,
  OrgSnapshot,
  OrgTeam,
} from './rules';
import { chooseLadder, DEFAULT_LADDER, ladderTargetIds, matchMatrix, resolveTargets } from './rules';

function member(id: string, managerId: string | null, teamIds: string[] = [], active = true): OrgMember {
  return { id, active, managerId, teamIds };
}

function org(
  members: OrgMember[],
  teams: OrgTeam[] = [],
  contacts: Partial<EscalationContacts> = {},
): OrgSnapshot {
  return {
    members: new Map(members.map((m) => [m.id, m])),
    teams: new Map(teams.map((t) => [t.id, t])),
    contacts: { directorId: null, vpExecId: null, cxoId: null, ...contacts },
  };
}

/** alice -> mark -> dora -> victor; alice is in t1 (lead lena) and t2 (lead tom). */
function fixture(
  overrides: Record<string, Partial<OrgMember>> = {},
  contacts: Partial<EscalationContacts> = {},
): OrgSnapshot {
  const base = [
    member('alice', 'mark', ['t1', 't2']),
    member('lena', 'mark', ['t1']),
    member('tom', 'dora', ['t2']),
    member('bob', 'mark', ['t1']),
    member('mark', 'dora'),
    member('dora', 'victor'),
    member('victor', null),
    member('vp', null),
    member('cx', null),
  ].map((m) => ({ ...m, ...overrides[m.id] }));
  return org(
    base,
    [
      { id: 't1', leadId: 'lena', memberIds: ['alice', 'lena', 'bob'] },
      { id: 't2', leadId: 'tom', memberIds: ['alice', 'tom'] },
    ],
    { vpExecId: 'vp', cxoId: 'cx', ...contacts },
  );
}

const inactive = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, { active: false }]));

describe('resolveTargets', () => {
  it('TEAM_LEAD: lead of the given or first team, else the manager', () => {
    expect(resolveTargets({ type: 'TEAM_LEAD' }, 'alice', fixture())).toEqual(['lena']);
    expect(resolveTargets({ type: 'TEAM_LEAD' }, 'alice', fixture(), 't2')).toEqual(['tom']);
    expect(resolveTargets({ type: 'TEAM_LEAD' }, 'alice', fixture(inactive('lena')))).toEqual(['mark']);
    expect(resolveTargets({ type: 'TEAM_LEAD' }, 'lena', fixture())).toEqual(['mark']);
    expect(resolveTargets({ type: 'TEAM_LEAD' }, 'alice', fixture(), 'gone')).toEqual(['mark']);
    expect(resolveTargets({ type: 'TEAM_LEAD' }, null, fixture(), 't2')).toEqual(['tom']);
    expect(resolveTargets({ type: 'TEAM_LEAD' }, 'alice', fixture(inactive('lena', 'mark')))).toEqual([
      'dora',
    ]);
  });

  it('MANAGER: the first active member up the chain', () => {
    expect(resolveTargets({ type: 'MANAGER' }, 'alice', fixture())).toEqual(['mark']);
    expect(resolveTargets({ type: 'MANAGER' }, 'alice', fixture(inactive('mark')))).toEqual(['dora']);
    expect(resolveTargets({ type: 'MANAGER' }, 'alice', fixture(inactive('mark', 'dora', 'victor')))).toEqual(
      [],
    );
    expect(resolveTargets({ type: 'MANAGER' }, 'victor', fixture())).toEqual([]);
    expect(resolveTargets({ type: 'MANAGER' }, null, fixture())).toEqual([]);
    expect(resolveTargets({ type: 'MANAGER' }, 'stranger', fixture())).toEqual([]);
  });

  it('guards against manager cycles and never returns the owner', () => {
    const cyclic = org([
      member('a', 'b'),
      member('b', 'c', [], false),
      member('c', 'b', [], false),
      member('x', 'y', [], false),
      member('y', 'x'),
    ]);
    expect(resolveTargets({ type: 'MANAGER' }, 'a', cyclic)).toEqual([]);
    expect(resolveTargets({ type: 'DIRECTOR' }, 'a', cyclic)).toEqual([]);
    expect(resolveTargets({ type: 'MANAGER' }, 'y', cyclic)).toEqual([]);
    expect(resolveTargets({ type: 'MANAGER' }, 'x', cyclic)).toEqual(['y']);
  });

  it("DIRECTOR: the configured director, else the manager's manager", () => {
    expect(resolveTargets({ type: 'DIRECTOR' }, 'alice', fixture())).toEqual(['dora']);
    expect(resolveTargets({ type: 'DIRECTOR' }, 'alice', fixture({}, { directorId: 'victor' }))).toEqual([
      'victor',
    ]);
    const gone = fixture(inactive('victor'), { directorId: 'victor' });
    expect(resolveTargets({ type: 'DIRECTOR' }, 'alice', gone)).toEqual(['dora']);
    expect(resolveTargets({ type: 'DIRECTOR' }, 'alice', fixture(inactive('mark')))).toEqual(['victor']);
    expect(resolveTargets({ type: 'DIRECTOR' }, 'alice', fixture({}, { directorId: 'alice' }))).toEqual([
      'dora',
    ]);
  });

  it('VP_EXEC and CXO fall back to each other', () => {
    expect(resolveTargets({ type: 'VP_EXEC' }, 'alice', fixture())).toEqual(['vp']);
    expect(resolveTargets({ type: 'VP_EXEC' }, 'alice', fixture(inactive('vp')))).toEqual(['cx']);
    expect(resolveTargets({ type: 'CXO' }, 'alice', fixture())).toEqual(['cx']);
    expect(resolveTargets({ type: 'CXO' }, 'alice', fixture({}, { cxoId: null }))).toEqual(['vp']);
    expect(resolveTargets({ type: 'CXO' }, 'alice', fixture(inactive('vp', 'cx')))).toEqual([]);
    expect(resolveTargets({ type: 'VP_EXEC' }, 'vp', fixture())).toEqual(['cx']);
  });

  it('MEMBERS and TEAM: active, not the owner, unique, sorted', () => {
    const ids = ['mark', 'bob', 'alice', 'mark', 'ghost', 'dora'];
    expect(resolveTargets({ type: 'MEMBERS', ids }, 'alice', fixture(inactive('dora')))).toEqual([
      'bob',
      'mark',
    ]);
    expect(resolveTargets({ type: 'TEAM', id: 't1' }, 'alice', fixture())).toEqual(['bob', 'lena']);
    expect(resolveTargets({ type: 'TEAM', id: 't2' }, 'bob', fixture())).toEqual(['alice', 'tom']);
    expect(resolveTargets({ type: 'TEAM', id: 'nope' }, 'alice', fixture())).toEqual([]);
  });

  it('never returns inactive members, the owner, duplicates or unsorted ids', () => {
    const ids = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];
    const teamIds = ['t0', 't1'];
    const arbId = fc.constantFrom(...ids);
    const arbNullableId = fc.option(fc.constantFrom(...ids, 'ghost'), { nil: null });
    const arbOrg = fc
      .record({
        members: fc.tuple(
          ...ids.map((id) =>
            fc.record({
              id: fc.constant(id),
              active: fc.boolean(),
              managerId: arbNullableId,
              teamIds: fc.subarray([...teamIds, 'gone']),
            }),
          ),
        ),
        teams: fc.tuple(
          ...teamIds.map((id) =>
            fc.record({
              id: fc.constant(id),
              leadId: arbNullableId,
              memberIds: fc.array(arbId, { maxLength: 4 }),
            }),
          ),
        ),
        contacts: fc.record({ directorId: arbNullableId, vpExecId: arbNullableId, cxoId: arbNullableId }),
      })
      .map((r) => org(r.members, r.teams, r.contacts));
    const arbTarget: fc.Arbitrary<Target> = fc.oneof(
      fc.constantFrom<Target>(
        { type: 'TEAM_LEAD' },
        { type: 'MANAGER' },
        { type: 'DIRECTOR' },
        { type: 'VP_EXEC' },
        { type: 'CXO' },
      ),
      fc
        .array(fc.constantFrom(...ids, 'ghost'), { maxLength: 6 })
        .map((m): Target => ({ type: 'MEMBERS', ids: m })),
      fc.constantFrom(...teamIds, 'gone').map((id): Target => ({ type: 'TEAM', id })),
    );
    fc.assert(
      fc.property(
        arbOrg,
        arbTarget,
        fc.option(arbId, { nil: null }),
        fc.option(fc.constantFrom(...teamIds, 'gone'), { nil: undefined }),
        (snapshot, target, owner, ownerTeamId) => {
          const out = resolveTargets(target, owner, snapshot, ownerTeamId);
          expect(new Set(out).size).toBe(out.length);
          expect(out).toEqual([...out].sort());
          for (const id of out) {
            expect(id).not.toBe(owner);
            expect(snapshot.members.get(id)?.active).toBe(true);
          }
          if (target.type !== 'MEMBERS' && target.type !== 'TEAM') expect(out.length).toBeLessThanOrEqual(1);
          expect(resolveTargets(target, owner, snapshot, ownerTeamId)).toEqual(out);
        },
      ),
      { numRuns: 500 },
    );
  });
});

function matrix(id: string, over: Partial<EscalationMatrix> = {}): EscalationMatrix {
  return {
    id,
    severityLevels: [],
    rules: [],
    formIds: [],
    teamIds: [],
    priorityOrder: 0,
    isActive: true,
    ...over,
  };
}

describe('matchMatrix', () => {
  it('prefers the most specific active match, then priority, then id', () => {
    const wildcard = matrix('m-any');
    const high = matrix('m-high', { severityLevels: ['HIGH', 'CRITICAL'], priorityOrder: 5 });
    const highForm = matrix('m-high-form', { severityLevels: ['HIGH'], formIds: ['f1'], priorityOrder: 9 });
    const off = matrix('m-off', {
      severityLevels: ['HIGH'],
      formIds: ['f1'],
      teamIds: ['t1'],
      isActive: false,
    });
    const all = [wildcard, high, highForm, off];
    expect(matchMatrix(all, { severity: 'HIGH', formId: 'f1', teamId: 't1' })?.id).toBe('m-high-form');
    expect(matchMatrix(all, { severity: 'HIGH', formId: 'f2' })?.id).toBe('m-high');
    expect(matchMatrix(all, { severity: 'LOW' })?.id).toBe('m-any');
    expect(matchMatrix(all, {})?.id).toBe('m-any');
    expect(matchMatrix([high, off], { severity: null })).toBeNull();
    expect(matchMatrix([], { severity: 'HIGH' })).toBeNull();
    const b = matrix('b', { priorityOrder: 1 });
    expect(matchMatrix([b, matrix('c', { priorityOrder: 2 })], {})?.id).toBe('b');
    expect(matchMatrix([matrix('z', { priorityOrder: 1 }), b], {})?.id).toBe('b');
  });

  it('returns the best active match regardless of input order', () => {
    const arbMatrix: fc.Arbitrary<EscalationMatrix> = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      severityLevels: fc.subarray(['LOW', 'HIGH']),
      formIds: fc.subarray(['f1', 'f2']),
      teamIds: fc.subarray(['t1', 't2']),
      priorityOrder: fc.integer({ min: 0, max: 3 }),
      isActive: fc.boolean(),
      rules: fc.constant<EscalationMatrix['rules']>([]),
    });
    const arbInput: fc.Arbitrary<MatchInput> = fc.record({
      severity: fc.option(fc.constantFrom('LOW', 'HIGH'), { nil: null }),
      formId: fc.option(fc.constantFrom('f1', 'f2'), { nil: undefined }),
      teamId: fc.option(fc.constantFrom('t1', 't2'), { nil: null }),
    });
    const matches = (m: EscalationMatrix, i: MatchInput): boolean =>
      m.isActive &&
      (
        [
          [m.severityLevels, i.severity],
          [m.formIds, i.formId],
          [m.teamIds, i.teamId],
        ] as const
      ).every(([list, v]) => list.length === 0 || (v != null && list.includes(v)));
    const score = (m: EscalationMatrix) =>
      [m.severityLevels, m.formIds, m.teamIds].filter((l) => l.length > 0).length;
    fc.assert(
      fc.property(
        fc
          .uniqueArray(arbMatrix, { selector: (m) => m.id, maxLength: 5 })
          .chain((ms) => fc.tuple(fc.constant(ms), fc.shuffledSubarray(ms, { minLength: ms.length }))),
        arbInput,
        ([ms, shuffled], input) => {
          const best = matchMatrix(ms, input);
          expect(matchMatrix(shuffled, input)).toBe(best);
          const candidates = ms.filter((m) => matches(m, input));
          if (best === null) {
            expect(candidates).toEqual([]);
            return;
          }
          expect(matches(best, input)).toBe(true);
          for (const other of candidates) {
            if (other === best) continue;
            const better =
              score(other) > score(best) ||
              (score(other) === score(best) &&
                (other.priorityOrder < best.priorityOrder ||
                  (other.priorityOrder === best.priorityOrder && other.id < best.id)));
            expect(better).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('chooseLadder and DEFAULT_LADDER', () => {
  const own: LadderLevelConfig[] = [
    { level: 'L1', after: 'PT2S', target: { type: 'MANAGER' }, channels: ['log'] },
  ];
  const sev = matrix('m-sev', {
    severityLevels: ['HIGH'],
    rules: [
      { level: 'L2', after: 'PT48H', target: { type: 'MANAGER' }, channels: ['email'], status: 'OPEN' },
      { level: 'L1', after: 'PT24H', target: { type: 'TEAM_LEAD' }, channels: ['slack'], status: 'OPEN' },
    ],
  });
  const empty = matrix('m-empty', { severityLevels: ['LOW'] });

  it('uses the item own ladder first', () => {
    expect(
      chooseLadder({ own, matrices: [sev], match: { severity: 'HIGH' }, workspaceDefault: DEFAULT_LADDER }),
    ).toEqual({ source: 'OWN', levels: own });
  });

  it('then the matching matrix, rules sorted by level without status', () => {
    const chosen = chooseLadder({
      own: [],
      matrices: [sev],
      match: { severity: 'HIGH' },
      workspaceDefault: [],
    });
    expect(chosen.source).toBe('MATRIX');
    expect(chosen.matrixId).toBe('m-sev');
    expect(chosen.levels).toEqual([
      { level: 'L1', after: 'PT24H', target: { type: 'TEAM_LEAD' }, channels: ['slack'] },
      { level: 'L2', after: 'PT48H', target: { type: 'MANAGER' }, channels: ['email'] },
    ]);
    expect(resolveLadder(chosen.levels).map((l) => l.afterMs)).toEqual([86_400_000, 172_800_000]);
  });

  it('else the workspace default (also when the matrix has no rules)', () => {
    for (const match of [{ severity: 'MEDIUM' }, { severity: 'LOW' }]) {
      const chosen = chooseLadder({
        own: null,
        matrices: [sev, empty],
        match,
        workspaceDefault: DEFAULT_LADDER,
      });
      expect(chosen).toEqual({ source: 'DEFAULT', levels: DEFAULT_LADDER });
      expect(chosen.levels).not.toBe(DEFAULT_LADDER);
    }
  });

  it('default ladder climbs L1..L4 over 1, 3, 7 and 14 days', () => {
    const day = 86_400_000;
    expect(resolveLadder(DEFAULT_LADDER).map((l) => [l.level, l.afterMs, l.target.type])).toEqual([
      ['L1', day, 'TEAM_LEAD'],
      ['L2', 3 * day, 'MANAGER'],
      ['L3', 7 * day, 'DIRECTOR'],
      ['L4', 14 * day, 'VP_EXEC'],
    ]);
    expect(DEFAULT_LADDER.every((l) => l.channels.join() === 'email,slack')).toBe(true);
  });
});

describe('ladderTargetIds', () => {
  it('names the field of every member and team a ladder targets', () => {
    const ladder: Array<{ target: Target }> = [
      { target: { type: 'TEAM_LEAD' } },
      { target: { type: 'MEMBERS', ids: ['m1', 'm2'] } },
      { target: { type: 'TEAM', id: 't1' } },
      { target: { type: 'CXO' } },
    ];
    expect(ladderTargetIds('body.rules', ladder)).toEqual({
      members: { 'body.rules.1.target.ids': ['m1', 'm2'] },
      teams: { 'body.rules.2.target.id': ['t1'] },
    });
    expect(ladderTargetIds('body.default_ladder', null)).toEqual({ members: {}, teams: {} });
  });
});
