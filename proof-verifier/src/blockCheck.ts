// The blocks of a proof: headers decoded canonically and linked by previous hash, each transition's
// block hashing to its header's data hash, and the orderers' signatures over a header (the SIGNATURES
// metadata: its value, the signature header and the header's DER bytes, signed by an orderer org).
import * as common from '@hyperledger/fabric-protos/lib/common/common_pb';
import { bytesToHex, concatBytes } from './bytes';
import { blockDataHash, blockHeaderBytes, blockHeaderHash, sameBytes } from './blockHashing';
import { verifySignature } from './identitySignature';
import { bytesOf } from './proofBundle';
import { decoded, ProofError } from './proofErrors';
import type { ProofTrust } from './proofTrust';

/**
 * Decodes a protobuf part and insists it re-encodes to the same bytes: a header or metadata is not
 * hashed as bytes, so a lenient decoder must not let two byte strings stand for one message.
 */
function canonical<T extends { serializeBinary(): Uint8Array }>(
  bytes: Uint8Array,
  decode: (bytes: Uint8Array) => T,
  what: string,
): T {
  const message = decoded(what, () => decode(bytes));
  if (!sameBytes(message.serializeBinary(), bytes))
    throw new ProofError('PROOF_MALFORMED', `${what} is not in canonical protobuf form`);
  return message;
}

/** The headers from `first`, consecutive and each linked to the one before by its hash. */
export function checkHeaderChain(first: bigint, encoded: readonly string[]): common.BlockHeader[] {
  const headers = encoded.map((text, index) => {
    const what = `the header of block ${String(first + BigInt(index))}`;
    return canonical(bytesOf(text, what), (bytes) => common.BlockHeader.deserializeBinary(bytes), what);
  });
  headers.forEach((header, index) => {
    const expected = first + BigInt(index);
    if (BigInt(header.getNumber()) !== expected)
      throw new ProofError(
        'PROOF_HASH_CHAIN_BROKEN',
        `header ${String(index)} is block ${String(header.getNumber())}, not ${String(expected)}`,
      );
    const before = headers[index - 1];
    if (before !== undefined && !sameBytes(header.getPreviousHash_asU8(), blockHeaderHash(before)))
      throw new ProofError(
        'PROOF_HASH_CHAIN_BROKEN',
        `block ${String(expected)} does not link to block ${String(expected - 1n)}`,
      );
  });
  return headers;
}

export function checkDataHash(header: common.BlockHeader, envelopes: readonly Uint8Array[]): void {
  if (!sameBytes(blockDataHash(envelopes), header.getDataHash_asU8()))
    throw new ProofError(
      'PROOF_DATA_HASH_MISMATCH',
      `block ${String(header.getNumber())}'s transactions do not hash to its data hash`,
    );
}

/** Every orderer signature on the header must verify, and there must be at least one. */
export function checkOrdererSignatures(trust: ProofTrust, header: common.BlockHeader, encoded: string): void {
  const what = `block ${String(header.getNumber())}'s orderer signatures`;
  const metadata = canonical(
    bytesOf(encoded, what),
    (bytes) => common.Metadata.deserializeBinary(bytes),
    what,
  );
  const signatures = metadata.getSignaturesList();
  if (signatures.length === 0) throw new ProofError('PROOF_ORDERER_SIGNATURE_MISSING', `${what}: none`);
  const headerBytes = blockHeaderBytes(header);
  signatures.forEach((signature, index) => {
    const signatureHeaderBytes = signature.getSignatureHeader_asU8();
    const creator = decoded(what, () =>
      common.SignatureHeader.deserializeBinary(signatureHeaderBytes).getCreator_asU8(),
    );
    const signer = verifySignature(
      trust,
      creator,
      concatBytes(metadata.getValue_asU8(), signatureHeaderBytes, headerBytes),
      signature.getSignature_asU8(),
      undefined,
      `${what} (${String(index + 1)})`,
    );
    if (!trust.ordererMspIds.includes(signer.mspId))
      throw new ProofError('PROOF_UNKNOWN_ORGANIZATION', `${what}: ${signer.mspId} is not an orderer org`);
  });
}

export function headerHashHex(header: common.BlockHeader): string {
  return bytesToHex(blockHeaderHash(header));
}
