// Byte helpers that behave the same in Node and in a browser (no Buffer): base64, hex, UTF-8,
// concatenation and comparison.
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';

export { bytesToHex, concatBytes };

export function base64ToBytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: spreading a large array into fromCharCode would overflow the call stack.
  for (let at = 0; at < bytes.length; at += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** Decodes UTF-8 as Node's Buffer does: invalid sequences become U+FFFD. */
export function utf8Of(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

export function sameBytes(one: Uint8Array, other: Uint8Array): boolean {
  if (one.length !== other.length) return false;
  return one.every((byte, index) => byte === other[index]);
}
