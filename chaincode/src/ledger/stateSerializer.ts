// The one serializer for ledger state: deterministic JSON with sorted keys, so every endorser
// writes byte-identical values for the same object. Events and transaction results use it too,
// since endorsers must agree on those bytes as well.
import stringify from 'json-stringify-deterministic';
import sortKeysRecursive from 'sort-keys-recursive';

export function toStateJson(value: object): string {
  return stringify(sortKeysRecursive(value));
}

export function toStateBytes(value: object): Uint8Array {
  return Buffer.from(toStateJson(value));
}

export function fromStateBytes(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
}
