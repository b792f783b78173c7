import { expect } from 'chai';
import * as crypto from 'node:crypto';
import {
  EVENT_SIGNATURE_INVALID,
  EVENT_UNKNOWN_SIGNER,
  EVENT_UNSIGNED,
  EventSigner,
  EventVerifier,
  ORIGIN_KEY_HEADER,
  ORIGIN_SIGNATURE_HEADER,
} from './eventOrigin';

function keyPair() {
  return crypto.generateKeyPairSync('ed25519');
}

describe('escrow event origin', () => {
  const relay = keyPair();
  const signer = new EventSigner(relay.privateKey);
  const verifier = new EventVerifier([relay.publicKey]);
  const key = Buffer.from('esc-1');
  const value = Buffer.from('{"eventId":"tx:0","type":"Created","escrowId":"esc-1","blockNumber":"7"}');

  it('accepts a message the relay signed, byte for byte', () => {
    expect(verifier.verify({ key, value, headers: signer.headersFor(key, value) })).to.deep.equal({
      ok: true,
    });
  });

  it('refuses a message without a signature as EVENT_UNSIGNED', () => {
    expect(verifier.verify({ key, value, headers: {} })).to.include({ ok: false, code: EVENT_UNSIGNED });
    expect(verifier.verify({ key, value })).to.include({ ok: false, code: EVENT_UNSIGNED });
  });

  it('refuses a message whose value, key or key id was changed after signing', () => {
    const headers = signer.headersFor(key, value);
    const changedValue = Buffer.from(value.toString().replace('Created', 'Released'));
    expect(verifier.verify({ key, value: changedValue, headers })).to.include({
      ok: false,
      code: EVENT_SIGNATURE_INVALID,
    });
    expect(verifier.verify({ key: Buffer.from('esc-2'), value, headers })).to.include({
      code: EVENT_SIGNATURE_INVALID,
    });
    // Moving bytes between the key and the value does not keep a signature valid.
    const shifted = { key: Buffer.from('esc-'), value: Buffer.concat([Buffer.from('1'), value]), headers };
    expect(verifier.verify(shifted)).to.include({ code: EVENT_SIGNATURE_INVALID });
  });

  it('refuses a message signed by another key, whether it names its own key id or the relay’s', () => {
    const forger = new EventSigner(keyPair().privateKey);
    const forged = forger.headersFor(key, value);
    expect(verifier.verify({ key, value, headers: forged })).to.include({ code: EVENT_UNKNOWN_SIGNER });
    const claimed = { ...forged, [ORIGIN_KEY_HEADER]: signer.headersFor(key, value)[ORIGIN_KEY_HEADER] };
    expect(verifier.verify({ key, value, headers: claimed })).to.include({ code: EVENT_SIGNATURE_INVALID });
  });

  it('refuses a message that repeats its signature header, or carries garbage as the signature', () => {
    const headers = signer.headersFor(key, value);
    const signature = headers[ORIGIN_SIGNATURE_HEADER] ?? '';
    const repeated = { ...headers, [ORIGIN_SIGNATURE_HEADER]: [signature, signature] };
    expect(verifier.verify({ key, value, headers: repeated })).to.include({ code: EVENT_UNSIGNED });
    const garbage = { ...headers, [ORIGIN_SIGNATURE_HEADER]: 'not base64 at all!' };
    expect(verifier.verify({ key, value, headers: garbage })).to.include({ code: EVENT_SIGNATURE_INVALID });
  });

  it('refuses to sign with a key that is not Ed25519', () => {
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => new EventSigner(privateKey)).to.throw(/Ed25519/);
  });
});
