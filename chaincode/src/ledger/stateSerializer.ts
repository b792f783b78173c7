// The one serializer for ledger state: deterministic JSON with sorted keys, so every endorser
// writes byte-identical values for the same object.
import stringify from 'json-stringify-deterministic';
import sortKeysRecursive from 'sort-keys-recursive';

export function toStateBytes(value: object): Uint8Array {
  return Buffer.from(stringify(sortKeysRecursive(value)));
}

export function fromStateBytes(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
}
