// The one serializer for ledger state: deterministic JSON with sorted keys, so every endorser
// writes byte-identical values for the same object. Events and transaction results use it too,
// since endorsers must agree on those bytes as well.
//
// json-stringify-deterministic sorts object keys at every depth, inside arrays included, and
// keeps array order. sort-keys-recursive is deliberately not applied first: it also sorts
// arrays of primitives (ratings [5, 2] would be stored as [2, 5]), which changes meaning.
import stringify from 'json-stringify-deterministic';

export function toStateJson(value: object): string {
  return stringify(value);
}

export function toStateBytes(value: object): Uint8Array {
  return Buffer.from(toStateJson(value));
}

export function fromStateBytes(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
}
