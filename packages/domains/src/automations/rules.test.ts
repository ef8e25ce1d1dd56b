import fc from 'fast-check';
import { CONDITION_FIELDS, type EventContext, matches, renderTemplate, templateProblem } from './rules';

const ctx = (payload: Record<string, unknown>, extra: Partial<EventContext> = {}): EventContext => ({
  event: { id: 'e1', type: 'escalation.fired', occurred_at: '2026-01-01T00:00:00.000Z' },
  subject: { type: 'ticket', id: 't1', title: 'Access review' },
  payload,
  ...extra,
});

describe('automation conditions', () => {
  it('an empty set matches everything; each field must hold an accepted value', () => {
    expect(matches({}, ctx({}))).toBe(true);
    expect(matches({ level: ['L2', 'L3'] }, ctx({ level: 'L2' }))).toBe(true);
    expect(matches({ level: ['L2'] }, ctx({ level: 'L1' }))).toBe(false);
    expect(matches({ level: ['L2'] }, ctx({}))).toBe(false);
    expect(matches({ level: ['L2'], severity: ['HIGH'] }, ctx({ level: 'L2' }, { severity: 'HIGH' }))).toBe(
      true,
    );
    expect(matches({ team: ['x'] }, ctx({}, { team_id: 'x' }))).toBe(true);
    expect(matches({ status: ['NON_COMPLIANT'] }, ctx({ before: 'AT_RISK', after: 'NON_COMPLIANT' }))).toBe(
      true,
    );
  });

  it('property: adding a condition never matches more events', () => {
    const value = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...CONDITION_FIELDS), fc.array(value, { maxLength: 2 })),
        fc.constantFrom(...CONDITION_FIELDS),
        fc.array(value, { maxLength: 2 }),
        fc.dictionary(fc.constantFrom(...CONDITION_FIELDS), value),
        (conds, field, extra, payload) => {
          const c = ctx(payload);
          if (matches({ ...conds, [field]: extra }, c))
            expect(matches(conds, c) || conds[field] !== undefined).toBe(true);
        },
      ),
    );
  });
});

describe('action templates', () => {
  it('fills placeholders from the event, subject and payload', () => {
    expect(
      renderTemplate(
        '{{subject.title}} escalated to {{payload.level}} ({{event.type}}){{payload.none}}',
        ctx({ level: 'L3' }),
      ),
    ).toBe('Access review escalated to L3 (escalation.fired)');
    expect(renderTemplate('x'.repeat(600), ctx({})).length).toBe(500);
  });
  it('refuses placeholders outside event, subject and payload', () => {
    expect(templateProblem('{{payload.level}} and {{ subject.id }}')).toBeNull();
    expect(templateProblem('{{process.env}}')).toMatch(/must start/);
    expect(templateProblem('{{a b}}')).toMatch(/Bad/);
  });
});
