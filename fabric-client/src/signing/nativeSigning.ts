// ECDSA signing of Fabric messages with Node's native crypto (OpenSSL) in place of fabric-gateway's
// pure-JS signer, which was the largest CPU cost of the gateway under load (about a fifth of its CPU
// profile in @noble/curves point arithmetic, at four signatures per state change). Fabric accepts only
// low-S signatures, so S is folded into the lower half of the curve order after signing; that step is
// arithmetic on two integers, not a point multiplication.
import { hash, type Hash, type Signer } from '@hyperledger/fabric-gateway';
import { p256, p384 } from '@noble/curves/nist.js';
import * as crypto from 'node:crypto';

const curves = {
  prime256v1: { curve: p256, digest: 'sha256' },
  secp384r1: { curve: p384, digest: 'sha384' },
} as const;

/** The key is not an EC key on a curve Fabric's MSPs accept (P-256, P-384). */
export class UnsupportedSigningKeyError extends Error {
  readonly code = 'UNSUPPORTED_SIGNING_KEY';
  constructor(detail: string) {
    super(`Fabric signing needs an EC P-256 or P-384 private key: ${detail}`);
    this.name = 'UnsupportedSigningKeyError';
  }
}

export interface FabricSigning {
  /** The whole message reaches the signer, which hashes it natively. */
  readonly hash: Hash;
  readonly signer: Signer;
}

/** What `connect()` of fabric-gateway needs to sign as this key: spread it into the connect options. */
export function nativeSigning(privateKey: crypto.KeyObject): FabricSigning {
  const named =
    privateKey.asymmetricKeyType === 'ec' ? privateKey.asymmetricKeyDetails?.namedCurve : undefined;
  if (named === undefined || !(named in curves))
    throw new UnsupportedSigningKeyError(
      `${privateKey.asymmetricKeyType ?? 'unknown'} ${named ?? ''}`.trim(),
    );
  const { curve, digest } = curves[named as keyof typeof curves];
  const order = curve.Point.Fn.ORDER;
  return {
    hash: hash.none,
    signer: (message) => {
      const der = crypto.sign(digest, message, { key: privateKey, dsaEncoding: 'der' });
      const signature = curve.Signature.fromBytes(der, 'der');
      const lowS = signature.hasHighS() ? new curve.Signature(signature.r, order - signature.s) : signature;
      return Promise.resolve(lowS.toBytes('der'));
    },
  };
}
