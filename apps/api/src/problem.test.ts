import { refusedValue } from './problem';

describe('refusedValue: Postgres errors caused by a value in the request', () => {
  it('maps every data exception (class 22), check violations and program limits', () => {
    for (const code of [
      '22001',
      '22003',
      '22007',
      '22008',
      '22P02',
      '22021',
      '22P05',
      '22012',
      '2200B',
      '22015',
    ])
      expect([code, typeof refusedValue(code)]).toEqual([code, 'string']);
    expect(refusedValue('23514')).toMatch(/rule/);
    expect(refusedValue('54001')).toMatch(/nested/);
  });

  it('leaves other errors to their own mapping', () => {
    for (const code of ['23505', '23503', '40001', '57014', '42P01', '08006'])
      expect(refusedValue(code)).toBeNull();
  });
});
