// The portable X.509 reader against Node's own (OpenSSL's) on the certificates of a captured proof:
// the same fingerprint, validity, OUs and issuer check; and DER that is not a certificate is refused.
import * as msp from '@hyperledger/fabric-protos/lib/msp/identities_pb';
import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { certificateFromDer, certificateFromPem, isIssuedBy } from './certificate';
import { channelHeaderOf } from './transactionCheck';
import { bytesOf, type ProofBundle } from './proofBundle';
import * as common from '@hyperledger/fabric-protos/lib/common/common_pb';

const fixture = path.resolve(__dirname, '../fixtures/ten-transitions');
const captured = JSON.parse(fs.readFileSync(path.join(fixture, 'proof.json'), 'utf8')) as ProofBundle;
const caPem = (mspId: string) =>
  fs.readFileSync(path.join(fixture, 'msp', mspId, 'cacerts', 'ca-cert.pem'), 'utf8');

/** The creator certificate (PEM) of the first transaction of the proof. */
function creatorPem(): string {
  const envelope = bytesOf(captured.blocks[0]?.envelopes[0] ?? '', 'envelope');
  channelHeaderOf(envelope, 'envelope');
  const payload = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(envelope).getPayload_asU8(),
  );
  const header = common.SignatureHeader.deserializeBinary(
    payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array(),
  );
  return new TextDecoder().decode(
    msp.SerializedIdentity.deserializeBinary(header.getCreator_asU8()).getIdBytes_asU8(),
  );
}

describe('proof verifier: X.509 certificates read without Node', () => {
  it('reads what OpenSSL reads: fingerprint, validity, OUs, and who issued whom', () => {
    const creator = creatorPem();
    const ours = certificateFromPem(creator);
    const node = new crypto.X509Certificate(creator);
    expect(ours.fingerprint256).to.equal(node.fingerprint256.replace(/:/g, '').toLowerCase());
    expect(ours.validFrom.getTime()).to.equal(Date.parse(node.validFrom));
    expect(ours.validTo.getTime()).to.equal(Date.parse(node.validTo));
    const nodeUnits = node.subject
      .split('\n')
      .flatMap((line) => line.split('+'))
      .filter((attribute) => attribute.startsWith('OU='))
      .map((attribute) => attribute.slice(3));
    expect(ours.organizationalUnits).to.deep.equal(nodeUnits);
    for (const mspId of ['MarketAMSP', 'MarketBMSP', 'OversightMSP']) {
      const ca = caPem(mspId);
      expect(isIssuedBy(ours, certificateFromPem(ca)), mspId).to.equal(
        node.checkIssued(new crypto.X509Certificate(ca)) &&
          node.verify(new crypto.X509Certificate(ca).publicKey),
      );
    }
  });

  it('refuses DER that is truncated or followed by other bytes', () => {
    const der = new crypto.X509Certificate(caPem('MarketAMSP')).raw;
    expect(() => certificateFromDer(new Uint8Array(der.subarray(0, der.length - 1)))).to.throw(/DER/);
    expect(() => certificateFromDer(new Uint8Array([...der, 0]))).to.throw(/DER/);
  });
});
