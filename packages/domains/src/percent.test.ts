import fc from 'fast-check';
import { percent, round1 } from './percent';

describe('percent: the scale of every rate', () => {
  it('is 0..100 with one decimal, null with nothing to measure', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(3, 3)).toBe(100);
    expect(percent(0, 4)).toBe(0);
    expect(percent(0, 0)).toBeNull();
    expect(percent(5, 4)).toBe(100);
    expect(round1(38.325)).toBe(38.3);
  });
  it('property: stays within 0..100 with at most one decimal', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (p, w) => {
        const r = percent(p, w) as number;
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(100);
        expect(Math.abs(r * 10 - Math.round(r * 10))).toBeLessThan(1e-9);
      }),
    );
  });
});
