// Who signs a Fabric message: an enrolled certificate with its MSP ID, and its private key signing
// natively. Spread a SigningIdentity into fabric-gateway's connect() options (connectGateway does).
import type { Hash, Identity, Signer } from '@hyperledger/fabric-gateway';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nativeSigning } from './nativeSigning';

export interface SigningIdentity {
  readonly identity: Identity;
  /** `hash.none`: the signer takes whole messages and hashes them natively (see nativeSigning.ts). */
  readonly hash: Hash;
  readonly signer: Signer;
}

export function signingIdentity(
  mspId: string,
  certificatePem: string | Buffer,
  privateKeyPem: string | Buffer,
): SigningIdentity {
  return {
    identity: { mspId, credentials: Buffer.from(certificatePem) },
    ...nativeSigning(crypto.createPrivateKey(privateKeyPem)),
  };
}

export function signingIdentityFromFiles(
  mspId: string,
  certificatePath: string,
  keyPath: string,
): SigningIdentity {
  return signingIdentity(mspId, fs.readFileSync(certificatePath), fs.readFileSync(keyPath));
}

/** The private key of an MSP folder: the single file in its `keystore/` (Fabric CA writes one). */
export function mspKeystoreFile(mspDir: string): string {
  const dir = path.join(mspDir, 'keystore');
  const files = fs.readdirSync(dir).filter((name) => !name.startsWith('.'));
  if (files.length !== 1 || files[0] === undefined)
    throw new Error(`${dir} must hold exactly one key, found ${String(files.length)}`);
  return path.join(dir, files[0]);
}

/** The identity an MSP folder holds (Fabric's layout: signcerts/cert.pem and keystore/<key>). */
export function signingIdentityFromMsp(mspId: string, mspDir: string): SigningIdentity {
  return signingIdentityFromFiles(mspId, path.join(mspDir, 'signcerts', 'cert.pem'), mspKeystoreFile(mspDir));
}
