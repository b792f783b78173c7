import { expect } from 'chai';
import fc from 'fast-check';
import { fromStateBytes, toStateBytes, toStateJson } from './stateSerializer';

describe('state serializer', () => {
  it('writes the same bytes whatever the key insertion order, at every depth', () => {
    const first = { b: 1, a: { d: [{ y: 1, x: 2 }], c: 'x' } };
    const second = { a: { c: 'x', d: [{ x: 2, y: 1 }] }, b: 1 };
    expect(toStateJson(first)).to.equal(toStateJson(second));
    expect(toStateJson(first)).to.equal('{"a":{"c":"x","d":[{"x":2,"y":1}]},"b":1}');
  });

  it('keeps array order, since order carries meaning', () => {
    expect(toStateJson({ ratings: [5, 2, 0], hashes: ['b', 'a'] })).to.equal(
      '{"hashes":["b","a"],"ratings":[5,2,0]}',
    );
  });

  it('round-trips JSON values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        expect(fromStateBytes(toStateBytes(value))).to.deep.equal(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });
});
