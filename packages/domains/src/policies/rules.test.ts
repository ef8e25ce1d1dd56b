import fc from 'fast-check';
import {
  ACK_EVENT_TYPES,
  ACK_REQUEST_STATUSES,
  type AckHistoryEntry,
  type AckMember,
  ackDueDate,
  canTransition,
  contentSha256,
  diffVersions,
  membersForPolicy,
  mustReacknowledge,
  nextVersionNumber,
  POLICY_VERSION_STATUSES,
  type PolicyApplicability,
  type PolicyVersionStatus,
  policiesForMember,
  splitLines,
} from './rules';
import { ack, HASH_A, HASH_B } from './rules.fixtures';

describe('enum constants', () => {
  it('lists the statuses and event types of the spec', () => {
    expect(POLICY_VERSION_STATUSES).toEqual([
      'DRAFT',
      'PENDING_APPROVAL',
      'APPROVED',
      'SUPERSEDED',
      'REJECTED',
    ]);
    expect(ACK_EVENT_TYPES).toEqual(['NEW_HIRE', 'PERIODIC', 'MANUAL', 'POLICY_UPDATE']);
    expect(ACK_REQUEST_STATUSES).toEqual(['PENDING', 'ACKNOWLEDGED', 'OVERDUE', 'CANCELLED']);
  });
});

describe('contentSha256', () => {
  it('is the lower-case hex SHA-256 of the UTF-8 text', () => {
    expect(contentSha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(contentSha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('treats CRLF and CR line endings as LF', () => {
    expect(contentSha256('a\r\nb\rc\n')).toBe(contentSha256('a\nb\nc\n'));
  });

  it('still distinguishes other whitespace and a missing final newline', () => {
    expect(contentSha256('a\n')).not.toBe(contentSha256('a'));
    expect(contentSha256('a \n')).not.toBe(contentSha256('a\n'));
  });

  it('property: invariant under converting LF to CRLF', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const lf = s.replace(/\r/g, '');
        expect(contentSha256(lf.replace(/\n/g, '\r\n'))).toBe(contentSha256(lf));
      }),
    );
  });
});

describe('canTransition', () => {
  const allowed = new Set([
    'DRAFT>PENDING_APPROVAL',
    'DRAFT>APPROVED',
    'PENDING_APPROVAL>APPROVED',
    'PENDING_APPROVAL>REJECTED',
    'APPROVED>SUPERSEDED',
  ]);
  const pairs = POLICY_VERSION_STATUSES.flatMap((from) =>
    POLICY_VERSION_STATUSES.map((to) => [from, to] as [PolicyVersionStatus, PolicyVersionStatus]),
  );

  it.each(pairs)('%s -> %s follows the table', (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
  });

  it('has terminal SUPERSEDED and REJECTED states', () => {
    for (const to of POLICY_VERSION_STATUSES) {
      expect(canTransition('SUPERSEDED', to)).toBe(false);
      expect(canTransition('REJECTED', to)).toBe(false);
    }
  });
});

describe('policiesForMember / membersForPolicy', () => {
  const policies: PolicyApplicability[] = [
    { policyId: 'p-all', appliesToAll: true, roleIds: [] },
    { policyId: 'p-eng', appliesToAll: false, roleIds: ['eng'] },
    { policyId: 'p-hr-fin', appliesToAll: false, roleIds: ['hr', 'fin'] },
    { policyId: 'p-none', appliesToAll: false, roleIds: [] },
  ];

  it('returns appliesToAll policies and those sharing a role, sorted', () => {
    expect(policiesForMember(['fin', 'eng'], policies)).toEqual(['p-all', 'p-eng', 'p-hr-fin']);
    expect(policiesForMember([], policies)).toEqual(['p-all']);
  });

  it('deduplicates repeated policy ids', () => {
    expect(policiesForMember(['eng'], [...policies, ...policies])).toEqual(['p-all', 'p-eng']);
  });

  it('returns active members holding a mapped role, sorted, never inactive ones', () => {
    const members: AckMember[] = [
      { id: 'm3', roleIds: ['hr'], active: true },
      { id: 'm1', roleIds: ['fin'], active: true },
      { id: 'm2', roleIds: ['hr'], active: false },
      { id: 'm4', roleIds: ['eng'], active: true },
    ];
    expect(membersForPolicy(policies[2] as PolicyApplicability, members)).toEqual(['m1', 'm3']);
    expect(membersForPolicy(policies[0] as PolicyApplicability, members)).toEqual(['m1', 'm3', 'm4']);
    expect(membersForPolicy(policies[3] as PolicyApplicability, members)).toEqual([]);
  });

  const roleArb = fc.constantFrom('r1', 'r2', 'r3', 'r4');
  const policyArb = fc.record({
    policyId: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'),
    appliesToAll: fc.boolean(),
    roleIds: fc.uniqueArray(roleArb),
  });
  const memberArb = fc.record({
    id: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6'),
    roleIds: fc.uniqueArray(roleArb),
    active: fc.boolean(),
  });
  const uniqueMembers = fc.uniqueArray(memberArb, { selector: (m) => m.id });
  const uniquePolicies = fc.uniqueArray(policyArb, { selector: (p) => p.policyId });

  it('property: the two views agree for every active member and policy', () => {
    fc.assert(
      fc.property(uniqueMembers, uniquePolicies, (members, ps) => {
        for (const m of members) {
          const forMember = policiesForMember(m.roleIds, ps);
          for (const p of ps) {
            const fromPolicy = membersForPolicy(p, members).includes(m.id);
            expect(fromPolicy).toBe(m.active && forMember.includes(p.policyId));
          }
        }
      }),
    );
  });

  it('property: appliesToAll reaches every active member and inactive members are never reached', () => {
    fc.assert(
      fc.property(uniqueMembers, policyArb, (members, p) => {
        const reached = membersForPolicy(p, members);
        const active = members.filter((m) => m.active).map((m) => m.id);
        for (const m of members) if (!m.active) expect(reached).not.toContain(m.id);
        if (p.appliesToAll) expect(reached).toEqual([...active].sort());
        expect(reached).toEqual([...reached].sort());
      }),
    );
  });
});

