// An X.509 certificate as a proof verifier needs it, read from DER by our own strict reader so the
// same code runs in Node and in a browser: the signed TBS bytes, issuer and subject (raw, and the
// subject's OUs, which carry Fabric's NodeOU roles), validity, and the EC public key. Fabric's MSPs
// use ECDSA keys on P-256 or P-384 and sign certificates with ECDSA over SHA-256 or SHA-384.
import { p256, p384 } from '@noble/curves/nist.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { base64ToBytes, bytesToHex } from './bytes';
import {
  DER_TAG,
  derChildren,
  derRoot,
  expectTag,
  objectIdentifierOf,
  timeOf,
  type DerElement,
} from './derReader';

const CURVES = { '1.2.840.10045.3.1.7': p256, '1.3.132.0.34': p384 } as const;
type CurveOid = keyof typeof CURVES;
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const SIGNATURE_HASHES = { '1.2.840.10045.4.3.2': sha256, '1.2.840.10045.4.3.3': sha384 } as const;
type SignatureOid = keyof typeof SIGNATURE_HASHES;
const ORGANIZATIONAL_UNIT = '2.5.4.11';

export interface Certificate {
  /** SHA-256 of the DER, hex: the certificate's identity. */
  readonly fingerprint256: string;
  readonly issuerName: Uint8Array;
  readonly subjectName: Uint8Array;
  /** The subject's organizational units, where Fabric's NodeOUs put `peer`, `client`, `admin`… */
  readonly organizationalUnits: readonly string[];
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly publicKey: { readonly curve: CurveOid; readonly point: Uint8Array };
  readonly signed: {
    readonly tbs: Uint8Array;
    readonly algorithm: SignatureOid;
    readonly signature: Uint8Array;
  };
}

function bitStringBytes(element: DerElement): Uint8Array {
  if (element.tag !== DER_TAG.bitString || element.content[0] !== 0)
    throw new Error('X.509: a bit string with unused bits');
  return element.content.subarray(1);
}

function organizationalUnitsOf(name: DerElement): string[] {
  return derChildren(name)
    .flatMap((rdn) => derChildren(rdn))
    .flatMap((attribute) => {
      const [type, value] = derChildren(attribute);
      if (type === undefined || value === undefined || objectIdentifierOf(type) !== ORGANIZATIONAL_UNIT)
        return [];
      return [new TextDecoder().decode(value.content)];
    });
}

function publicKeyOf(info: DerElement): Certificate['publicKey'] {
  const [algorithm, key] = derChildren(info);
  const [kind, parameters] = derChildren(expectTag(algorithm, DER_TAG.sequence, 'the key algorithm'));
  if (kind === undefined || objectIdentifierOf(kind) !== EC_PUBLIC_KEY || parameters === undefined)
    throw new Error('X.509: the key is not an EC key');
  const curve = objectIdentifierOf(parameters);
  if (!(curve in CURVES)) throw new Error(`X.509: the curve ${curve} is not P-256 or P-384`);
  return { curve: curve as CurveOid, point: bitStringBytes(expectTag(key, DER_TAG.bitString, 'the key')) };
}

export function certificateFromDer(der: Uint8Array): Certificate {
  const [tbs, algorithm, signature] = derChildren(expectTag(derRoot(der), DER_TAG.sequence, 'a certificate'));
  const fields = derChildren(expectTag(tbs, DER_TAG.sequence, 'the signed part'));
  // The version is explicitly tagged [0] and present in every v3 certificate.
  const rest = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
  const [, , issuer, validity, subject, keyInfo] = rest;
  const [notBefore, notAfter] = derChildren(expectTag(validity, DER_TAG.sequence, 'the validity'));
  if (notBefore === undefined || notAfter === undefined) throw new Error('X.509: the validity is incomplete');
  const [algorithmId] = derChildren(expectTag(algorithm, DER_TAG.sequence, 'the signature algorithm'));
  const algorithmOid = algorithmId === undefined ? '' : objectIdentifierOf(algorithmId);
  if (!(algorithmOid in SIGNATURE_HASHES))
    throw new Error(`X.509: the signature algorithm ${algorithmOid} is not ECDSA with SHA-256 or SHA-384`);
  const subjectName = expectTag(subject, DER_TAG.sequence, 'the subject');
  return {
    fingerprint256: bytesToHex(sha256(der)),
    issuerName: expectTag(issuer, DER_TAG.sequence, 'the issuer').encoded,
    subjectName: subjectName.encoded,
    organizationalUnits: organizationalUnitsOf(subjectName),
    validFrom: timeOf(notBefore),
    validTo: timeOf(notAfter),
    publicKey: publicKeyOf(expectTag(keyInfo, DER_TAG.sequence, 'the public key')),
    signed: {
      tbs: (tbs as DerElement).encoded,
      algorithm: algorithmOid as SignatureOid,
      signature: bitStringBytes(expectTag(signature, DER_TAG.bitString, 'the signature')),
    },
  };
}

/** The first certificate of a PEM text. */
export function certificateFromPem(pem: string): Certificate {
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (match === null) throw new Error('PEM: no certificate');
  return certificateFromDer(base64ToBytes((match[1] ?? '').replace(/\s+/g, '')));
}

/**
 * An ECDSA signature by `certificate`'s key over the SHA-256 `digest`, DER-encoded. Low-S is the
 * caller's rule (Fabric's), so it is not imposed here.
 */
export function verifiesDigest(certificate: Certificate, digest: Uint8Array, signature: Uint8Array): boolean {
  try {
    return CURVES[certificate.publicKey.curve].verify(signature, digest, certificate.publicKey.point, {
      prehash: false,
      lowS: false,
      format: 'der',
    });
  } catch {
    return false;
  }
}

/** `certificate` names `issuer` as its issuer and carries its signature. */
export function isIssuedBy(certificate: Certificate, issuer: Certificate): boolean {
  const sameName =
    certificate.issuerName.length === issuer.subjectName.length &&
    certificate.issuerName.every((byte, index) => byte === issuer.subjectName[index]);
  if (!sameName) return false;
  const digest = SIGNATURE_HASHES[certificate.signed.algorithm](certificate.signed.tbs);
  return verifiesDigest(issuer, digest, certificate.signed.signature);
}

export function curveOf(certificate: Certificate): (typeof CURVES)[CurveOid] {
  return CURVES[certificate.publicKey.curve];
}
