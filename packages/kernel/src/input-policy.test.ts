import fc from 'fast-check';
import { inputPolicyErrors, jsonByteLength, jsonDepth, MAX_JSON_DEPTH, stringProblem } from './input-policy';

/** `levels` nested objects around 1, built without recursion. */
const nested = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};

describe('stringProblem', () => {
  it('refuses NUL and lone surrogates, accepts well-formed text', () => {
    expect(stringProblem('a\u0000b')).toMatch(/NUL/);
    expect(stringProblem('\ud800')).toMatch(/surrogate/);
    expect(stringProblem('x\udc00')).toMatch(/surrogate/);
    expect(stringProblem('\udc00\ud800')).toMatch(/surrogate/);
    expect(stringProblem('emoji 😀 and ü')).toBeNull();
    expect(stringProblem('')).toBeNull();
  });

  it('agrees with String.prototype.isWellFormed on arbitrary UTF-16', () => {
    const isWellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const problem = stringProblem(s);
        if (s.includes('\u0000')) return problem !== null;
        return (problem === null) === isWellFormed(s);
      }),
    );
  });
});

describe('inputPolicyErrors', () => {
  it('names the field of a bad string at any depth, array indices included', () => {
    expect(inputPolicyErrors('body', { details: { note: 'a\u0000', list: ['ok', '\ud800'] } })).toEqual([
      { field: 'body.details.note', message: expect.stringMatching(/NUL/) },
      { field: 'body.details.list.1', message: expect.stringMatching(/surrogate/) },
    ]);
    expect(inputPolicyErrors('query', { q: 'x\u0000' })).toEqual([
      { field: 'query.q', message: expect.any(String) },
    ]);
    expect(inputPolicyErrors('path', { tag: ['a', '\u0000'] })[0]?.field).toBe('path.tag.1');
  });

  it('names the object that holds a bad key', () => {
    expect(inputPolicyErrors('body', { details: { 'k\u0000': 1 } })).toEqual([
      { field: 'body.details', message: expect.stringMatching(/^A key contains a NUL/) },
    ]);
    expect(inputPolicyErrors('body', { '\ud800': 1 })[0]?.field).toBe('body');
  });

  it('allows MAX_JSON_DEPTH levels inside a field and names the field beyond', () => {
    expect(inputPolicyErrors('body', { details: nested(MAX_JSON_DEPTH) })).toEqual([]);
    expect(inputPolicyErrors('body', { details: nested(MAX_JSON_DEPTH + 1) })).toEqual([
      { field: 'body.details', message: `Nested deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
    expect(inputPolicyErrors('body', { a: nested(100_000), b: [nested(40)] }).map((e) => e.field)).toEqual([
      'body.a',
      'body.b',
    ]);
  });

  it('accepts clean input of every JSON type and reports at most 20 errors', () => {
    expect(inputPolicyErrors('body', { a: 1, b: null, c: true, d: [1, 'x', { e: 'ü' }] })).toEqual([]);
    expect(inputPolicyErrors('body', undefined)).toEqual([]);
    expect(
      inputPolicyErrors(
        'body',
        Array.from({ length: 100 }, () => '\u0000'),
      ),
    ).toHaveLength(20);
  });
});

describe('jsonDepth and jsonByteLength', () => {
  it('counts container levels without recursion', () => {
    expect(jsonDepth(1)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [{ b: 1 }] })).toBe(3);
    expect(jsonDepth(nested(100_000))).toBe(100_000);
  });

  it('measures the UTF-8 size of the stored JSON', () => {
    expect(jsonByteLength({ a: 'ü' })).toBe(Buffer.byteLength('{"a":"ü"}'));
  });
});
