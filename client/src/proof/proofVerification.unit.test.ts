// The SDK's audit-proof verifier, as a partner would call it: the captured ten-transition proof and
// the orgs' public CA certificates, no network; one changed byte and it refuses with a stable code.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  anyTwoPeersOf,
  organizationMaterial,
  ProofError,
  verifyProof,
  type OrganizationMaterial,
  type ProofBundle,
  type ProofTrust,
} from '../index';

// The verifier package ships its captured proof and the orgs' CA certificates beside its code.
const fixture = path.join(
  path.dirname(require.resolve('@p2p-escrow/proof-verifier/package.json')),
  'fixtures',
  'ten-transitions',
);
const captured = JSON.parse(fs.readFileSync(path.join(fixture, 'proof.json'), 'utf8')) as ProofBundle;
const trust: ProofTrust = {
  organizations: new Map<string, OrganizationMaterial>(
    fs
      .readdirSync(path.join(fixture, 'msp'))
      .map((mspId) => [
        mspId,
        organizationMaterial([
          fs.readFileSync(path.join(fixture, 'msp', mspId, 'cacerts', 'ca-cert.pem'), 'utf8'),
        ]),
      ]),
  ),
  ordererMspIds: ['OrdererMSP'],
  chaincodePolicy: anyTwoPeersOf(['MarketAMSP', 'MarketBMSP', 'OversightMSP']),
};

describe('SDK proof verifier', () => {
  it('verifies the ten transitions of a captured proof, each with its endorsing orgs', () => {
    const proof = verifyProof(captured, trust);
    expect(proof.transitions).to.have.length(10);
    expect(proof.transitions.map((transition) => transition.txId)).to.deep.equal(
      captured.transitions.map((transition) => transition.txId),
    );
    for (const transition of proof.transitions)
      expect(transition.endorsingMspIds.length).to.be.greaterThanOrEqual(2);
  });

  it('refuses the proof with one byte of a transaction changed', () => {
    const tampered = structuredClone(captured);
    const block = tampered.blocks[1];
    if (block === undefined) return expect.fail('the fixture has fewer than two blocks');
    const bytes = Buffer.from(block.envelopes[0] ?? '', 'base64');
    bytes[200] = (bytes[200] ?? 0) ^ 1;
    block.envelopes[0] = bytes.toString('base64');
    expect(() => verifyProof(tampered, trust))
      .to.throw(ProofError)
      .with.property('code', 'PROOF_DATA_HASH_MISMATCH');
  });
});
