import { hash } from '@hyperledger/fabric-gateway';
import { p256 } from '@noble/curves/nist.js';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import { UnsupportedSigningKeyError, nativeSigning } from './nativeSigning';

describe('native Fabric signing', () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

  it('signs the whole message with SHA-256, verifiable by OpenSSL and by noble, always low-S', async () => {
    const signing = nativeSigning(privateKey);
    expect(signing.hash).to.equal(hash.none);
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
    for (let round = 0; round < 64; round++) {
      const message = crypto.randomBytes(200);
      const der = await signing.signer(message);
      expect(crypto.verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, der)).to.equal(true);
      expect(p256.Signature.fromBytes(der, 'der').hasHighS(), 'high S').to.equal(false);
      const digest = crypto.createHash('sha256').update(message).digest();
      expect(p256.verify(der, digest, raw, { format: 'der', prehash: false, lowS: true })).to.equal(true);
    }
  });

  it('refuses keys Fabric MSPs do not accept, with a stable code', () => {
    const { privateKey: ed } = crypto.generateKeyPairSync('ed25519');
    const { privateKey: k1 } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    for (const key of [ed, k1])
      expect(() => nativeSigning(key))
        .to.throw(UnsupportedSigningKeyError)
        .with.property('code', 'UNSUPPORTED_SIGNING_KEY');
  });
});
