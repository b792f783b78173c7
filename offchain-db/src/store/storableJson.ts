// What PostgreSQL refuses in a jsonb or text value, made storable: U+0000 (text cannot hold it) and
// unpaired UTF-16 surrogates (jsonb refuses their \u escapes) become U+FFFD, the replacement
// character a UTF-8 decoder uses, in every string and object key. Deterministic, so a rebuild stores
// exactly what the live mirror stored, and the rest of the text stays searchable.

const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REPLACEMENT = '\uFFFD';

export interface Storable<T> {
  readonly value: T;
  /** How many strings (values or keys) had to be changed. */
  readonly repaired: number;
}

/** The text with every character PostgreSQL refuses replaced. */
export function storableText(text: string): string {
  return text.replaceAll(NUL, REPLACEMENT).replace(LONE_SURROGATE, REPLACEMENT);
}

/** A deep copy of a JSON value whose strings and keys PostgreSQL accepts, and how many changed. */
export function storableJson<T>(value: T): Storable<T> {
  let repaired = 0;
  const text = (s: string): string => {
    const stored = storableText(s);
    if (stored !== s) repaired += 1;
    return stored;
  };
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return text(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item === null || typeof item !== 'object' || item instanceof Date) return item;
    return Object.fromEntries(Object.entries(item).map(([key, inner]) => [text(key), walk(inner)]));
  };
  return { value: walk(value) as T, repaired };
}
