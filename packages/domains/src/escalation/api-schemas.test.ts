import { defaultLadderSchema, ladderSchema } from './api-schemas';

const level = (lvl: string, after: string) => ({
  level: lvl,
  after,
  target: { type: 'MANAGER' },
  channels: ['email'],
});
const issues = (schema: typeof ladderSchema, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('ladder schemas: ladders the engine can climb', () => {
  it('accepts levels in order with non-decreasing afters', () => {
    expect(issues(ladderSchema, [level('L1', 'PT1H'), level('L3', 'PT1H'), level('L4', 'P5Y')])).toEqual([]);
    expect(issues(defaultLadderSchema, [])).toEqual([]);
  });

  it('names the level that is out of order or earlier than the one before', () => {
    expect(issues(ladderSchema, [level('L2', 'P1D'), level('L1', 'P2D')])).toEqual([
      expect.stringMatching(/^1\.level: Levels must be in increasing order/),
    ]);
    expect(issues(ladderSchema, [level('L1', 'P2D'), level('L2', 'P1D')])).toEqual([
      "1.after: Earlier than L1's after",
    ]);
  });

  it('bounds each after and refuses an empty own ladder', () => {
    expect(issues(ladderSchema, [level('L1', 'PT0S')])).toEqual(['0.after: Between 1 second and 5 years']);
    expect(issues(ladderSchema, [])).toHaveLength(1);
  });
});
