import fc from 'fast-check';
import { toColumns, toJson } from './serialize';

describe('toColumns', () => {
  it('maps present snake_case fields to camelCase columns and leaves absent ones out', () => {
    const input: { name?: string; issuing_authority?: string | null; skill_tags?: string[] } = {
      issuing_authority: null,
      skill_tags: ['a'],
    };
    expect(toColumns(input, ['name', 'issuing_authority', 'skill_tags'])).toEqual({
      issuingAuthority: null,
      skillTags: ['a'],
    });
  });

  it('is the inverse of toJson on the fields it is given', () => {
    fc.assert(
      fc.property(
        fc.record({ fooBar: fc.string(), bazQux2: fc.integer(), plain: fc.boolean() }, { requiredKeys: [] }),
        (row) => {
          const json = toJson(row) as Record<string, unknown>;
          expect(toColumns(json, ['foo_bar', 'baz_qux2', 'plain'])).toEqual(row);
        },
      ),
    );
  });
});
