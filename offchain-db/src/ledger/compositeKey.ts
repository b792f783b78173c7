// Fabric's composite keys as a block records them: "\0objectType\0attr1\0attr2\0". The mirror reads
// the object type to tell an escrow write from an index entry or a review (the chaincode's KEY_TYPES).

export interface CompositeKey {
  readonly objectType: string;
  readonly attributes: readonly string[];
}

/** The object type and attributes of a composite key; undefined for a simple key. */
export function splitCompositeKey(key: string): CompositeKey | undefined {
  if (!key.startsWith('\u0000') || !key.endsWith('\u0000')) return undefined;
  const [objectType, ...attributes] = key.slice(1, -1).split('\u0000');
  if (objectType === undefined) return undefined;
  return { objectType, attributes };
}
