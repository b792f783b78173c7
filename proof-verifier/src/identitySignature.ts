// One Fabric signature checked against public MSP material: the signer's serialized identity names
// its MSP and carries its certificate, which must chain to that MSP's CA certificates and be valid at
// the time given; the signature is ECDSA with SHA-256 over the exact signed bytes, DER, low-S (Fabric
// refuses a high-S signature, so a verifier that accepted one would accept a malleated proof).
import * as msp from '@hyperledger/fabric-protos/lib/msp/identities_pb';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToBase64, utf8Of } from './bytes';
import { certificateFromPem, curveOf, isIssuedBy, verifiesDigest, type Certificate } from './certificate';
import { decoded, ProofError } from './proofErrors';
import type { OrganizationMaterial, ProofTrust } from './proofTrust';

export interface Signer {
  readonly mspId: string;
  readonly certificate: Certificate;
}

// A proof names the same few identities dozens of times: each is parsed, and each certificate's chain
// checked against an org's material, once. Both are pure, so remembering them changes no answer.
const MAX_REMEMBERED = 1000;
const parsedSigners = new Map<string, Signer>();
const checkedChains = new WeakMap<OrganizationMaterial, Map<string, boolean>>();

export function signerOf(serializedIdentity: Uint8Array, what: string): Signer {
  const key = bytesToBase64(serializedIdentity);
  const known = parsedSigners.get(key);
  if (known !== undefined) return known;
  const signer = parseSigner(serializedIdentity, what);
  if (parsedSigners.size >= MAX_REMEMBERED) parsedSigners.clear();
  parsedSigners.set(key, signer);
  return signer;
}

function parseSigner(serializedIdentity: Uint8Array, what: string): Signer {
  return decoded(what, () => {
    const identity = msp.SerializedIdentity.deserializeBinary(serializedIdentity);
    const pem = utf8Of(identity.getIdBytes_asU8());
    return { mspId: identity.getMspid(), certificate: certificateFromPem(pem) };
  });
}

function chainsTo(certificate: Certificate, material: OrganizationMaterial): boolean {
  let chains = checkedChains.get(material);
  if (chains === undefined) {
    chains = new Map();
    checkedChains.set(material, chains);
  }
  const known = chains.get(certificate.fingerprint256);
  if (known !== undefined) return known;
  const result = chainsToUncached(certificate, material);
  if (chains.size >= MAX_REMEMBERED) chains.clear();
  chains.set(certificate.fingerprint256, result);
  return result;
}

/** Chains to a root of the MSP directly or through one of its intermediates. */
function chainsToUncached(certificate: Certificate, material: OrganizationMaterial): boolean {
  if (material.caCertificates.some((root) => isIssuedBy(certificate, root))) return true;
  return material.intermediateCertificates.some(
    (intermediate) =>
      isIssuedBy(certificate, intermediate) &&
      material.caCertificates.some((root) => isIssuedBy(intermediate, root)),
  );
}

function requireTrusted(signer: Signer, trust: ProofTrust, at: Date | undefined, what: string): void {
  const material = trust.organizations.get(signer.mspId);
  if (material === undefined)
    throw new ProofError(
      'PROOF_UNKNOWN_ORGANIZATION',
      `${what} is signed by ${signer.mspId}, which is not trusted`,
    );
  if (!chainsTo(signer.certificate, material))
    throw new ProofError(
      'PROOF_CERTIFICATE_UNTRUSTED',
      `${what}: the certificate of ${signer.mspId} does not chain to its CA certificates`,
    );
  if (at === undefined) return;
  const time = at.getTime();
  if (time < signer.certificate.validFrom.getTime() || time > signer.certificate.validTo.getTime())
    throw new ProofError(
      'PROOF_CERTIFICATE_UNTRUSTED',
      `${what}: the certificate of ${signer.mspId} was not valid at ${at.toISOString()}`,
    );
}

function requireValidSignature(
  signer: Signer,
  message: Uint8Array,
  signature: Uint8Array,
  what: string,
): void {
  const curve = curveOf(signer.certificate);
  let highS: boolean;
  try {
    highS = curve.Signature.fromBytes(signature, 'der').hasHighS();
  } catch {
    throw new ProofError('PROOF_SIGNATURE_INVALID', `${what}: the signature is not DER`);
  }
  if (highS) throw new ProofError('PROOF_SIGNATURE_INVALID', `${what}: the signature is high-S`);
  // Fabric's signers hash with SHA-256 whatever the curve.
  const valid = verifiesDigest(signer.certificate, sha256(message), signature);
  if (!valid) throw new ProofError('PROOF_SIGNATURE_INVALID', `${what}: the signature does not verify`);
}

/**
 * Checks that `signature` over `message` is `serializedIdentity`'s and that the identity is trusted,
 * and valid at `at` when given (a block carries no time of its own).
 */
export function verifySignature(
  trust: ProofTrust,
  serializedIdentity: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  at: Date | undefined,
  what: string,
): Signer {
  const signer = signerOf(serializedIdentity, what);
  requireTrusted(signer, trust, at, what);
  requireValidSignature(signer, message, signature, what);
  return signer;
}
