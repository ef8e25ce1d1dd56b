import fc from 'fast-check';
import { EVENT_TYPES, eventsFromAudit } from './rules';

const ws = '0190a0b0-0000-7000-8000-000000000001';
const target = '0190a0b0-0000-7000-8000-000000000002';
const change = (
  actionType: string,
  targetType: string,
  newValue: unknown,
  targetId: string | null = target,
) => ({
  id: '0190a0b0-0000-7000-8000-0000000000aa',
  workspaceId: ws,
  actorId: null,
  actionType,
  targetType,
  targetId,
  newValue,
});

describe('eventsFromAudit', () => {
  it('maps an escalation to escalation.fired with its level and targets, keyed by the audit entry', () => {
    const [e, ...rest] = eventsFromAudit(
      change('ESCALATION_TRIGGERED', 'ticket', {
        level: 'L2',
        target: { type: 'MANAGER' },
        target_member_ids: [ws],
      }),
    );
    expect(rest).toEqual([]);
    expect(e).toMatchObject({
      type: 'escalation.fired',
      subjectType: 'ticket',
      subjectId: target,
      dedupeKey: '0190a0b0-0000-7000-8000-0000000000aa',
      payload: { level: 'L2', target_member_ids: [ws], manual: false },
    });
  });

  it('an engine step marks one instance overdue; the sweep’s chunked entry emits none (it inserts its own)', () => {
    const [e] = eventsFromAudit(change('INSTANCE_OVERDUE', 'reminder_instance', { status: 'OVERDUE' }));
    expect(e).toMatchObject({ type: 'reminder_instance.overdue', subjectId: target });
    const chunk = change('INSTANCE_OVERDUE', 'reminder_instance', { instance_ids: [target, ws] }, null);
    expect(eventsFromAudit(chunk)).toEqual([]);
  });

  it('an approval both approves and publishes the version', () => {
    const out = eventsFromAudit(change('POLICY_APPROVED', 'policy', { version_id: ws, number: 2 }));
    expect(out.map((e) => e.type)).toEqual(['policy.approved', 'policy.version_published']);
  });

  it('an acknowledgement has the request as its subject', () => {
    const [e] = eventsFromAudit(
      change('POLICY_ACKNOWLEDGED', 'policy', { request_id: ws, employee_id: target }),
    );
    expect(e).toMatchObject({
      type: 'acknowledgement.completed',
      subjectId: ws,
      payload: { policy_id: target },
    });
  });

  it('ignores changes that are not events, and subjects that are not ids', () => {
    expect(eventsFromAudit(change('TRAINING_UPDATED', 'training', {}))).toEqual([]);
    expect(eventsFromAudit(change('MEMBER_OFFBOARDED', 'member', {}, 'not-a-uuid'))).toEqual([]);
    expect(eventsFromAudit(change('ESCALATION_TRIGGERED', 'somewhere', {}))).toEqual([]);
  });

  it('property: every event has a known type, a uuid subject and the audit id as its key', () => {
    const actions = [
      'INSTANCE_OVERDUE',
      'INSTANCE_COMPLETED',
      'ACKNOWLEDGEMENT_OVERDUE',
      'POLICY_ACKNOWLEDGED',
      'ESCALATION_TRIGGERED',
      'ESCALATION_ACKNOWLEDGED',
      'POLICY_APPROVED',
      'MEMBER_CREATED',
      'MEMBER_OFFBOARDED',
      'DOCUMENT_UPLOADED',
      'TICKET_CREATED',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...actions),
        fc.constantFrom('ticket', 'policy', 'member', 'reminder_instance', 'document'),
        fc.option(fc.oneof(fc.uuid(), fc.string()), { nil: null }),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (action, targetType, targetId, newValue) => {
          for (const e of eventsFromAudit(change(action, targetType, newValue, targetId))) {
            expect(EVENT_TYPES).toContain(e.type);
            expect(e.subjectId).toMatch(/^[0-9a-f-]{36}$/i);
            expect(e.dedupeKey).toBe('0190a0b0-0000-7000-8000-0000000000aa');
          }
        },
      ),
    );
  });
});
