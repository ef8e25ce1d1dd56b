import { CronExpressionParser } from 'cron-parser';
import fc from 'fast-check';
import { standardCronProblem } from './cron';

describe('standardCronProblem: the cron expressions a request may configure', () => {
  it('accepts standard five-field expressions', () => {
    for (const e of [
      '* * * * *',
      '0 9 * * 1-5',
      '*/15 * * * *',
      '0/15 * * * *',
      '0 0 1 */3 *',
      '30 8 1,15 JAN-jun mon',
      '0 9 * * 7',
      '  0   9 * * *  ',
      '59 23 31 12 SAT',
    ])
      expect([e, standardCronProblem(e)]).toEqual([e, null]);
  });

  it('refuses other field counts, naming what it expected', () => {
    expect(standardCronProblem('* * *')).toMatch(/Expected 5 fields .* got 3/);
    expect(standardCronProblem('*/3 * * * * *')).toMatch(/got 6/);
    expect(standardCronProblem('@daily')).toMatch(/got 1/);
    expect(standardCronProblem('')).toMatch(/got 0/);
  });

  it('refuses values out of range, bad steps, backwards ranges and non-standard syntax', () => {
    const cases: Array<[string, RegExp]> = [
      ['60 * * * *', /minute/],
      ['* 24 * * *', /hour/],
      ['* * 0 * *', /day-of-month/],
      ['* * 32 * *', /day-of-month/],
      ['* * * 13 *', /month/],
      ['* * * * 8', /day-of-week/],
      ['*/0 * * * *', /step/],
      ['*/61 * * * *', /step/],
      ['30-10 * * * *', /backwards/],
      ['* * L * *', /day-of-month/],
      ['* * ? * *', /day-of-month/],
      ['* * * * 1#2', /day-of-week/],
      ['1,,2 * * * *', /minute/],
      ['* * * FOO *', /month/],
      ['* * * * MON-', /day-of-week/],
    ];
    for (const [e, why] of cases)
      expect([e, standardCronProblem(e)]).toEqual([e, expect.stringMatching(why)]);
  });

  it('every accepted expression is one cron-parser can run', () => {
    const field = (min: number, max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min, max }).map(String),
        fc
          .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
          .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc.integer({ min: 1, max }).map((s) => `*/${s}`),
      );
    const expression = fc
      .tuple(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 7))
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(expression, (e) => {
        expect(standardCronProblem(e)).toBeNull();
        expect(() => CronExpressionParser.parse(e, { tz: 'UTC' }).next()).not.toThrow();
      }),
    );
  });
});
