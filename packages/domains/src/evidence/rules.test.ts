import fc from 'fast-check';
import {
  chainHash,
  channelOf,
  checkExportedChain,
  type ExportedAuditEntry,
  evidencePath,
  MAX_PERIOD_DAYS,
  normalizeSections,
  PACK_SECTIONS,
  periodErrors,
  progressOf,
  safeSegment,
} from './rules';

const now = new Date('2026-06-01T00:00:00Z');
const day = 86_400_000;

describe('periodErrors', () => {
  it('accepts a past period, and one that ends in the future', () => {
    expect(periodErrors(new Date(now.getTime() - 90 * day), now, now)).toEqual([]);
    expect(periodErrors(new Date(now.getTime() - day), new Date(now.getTime() + day), now)).toEqual([]);
  });
  it('names the field at fault', () => {
    expect(periodErrors(now, now, now).map((e) => e.field)).toEqual(['body.to']);
    expect(periodErrors(new Date(now.getTime() + day), new Date(now.getTime() + 2 * day), now)).toEqual([
      { field: 'body.from', message: 'must not be in the future' },
    ]);
    const long = periodErrors(new Date(now.getTime() - (MAX_PERIOD_DAYS + 1) * day), now, now);
    expect(long.map((e) => e.field)).toEqual(['body.to']);
  });
});

describe('normalizeSections', () => {
  it('is every section by default, else the asked ones once, in the fixed order', () => {
    expect(normalizeSections()).toEqual([...PACK_SECTIONS]);
    expect(normalizeSections(['AUDIT_LOG', 'POLICIES', 'AUDIT_LOG'])).toEqual(['POLICIES', 'AUDIT_LOG']);
  });
});

describe('safeSegment', () => {
  it('never yields a separator, a control character, a leading dot or an empty name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const out = safeSegment(s);
        expect(out.length).toBeGreaterThan(0);
        expect(out.length).toBeLessThanOrEqual(120);
        expect([...out].some((ch) => ch === '/' || ch === '\\' || ch.charCodeAt(0) < 0x20)).toBe(false);
        expect(out.startsWith('.')).toBe(false);
      }),
    );
  });
  it('keeps ordinary names readable', () => {
    expect(safeSegment('Access review Q3.pdf')).toBe('Access review Q3.pdf');
    expect(safeSegment('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(evidencePath('i', 'd', 2, 'a/b.pdf')).toBe('reminders/evidence/i/d-v2-a_b.pdf');
  });
});

const entry = (seq: number, prev: string): ExportedAuditEntry => {
  const e: ExportedAuditEntry = {
    seq,
    id: `00000000-0000-7000-8000-00000000000${seq}`,
    workspace_id: '00000000-0000-7000-8000-0000000000aa',
    actor_id: null,
    action_type: 'POLICY_ACKNOWLEDGED',
    target_type: 'policy',
    target_id: 'p',
    old_value_text: null,
    new_value_text: '{"a": 1}',
    description: 'd',
    ip_address: null,
    user_agent: null,
    created_at: '2026-01-01T00:00:00.000001Z',
    prev_hash: prev,
    hash: '',
  };
  e.hash = chainHash(e);
  return e;
};

describe('the exported chain', () => {
  const a = entry(1, '');
  const b = entry(2, a.hash);
  const c = entry(3, b.hash);
  it('checks out when linked and unchanged', () => {
    expect(checkExportedChain([a, b, c])).toEqual({ ok: true, broken_seq: null });
  });
  it('finds an edited entry, a gap and a broken link', () => {
    expect(checkExportedChain([a, { ...b, description: 'edited' }, c]).broken_seq).toBe(2);
    expect(checkExportedChain([a, c]).broken_seq).toBe(3);
    expect(checkExportedChain([a, { ...entry(2, 'x') }]).broken_seq).toBe(2);
  });
});

describe('channelOf and progressOf', () => {
  it('maps the audit entry’s via to a channel', () => {
    expect([channelOf('TOKEN'), channelOf('SLACK'), channelOf('LINK'), channelOf(null)]).toEqual([
      'API',
      'SLACK',
      'EMAIL_LINK',
      'UNKNOWN',
    ]);
  });
  it('clamps progress to the total', () => {
    expect(progressOf(12, 10)).toEqual({ done: 10, total: 10 });
    expect(progressOf(-1, null)).toEqual({ done: 0, total: null });
  });
});
