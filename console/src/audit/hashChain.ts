// The part of an audit proof's check that runs in the browser: the chain of block hashes. Each
// header's hash is SHA-256 of the ASN.1 DER sequence (number, previous hash, data hash), as Fabric's
// protoutil.BlockHeaderBytes builds it; each block's data hash is SHA-256 of its envelopes' bytes
// concatenated. So every transition's transaction is linked, byte for byte, to the latest block the
// proof names. The signatures (endorsers', orderers') and the endorsement policy are checked by
// fabric-client's verifier (`proof verify`), which needs Node's X.509 support, not here.
import * as common from '@hyperledger/fabric-protos/lib/common/common_pb';
import { endorsementsOf } from './endorsingOrgs';

export interface ProofChainInput {
  readonly firstHeader: string;
  readonly headers: readonly string[];
  readonly blocks: readonly { readonly number: string; readonly envelopes: readonly string[] }[];
}

export type ChainCheck =
  | { readonly verified: true; readonly transactions: ReadonlySet<string>; readonly latestBlock: string }
  | { readonly verified: false; readonly reason: string };

function bytesOfBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}

/** A DER element: tag, definite length (short or long form), content. */
function der(tag: number, content: Uint8Array): Uint8Array {
  if (content.length < 0x80) return concat([Uint8Array.of(tag, content.length), content]);
  const length: number[] = [];
  for (let rest = content.length; rest > 0; rest = Math.floor(rest / 256)) length.unshift(rest % 256);
  return concat([Uint8Array.of(tag, 0x80 | length.length, ...length), content]);
}

/** DER INTEGER of a non-negative value: minimal bytes, a zero byte first when the top bit is set. */
function derUnsigned(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return der(
    0x02,
    Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16)),
  );
}

export function blockHeaderBytes(header: common.BlockHeader): Uint8Array {
  return der(
    0x30,
    concat([
      derUnsigned(BigInt(header.getNumber())),
      der(0x04, header.getPreviousHash_asU8()),
      der(0x04, header.getDataHash_asU8()),
    ]),
  );
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  // A copy on its own ArrayBuffer, as WebCrypto's types ask.
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
}

function same(one: Uint8Array, other: Uint8Array): boolean {
  return one.length === other.length && one.every((byte, index) => byte === other[index]);
}

/** Checks the header chain and each block's data hash; names the first break it finds. */
export async function checkProofChain(proof: ProofChainInput): Promise<ChainCheck> {
  const first = BigInt(proof.firstHeader);
  const headers = proof.headers.map((text) => common.BlockHeader.deserializeBinary(bytesOfBase64(text)));
  for (const [index, header] of headers.entries()) {
    const expected = first + BigInt(index);
    if (BigInt(header.getNumber()) !== expected)
      return { verified: false, reason: `header ${String(index)} is not block ${String(expected)}` };
    const before = headers[index - 1];
    if (before !== undefined && !same(header.getPreviousHash_asU8(), await sha256(blockHeaderBytes(before))))
      return {
        verified: false,
        reason: `block ${String(expected)} does not link to block ${String(expected - 1n)}`,
      };
  }
  const transactions = new Set<string>();
  for (const block of proof.blocks) {
    const header = headers[Number(BigInt(block.number) - first)];
    if (header === undefined)
      return { verified: false, reason: `block ${block.number} has no header in the chain` };
    const envelopes = block.envelopes.map(bytesOfBase64);
    if (!same(await sha256(concat(envelopes)), header.getDataHash_asU8()))
      return { verified: false, reason: `block ${block.number}'s transactions do not hash to its data hash` };
    for (const envelope of block.envelopes) transactions.add(endorsementsOf(envelope).txId);
  }
  return { verified: true, transactions, latestBlock: (first + BigInt(headers.length - 1)).toString() };
}