describe('mustReacknowledge', () => {
  const base = { policyId: 'p1', newVersionId: 'v-new', newContentSha256: HASH_B };

  it('asks members who never acknowledged and those whose last ack was of other content', () => {
    const history = [ack('m1', HASH_A, '2024-01-01'), ack('m2', HASH_B, '2024-01-01')];
    expect(mustReacknowledge({ ...base, memberIds: ['m3', 'm2', 'm1'], history })).toEqual(['m1', 'm3']);
  });

  it('only the LAST acknowledgement counts', () => {
    const history = [
      ack('m1', HASH_B, '2024-01-01'),
      ack('m1', HASH_A, '2024-06-01'),
      ack('m2', HASH_A, '2024-06-01'),
      ack('m2', HASH_B, '2024-01-01'),
    ];
    expect(mustReacknowledge({ ...base, memberIds: ['m1', 'm2'], history })).toEqual(['m1', 'm2']);
    const later = [...history, ack('m2', HASH_B, '2024-09-01')];
    expect(mustReacknowledge({ ...base, memberIds: ['m1', 'm2'], history: later })).toEqual(['m1']);
  });

  it('ignores acknowledgements of other policies', () => {
    const history = [{ ...ack('m1', HASH_B, '2024-01-01'), policyId: 'p2' }];
    expect(mustReacknowledge({ ...base, memberIds: ['m1'], history })).toEqual(['m1']);
  });

  it('does not re-ask a member who already acknowledged the new version itself', () => {
    const history = [ack('m1', HASH_A, '2024-01-01', 'v-new')];
    expect(mustReacknowledge({ ...base, memberIds: ['m1'], history })).toEqual([]);
  });

  it('compares hashes case-insensitively and deduplicates member ids', () => {
    const history = [ack('m1', HASH_B.toUpperCase(), '2024-01-01')];
    expect(mustReacknowledge({ ...base, memberIds: ['m1', 'm2', 'm2'], history })).toEqual(['m2']);
  });

  const hashArb = fc.constantFrom(HASH_A, HASH_B, contentSha256('C'));
  const entryArb = fc.record({
    memberId: fc.constantFrom('m1', 'm2', 'm3', 'm4'),
    policyId: fc.constantFrom('p1', 'p2'),
    policyVersionId: fc.constantFrom('v1', 'v2', 'v3'),
    contentSha256: hashArb,
    acknowledgedAt: fc
      .integer({ min: 0, max: 1000 })
      .map((d) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000)),
  });

  it('property: asked iff the last ack of the policy is missing or of a different hash', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 25 }), hashArb, (history, newHash) => {
        const memberIds = ['m1', 'm2', 'm3', 'm4', 'm5'];
        const asked = mustReacknowledge({
          policyId: 'p1',
          newVersionId: 'v-fresh',
          newContentSha256: newHash,
          memberIds,
          history,
        });
        for (const id of memberIds) {
          const mine = history.filter((h) => h.memberId === id && h.policyId === 'p1');
          const latest = Math.max(...mine.map((h) => h.acknowledgedAt.getTime()));
          const lastOnes = mine.filter((h) => h.acknowledgedAt.getTime() === latest);
          const last = lastOnes[lastOnes.length - 1];
          expect(asked.includes(id)).toBe(last === undefined || last.contentSha256 !== newHash);
        }
      }),
    );
  });

  it('property: a same-hash ack followed by a later different-hash ack is asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 500 }), (start, gap) => {
        const t1 = new Date(Date.UTC(2023, 0, 1) + start * 86_400_000);
        const t2 = new Date(t1.getTime() + gap * 60_000);
        const history: AckHistoryEntry[] = [
          {
            memberId: 'm1',
            policyId: 'p1',
            policyVersionId: 'v2',
            contentSha256: HASH_A,
            acknowledgedAt: t2,
          },
          {
            memberId: 'm1',
            policyId: 'p1',
            policyVersionId: 'v1',
            contentSha256: HASH_B,
            acknowledgedAt: t1,
          },
        ];
        expect(mustReacknowledge({ ...base, memberIds: ['m1'], history })).toEqual(['m1']);
      }),
    );
  });
});

