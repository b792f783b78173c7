// A strict reader of ASN.1 DER, just enough for X.509 certificates: each element's tag, its content
// and its whole encoding (a certificate's signature covers the exact bytes of its TBS part).

export interface DerElement {
  readonly tag: number;
  /** The content octets. */
  readonly content: Uint8Array;
  /** Tag, length and content: the element exactly as encoded. */
  readonly encoded: Uint8Array;
}

export const DER_TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  objectIdentifier: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** The element that starts at `offset`; throws on anything not DER (indefinite or padded lengths). */
export function derElementAt(bytes: Uint8Array, offset = 0): DerElement {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new Error('DER: truncated');
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: multi-byte tags are not used in certificates');
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: unsupported length');
    length = 0;
    for (let index = 0; index < count; index += 1) {
      const byte = bytes[offset + 2 + index];
      if (byte === undefined) throw new Error('DER: truncated');
      if (index === 0 && byte === 0) throw new Error('DER: padded length');
      length = length * 256 + byte;
    }
    if (length < 0x80) throw new Error('DER: long form for a short length');
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.length) throw new Error('DER: truncated');
  return {
    tag,
    content: bytes.subarray(offset + header, end),
    encoded: bytes.subarray(offset, end),
  };
}

/** The elements a constructed element (SEQUENCE, SET, context tag) holds, in order. */
export function derChildren(element: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const child = derElementAt(element.content, offset);
    children.push(child);
    offset += child.encoded.length;
  }
  return children;
}

/** One whole DER element: nothing may trail it. */
export function derRoot(bytes: Uint8Array): DerElement {
  const root = derElementAt(bytes);
  if (root.encoded.length !== bytes.length) throw new Error('DER: bytes after the element');
  return root;
}

export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element?.tag !== tag) throw new Error(`DER: ${what} is missing`);
  return element;
}

export function objectIdentifierOf(element: DerElement): string {
  const bytes = element.content;
  const first = bytes[0];
  if (element.tag !== DER_TAG.objectIdentifier || first === undefined)
    throw new Error('DER: not an object identifier');
  const arcs = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** UTCTime (two-digit years, 1950–2049 as RFC 5280 says) or GeneralizedTime, both in UTC ('Z'). */
export function timeOf(element: DerElement): Date {
  const text = new TextDecoder().decode(element.content);
  const match =
    element.tag === DER_TAG.utcTime
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === DER_TAG.generalizedTime
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (match === null) throw new Error('DER: not a UTC time');
  const [, year = '', month = '', day = '', hour = '', minute = '', second = ''] = match;
  let fullYear = Number(year);
  if (element.tag === DER_TAG.utcTime) fullYear += fullYear < 50 ? 2000 : 1900;
  return new Date(
    Date.UTC(fullYear, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)),
  );
}
