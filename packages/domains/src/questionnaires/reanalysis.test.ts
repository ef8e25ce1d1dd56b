import fc from 'fast-check';
import { planSuggestions, type StoredSuggestion } from './reanalysis';
import { analyzeRows, parseSheet } from './rules';

const grid = [
  ['ID', 'Question', 'Answer'],
  ['AC-1', 'Do you review user access quarterly?', 'Yes'],
  ['AC-2', 'Is MFA enforced for all administrator accounts?', 'Yes'],
  ['HR-1', 'Do employees complete security awareness training every year?', 'Yes'],
];

describe('planSuggestions (re-analysis)', () => {
  const analysis = analyzeRows(parseSheet('Sheet1', grid)).suggestions;
  const store = (status = 'PENDING') =>
    analysis.map((s, i): StoredSuggestion => ({ ...s, id: `id-${i}`, status }));

  it('keeps every unchanged pending suggestion, same id; adds and removes nothing', () => {
    expect(planSuggestions(store(), analysis)).toEqual({
      keep: ['id-0', 'id-1', 'id-2'],
      update: [],
      insert: [],
      remove: [],
      decided: 0,
    });
  });

  it('updates a changed proposal in place, adds new questions, removes pending ones no longer suggested', () => {
    const stored = store();
    const [first, second, third] = stored as [StoredSuggestion, StoredSuggestion, StoredSuggestion];
    const fresh = [
      { ...(analysis[0] as (typeof analysis)[0]), title: 'Review access every quarter' },
      analysis[2] as (typeof analysis)[0],
      { ...(analysis[2] as (typeof analysis)[0]), questionId: 'NEW-1', title: 'New' },
    ];
    const plan = planSuggestions(stored, fresh);
    expect(plan.update).toEqual([{ id: first.id, suggestion: fresh[0] }]);
    expect(plan.keep).toEqual([third.id]);
    expect(plan.insert.map((s) => s.questionId)).toEqual(['NEW-1']);
    expect(plan.remove).toEqual([second.id]);
  });

  it('never touches, drops or re-suggests accepted and rejected suggestions', () => {
    const stored = [
      ...store('ACCEPTED').slice(0, 1),
      ...store('REJECTED').slice(1, 2),
      { ...(store()[1] as StoredSuggestion), id: 'stale-pending-of-rejected' },
    ];
    const plan = planSuggestions(stored, []);
    expect(plan).toMatchObject({ keep: [], update: [], insert: [], decided: 0 });
    expect(plan.remove).toEqual(['stale-pending-of-rejected']);
    const again = planSuggestions(stored, analysis);
    expect(again.decided).toBe(2);
    expect(again.insert.map((s) => s.questionId)).toEqual([analysis[2]?.questionId]);
  });

  it('property: no id is both kept and removed; decided ids are never in the plan', () => {
    const status = fc.constantFrom('PENDING', 'ACCEPTED', 'REJECTED');
    const qid = fc.constantFrom('AC-1', 'AC-2', 'HR-1', 'X');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(qid, status, fc.boolean()), { maxLength: 12 }),
        fc.uniqueArray(qid),
        (rows, freshIds) => {
          const base = analysis[0] as (typeof analysis)[0];
          const stored = rows.map(
            ([q, st, changed], i): StoredSuggestion => ({
              ...base,
              questionId: q,
              title: changed ? 'other' : base.title,
              id: `s${i}`,
              status: st,
            }),
          );
          const plan = planSuggestions(
            stored,
            freshIds.map((q) => ({ ...base, questionId: q })),
          );
          const touched = [...plan.keep, ...plan.update.map((u) => u.id), ...plan.remove];
          expect(new Set(touched).size).toBe(touched.length);
          for (const s of stored.filter((x) => x.status !== 'PENDING')) expect(touched).not.toContain(s.id);
          const pendingIds = stored.filter((x) => x.status === 'PENDING').map((x) => x.id);
          expect([...touched].sort()).toEqual([...pendingIds].sort());
        },
      ),
    );
  });
});
