import fc from 'fast-check';
import {
  compareMemberships,
  firstTeamByMember,
  hashToken,
  isValidTimeZone,
  parseClock,
  wouldCreateManagerCycle,
} from './rules';

describe('people rules', () => {
  it('hashes tokens with SHA-256 hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('validates IANA time zones', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('parses clock times', () => {
    expect(parseClock('07:30')).toBe(450);
    expect(() => parseClock('24:00')).toThrow();
  });

  it('detects manager cycles', () => {
    const chain: Record<string, string | null> = { a: 'b', b: 'c', c: null };
    expect(wouldCreateManagerCycle('c', 'a', (id) => chain[id])).toBe(true);
    expect(wouldCreateManagerCycle('c', null, (id) => chain[id])).toBe(false);
    expect(wouldCreateManagerCycle('d', 'a', (id) => chain[id])).toBe(false);
    expect(wouldCreateManagerCycle('a', 'a', (id) => chain[id])).toBe(true);
  });

  it('never reports a cycle when the manager chain does not reach the member', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }), (parents) => {
        // Build a forest where node i's manager is a node with a smaller index (never a cycle).
        const managerOf = (id: string) => {
          const i = Number(id);
          const p = (parents[i] ?? 0) % (i || 1);
          return i === 0 ? null : String(p);
        };
        // Node "10" is new and appears in nobody's chain, so any existing node is a safe manager.
        for (let i = 0; i < 10; i++) expect(wouldCreateManagerCycle('10', String(i), managerOf)).toBe(false);
      }),
    );
  });
});

describe('first team', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const t1 = new Date('2026-02-01T00:00:00Z');
  it('is the earliest membership, then the lower team id, whatever order the rows come in', () => {
    const rows = [
      { memberId: 'm1', teamId: 'b', createdAt: t1 },
      { memberId: 'm1', teamId: 'c', createdAt: t0 },
      { memberId: 'm2', teamId: 'z', createdAt: t0 },
      { memberId: 'm2', teamId: 'a', createdAt: t0 },
    ];
    expect(firstTeamByMember(rows)).toEqual(
      new Map([
        ['m1', 'c'],
        ['m2', 'a'],
      ]),
    );
    expect(firstTeamByMember([])).toEqual(new Map());
  });
  it('property: the answer does not depend on row order and is the first in membership order', () => {
    const row = fc.record({
      memberId: fc.constantFrom('m1', 'm2'),
      teamId: fc.constantFrom('t1', 't2', 't3'),
      createdAt: fc.constantFrom(t0, t1),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), (rows) => {
        const picked = firstTeamByMember(rows);
        expect(firstTeamByMember([...rows].reverse())).toEqual(picked);
        for (const [m, team] of picked)
          expect([...rows].filter((r) => r.memberId === m).sort(compareMemberships)[0]?.teamId).toBe(team);
      }),
    );
  });
});
