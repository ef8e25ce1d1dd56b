import fc from 'fast-check';
import { hashToken, isValidTimeZone, parseClock, wouldCreateManagerCycle } from './rules';

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