describe('ackDueDate', () => {
  it('adds whole UTC days, keeping the time of day', () => {
    expect(ackDueDate(new Date('2024-01-15T10:30:00Z'), 30).toISOString()).toBe('2024-02-14T10:30:00.000Z');
    expect(ackDueDate(new Date('2024-02-20T00:00:00Z'), 10).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(ackDueDate(new Date('2024-03-30T23:00:00Z'), 1).toISOString()).toBe('2024-03-31T23:00:00.000Z');
  });

  it('does not mutate its input and accepts zero days', () => {
    const from = new Date('2024-01-01T00:00:00Z');
    expect(ackDueDate(from, 0).getTime()).toBe(from.getTime());
    expect(from.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });

  it('rejects invalid dates and day counts', () => {
    expect(() => ackDueDate(new Date('nope'), 30)).toThrow(RangeError);
    expect(() => ackDueDate(new Date(0), -1)).toThrow(RangeError);
    expect(() => ackDueDate(new Date(0), 1.5)).toThrow(RangeError);
  });
});

describe('diffVersions', () => {
  it('reports added and removed lines with version numbers', () => {
    const d = diffVersions({ number: 1, content: 'a\nb\nc\n' }, { number: 2, content: 'a\nB\nc\nd\n' });
    expect(d).toEqual({
      from_version: 1,
      to_version: 2,
      added: 2,
      removed: 1,
      hunks: [
        { op: 'same', lines: ['a'] },
        { op: 'remove', lines: ['b'] },
        { op: 'add', lines: ['B'] },
        { op: 'same', lines: ['c'] },
        { op: 'add', lines: ['d'] },
      ],
    });
  });

  it('ignores line-ending style and a missing final newline', () => {
    const d = diffVersions({ number: 3, content: 'x\r\ny' }, { number: 4, content: 'x\ny\n' });
    expect(d.added).toBe(0);
    expect(d.removed).toBe(0);
    expect(d.hunks).toEqual([{ op: 'same', lines: ['x', 'y'] }]);
  });

  it('handles empty texts', () => {
    expect(diffVersions({ number: 1, content: '' }, { number: 2, content: '' }).hunks).toEqual([]);
    const d = diffVersions({ number: 1, content: '' }, { number: 2, content: 'one\n\ntwo' });
    expect(d).toMatchObject({ added: 3, removed: 0, hunks: [{ op: 'add', lines: ['one', '', 'two'] }] });
  });

  const textArb = fc
    .array(fc.constantFrom('alpha', 'beta', 'gamma', '', '  indented', 'delta'), { maxLength: 12 })
    .chain((lines) =>
      fc
        .constantFrom('\n', '\r\n')
        .chain((eol) => fc.boolean().map((finalEol) => ({ lines, eol, finalEol }))),
    )
    .map(({ lines, eol, finalEol }) => lines.join(eol) + (finalEol && lines.length > 0 ? eol : ''));

  it('property: counts match the hunks and the hunks rebuild both inputs', () => {
    fc.assert(
      fc.property(textArb, textArb, (a, b) => {
        const d = diffVersions({ number: 1, content: a }, { number: 2, content: b });
        const linesOf = (op: 'add' | 'remove' | 'same') =>
          d.hunks.filter((h) => h.op === op).reduce((n, h) => n + h.lines.length, 0);
        expect(d.added).toBe(linesOf('add'));
        expect(d.removed).toBe(linesOf('remove'));
        const norm = (s: string) => splitLines(s.replace(/\r\n/g, '\n'));
        expect(linesOf('same') + d.removed).toBe(norm(a).length);
        expect(linesOf('same') + d.added).toBe(norm(b).length);
        expect(d.hunks.filter((h) => h.op !== 'add').flatMap((h) => h.lines)).toEqual(norm(a));
        expect(d.hunks.filter((h) => h.op !== 'remove').flatMap((h) => h.lines)).toEqual(norm(b));
        for (const h of d.hunks) expect(h.lines.length).toBeGreaterThan(0);
      }),
    );
  });

  it('property: diffing a text with itself changes nothing', () => {
    fc.assert(
      fc.property(textArb, (a) => {
        const d = diffVersions({ number: 1, content: a }, { number: 1, content: a });
        expect(d.added + d.removed).toBe(0);
      }),
    );
  });
});

describe('nextVersionNumber', () => {
  it('starts at 1 and follows the highest existing number', () => {
    expect(nextVersionNumber([])).toBe(1);
    expect(nextVersionNumber([1, 2, 3])).toBe(4);
    expect(nextVersionNumber([3, 1])).toBe(4);
  });

  it('rejects invalid version numbers', () => {
    expect(() => nextVersionNumber([0])).toThrow(RangeError);
    expect(() => nextVersionNumber([1.5])).toThrow(RangeError);
  });

  it('property: greater than every existing number', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 })), (xs) => {
        const n = nextVersionNumber(xs);
        for (const x of xs) expect(n).toBeGreaterThan(x);
        expect(n).toBe(xs.length === 0 ? 1 : Math.max(...xs) + 1);
      }),
    );
  });
});
