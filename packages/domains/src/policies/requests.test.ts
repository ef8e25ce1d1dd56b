import fc from 'fast-check';
import {
  ACK_EVENT_TYPES,
  type AckEventPolicy,
  type AckHistoryEntry,
  type AckMember,
  policiesForMember,
  requestsForEvent,
} from './rules';
import { ack, HASH_A, HASH_B } from './rules.fixtures';

describe('requestsForEvent', () => {
  const members: AckMember[] = [
    { id: 'm2', roleIds: ['eng'], active: true },
    { id: 'm1', roleIds: ['hr'], active: true },
    { id: 'm3', roleIds: ['eng', 'hr'], active: false },
    { id: 'm4', roleIds: ['sales'], active: true },
  ];
  const policies: AckEventPolicy[] = [
    {
      policyId: 'p-eng',
      appliesToAll: false,
      roleIds: ['eng'],
      activeVersionId: 'v-eng',
      activeContentSha256: HASH_A,
    },
    {
      policyId: 'p-all',
      appliesToAll: true,
      roleIds: [],
      activeVersionId: 'v-all',
      activeContentSha256: HASH_B,
    },
    {
      policyId: 'p-draft',
      appliesToAll: true,
      roleIds: [],
      activeVersionId: null,
      activeContentSha256: null,
    },
  ];
  const pairs = (rows: Array<{ memberId: string; policyId: string }>) =>
    rows.map((r) => `${r.memberId}:${r.policyId}`);

  it.each(['NEW_HIRE', 'PERIODIC', 'MANUAL'] as const)(
    '%s covers every active member x applicable approved policy, sorted',
    (type) => {
      const out = requestsForEvent({ type, members, policies, history: [] });
      expect(out).toEqual([
        { memberId: 'm1', policyId: 'p-all', policyVersionId: 'v-all' },
        { memberId: 'm2', policyId: 'p-all', policyVersionId: 'v-all' },
        { memberId: 'm2', policyId: 'p-eng', policyVersionId: 'v-eng' },
        { memberId: 'm4', policyId: 'p-all', policyVersionId: 'v-all' },
      ]);
    },
  );

  it('does not consult history for non-update events', () => {
    const history = [{ ...ack('m1', HASH_B, '2024-01-01', 'v-all'), policyId: 'p-all' }];
    expect(pairs(requestsForEvent({ type: 'PERIODIC', members, policies, history }))).toContain('m1:p-all');
  });

  it('filters by scope.memberIds', () => {
    const out = requestsForEvent({
      type: 'NEW_HIRE',
      members,
      policies,
      history: [],
      scope: { memberIds: ['m2', 'm3'] },
    });
    expect(pairs(out)).toEqual(['m2:p-all', 'm2:p-eng']);
  });

  it('filters by scope.roleIds (members holding any listed role)', () => {
    const out = requestsForEvent({
      type: 'MANUAL',
      members,
      policies,
      history: [],
      scope: { roleIds: ['hr', 'sales'] },
    });
    expect(pairs(out)).toEqual(['m1:p-all', 'm4:p-all']);
  });

  it('filters by scope.policyIds', () => {
    const out = requestsForEvent({
      type: 'MANUAL',
      members,
      policies,
      history: [],
      scope: { policyIds: ['p-eng'] },
    });
    expect(pairs(out)).toEqual(['m2:p-eng']);
  });

  it('combines scope filters and treats an explicitly empty list as selecting nothing', () => {
    const scoped = requestsForEvent({
      type: 'MANUAL',
      members,
      policies,
      history: [],
      scope: { memberIds: ['m1', 'm2'], roleIds: ['eng'], policyIds: ['p-all'] },
    });
    expect(pairs(scoped)).toEqual(['m2:p-all']);
    expect(
      requestsForEvent({ type: 'MANUAL', members, policies, history: [], scope: { memberIds: [] } }),
    ).toEqual([]);
    expect(
      requestsForEvent({ type: 'MANUAL', members, policies, history: [], scope: { policyIds: [] } }),
    ).toEqual([]);
  });

  it('POLICY_UPDATE asks only for the changed policy and only members owing it', () => {
    const history: AckHistoryEntry[] = [
      {
        memberId: 'm1',
        policyId: 'p-all',
        policyVersionId: 'v-old',
        contentSha256: HASH_B,
        acknowledgedAt: new Date(1),
      },
      {
        memberId: 'm2',
        policyId: 'p-all',
        policyVersionId: 'v-old',
        contentSha256: HASH_A,
        acknowledgedAt: new Date(1),
      },
    ];
    const out = requestsForEvent({
      type: 'POLICY_UPDATE',
      members,
      policies,
      history,
      changedPolicyId: 'p-all',
    });
    expect(out).toEqual([
      { memberId: 'm2', policyId: 'p-all', policyVersionId: 'v-all' },
      { memberId: 'm4', policyId: 'p-all', policyVersionId: 'v-all' },
    ]);
  });

  it('POLICY_UPDATE respects scope and returns nothing for unknown or unapproved policies', () => {
    const scoped = requestsForEvent({
      type: 'POLICY_UPDATE',
      members,
      policies,
      history: [],
      changedPolicyId: 'p-all',
      scope: { roleIds: ['sales'] },
    });
    expect(pairs(scoped)).toEqual(['m4:p-all']);
    const base = { type: 'POLICY_UPDATE' as const, members, policies, history: [] };
    expect(requestsForEvent({ ...base, changedPolicyId: 'p-draft' })).toEqual([]);
    expect(requestsForEvent({ ...base, changedPolicyId: 'nope' })).toEqual([]);
    expect(requestsForEvent({ ...base, changedPolicyId: 'p-all', scope: { policyIds: ['p-eng'] } })).toEqual(
      [],
    );
  });

  it('POLICY_UPDATE without changedPolicyId is a programming error', () => {
    expect(() => requestsForEvent({ type: 'POLICY_UPDATE', members, policies, history: [] })).toThrow(
      /changedPolicyId/,
    );
  });

  const eventArb = fc.record({
    type: fc.constantFrom(...ACK_EVENT_TYPES),
    members: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5'),
        roleIds: fc.uniqueArray(fc.constantFrom('r1', 'r2', 'r3')),
        active: fc.boolean(),
      }),
      { selector: (m) => m.id },
    ),
    policies: fc.uniqueArray(
      fc.record({
        policyId: fc.constantFrom('p1', 'p2', 'p3'),
        appliesToAll: fc.boolean(),
        roleIds: fc.uniqueArray(fc.constantFrom('r1', 'r2', 'r3')),
        activeVersionId: fc.option(fc.constantFrom('va', 'vb')),
        activeContentSha256: fc.option(fc.constantFrom(HASH_A, HASH_B)),
      }),
      { selector: (p) => p.policyId },
    ),
    scope: fc.option(
      fc.record(
        {
          memberIds: fc.uniqueArray(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5')),
          roleIds: fc.uniqueArray(fc.constantFrom('r1', 'r2', 'r3')),
          policyIds: fc.uniqueArray(fc.constantFrom('p1', 'p2', 'p3')),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
    changedPolicyId: fc.constantFrom('p1', 'p2', 'p3'),
  });

  it('property: output is sorted, unique, scoped, active-only and applicable', () => {
    fc.assert(
      fc.property(eventArb, (ev) => {
        const out = requestsForEvent({ ...ev, history: [] });
        const keys = pairs(out);
        expect(new Set(keys).size).toBe(keys.length);
        const sorted = [...out].sort((a, b) =>
          a.memberId === b.memberId ? (a.policyId < b.policyId ? -1 : 1) : a.memberId < b.memberId ? -1 : 1,
        );
        expect(out).toEqual(sorted);
        for (const r of out) {
          const m = ev.members.find((x) => x.id === r.memberId);
          const p = ev.policies.find((x) => x.policyId === r.policyId);
          expect(m?.active).toBe(true);
          expect(p?.activeVersionId).toBe(r.policyVersionId);
          expect(policiesForMember(m?.roleIds ?? [], ev.policies)).toContain(r.policyId);
          if (ev.scope?.memberIds) expect(ev.scope.memberIds).toContain(r.memberId);
          if (ev.scope?.policyIds) expect(ev.scope.policyIds).toContain(r.policyId);
          if (ev.scope?.roleIds) expect(m?.roleIds.some((x) => ev.scope?.roleIds?.includes(x))).toBe(true);
          if (ev.type === 'POLICY_UPDATE') expect(r.policyId).toBe(ev.changedPolicyId);
        }
      }),
    );
  });

  it('property: with no history, POLICY_UPDATE asks exactly the MANUAL requests for that policy', () => {
    fc.assert(
      fc.property(eventArb, (ev) => {
        const update = requestsForEvent({ ...ev, type: 'POLICY_UPDATE', history: [] });
        const manual = requestsForEvent({ ...ev, type: 'MANUAL', history: [] }).filter(
          (r) => r.policyId === ev.changedPolicyId,
        );
        const changed = ev.policies.find((p) => p.policyId === ev.changedPolicyId);
        expect(update).toEqual(changed?.activeContentSha256 ? manual : []);
      }),
    );
  });
});
