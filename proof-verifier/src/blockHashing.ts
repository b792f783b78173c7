// The hashes that chain Fabric blocks: a header's hash is SHA-256 of the ASN.1 DER sequence
// (number, previous hash, data hash), as protoutil.BlockHeaderBytes builds it; a block's data hash is
// SHA-256 of its envelopes' bytes concatenated (protoutil.ComputeBlockDataHash). Orderers sign
// the same DER bytes of the header.
import type * as common from '@hyperledger/fabric-protos/lib/common/common_pb';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { DER_TAG } from './derReader';

export { sameBytes } from './bytes';
export { sha256 };

/** A DER element: tag, definite length (short or long form), content. */
function der(tag: number, content: Uint8Array): Uint8Array {
  if (content.length < 0x80) return concatBytes(Uint8Array.of(tag, content.length), content);
  const length: number[] = [];
  for (let rest = content.length; rest > 0; rest = Math.floor(rest / 256)) length.unshift(rest % 256);
  return concatBytes(Uint8Array.of(tag, 0x80 | length.length, ...length), content);
}

/** DER of a non-negative INTEGER of any size (minimal two's complement, as Go's asn1 writes big.Int). */
function derInteger(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // A leading bit of 1 would read as negative: Go prefixes a zero byte.
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return der(DER_TAG.integer, hexToBytes(hex));
}

export function blockHeaderBytes(header: common.BlockHeader): Uint8Array {
  return der(
    DER_TAG.sequence,
    concatBytes(
      derInteger(BigInt(header.getNumber())),
      der(DER_TAG.octetString, header.getPreviousHash_asU8()),
      der(DER_TAG.octetString, header.getDataHash_asU8()),
    ),
  );
}

export function blockHeaderHash(header: common.BlockHeader): Uint8Array {
  return sha256(blockHeaderBytes(header));
}

export function blockDataHash(envelopes: readonly Uint8Array[]): Uint8Array {
  return sha256(concatBytes(...envelopes));
}
