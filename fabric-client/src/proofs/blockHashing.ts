// The hashes that chain Fabric blocks: a header's hash is SHA-256 of the ASN.1 DER sequence
// (number, previous hash, data hash), as protoutil.BlockHeaderBytes builds it; a block's data hash is
// SHA-256 of its envelopes' bytes concatenated (protoutil.ComputeBlockDataHash). Orderers sign
// the same DER bytes of the header.
import { common } from '@hyperledger/fabric-protos';
import forge from 'node-forge';
import * as crypto from 'node:crypto';

const { asn1 } = forge;

/** DER of a non-negative INTEGER of any size (minimal two's complement, as Go's asn1 writes big.Int). */
function derInteger(value: bigint): forge.asn1.Asn1 {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // A leading bit of 1 would read as negative: Go prefixes a zero byte.
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(hex));
}

function derOctets(bytes: Uint8Array): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, forge.util.binary.raw.encode(bytes));
}

export function blockHeaderBytes(header: common.BlockHeader): Uint8Array {
  const sequence = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    derInteger(BigInt(header.getNumber())),
    derOctets(header.getPreviousHash_asU8()),
    derOctets(header.getDataHash_asU8()),
  ]);
  return forge.util.binary.raw.decode(asn1.toDer(sequence).getBytes());
}

export function blockHeaderHash(header: common.BlockHeader): Uint8Array {
  return sha256(blockHeaderBytes(header));
}

export function blockDataHash(envelopes: readonly Uint8Array[]): Uint8Array {
  return sha256(Buffer.concat(envelopes));
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(crypto.createHash('sha256').update(bytes).digest());
}

export function sameBytes(one: Uint8Array, other: Uint8Array): boolean {
  return Buffer.from(one).equals(Buffer.from(other));
}
