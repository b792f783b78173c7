// The browser's marks on the captured ten-transition proof, with trust anchors shaped as the gateway
// serves them: every transition verified; one changed byte and every mark says why it is not.
import { anyTwoPeersOf, type ProofBundle } from '@p2p-escrow/proof-verifier';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markOf, verdictOf, type TrustAnchorsView } from './proofMarks';

const fixture = path.join(
  path.dirname(require.resolve('@p2p-escrow/proof-verifier/package.json')),
  'fixtures',
  'ten-transitions',
);
const captured = JSON.parse(fs.readFileSync(path.join(fixture, 'proof.json'), 'utf8')) as ProofBundle;
const anchors: TrustAnchorsView = {
  members: fs.readdirSync(path.join(fixture, 'msp')).map((mspId) => ({
    mspId,
    kind: mspId === 'OrdererMSP' ? 'orderer' : 'peer',
    rootCertificates: [fs.readFileSync(path.join(fixture, 'msp', mspId, 'cacerts', 'ca-cert.pem'), 'utf8')],
    intermediateCertificates: [],
  })),
  chaincodePolicy: anyTwoPeersOf(['MarketAMSP', 'MarketBMSP', 'OversightMSP']),
};

describe('console proof marks', () => {
  it('marks every transition of a genuine proof verified', () => {
    const verdict = verdictOf(captured, anchors);
    expect(captured.transitions.map((transition) => markOf(verdict, transition.txId))).to.deep.equal(
      captured.transitions.map(() => 'verified'),
    );
    expect(markOf(verdict, 'f'.repeat(64))).to.equal('not verified: the transaction is not in the proof');
  });

  it('marks none verified when a byte of a block changed, naming the check that failed', () => {
    const tampered = structuredClone(captured);
    const block = tampered.blocks[1];
    if (block === undefined) return expect.fail('the fixture has fewer than two blocks');
    const bytes = Buffer.from(block.envelopes[0] ?? '', 'base64');
    bytes[200] = (bytes[200] ?? 0) ^ 1;
    block.envelopes[0] = bytes.toString('base64');
    const verdict = verdictOf(tampered, anchors);
    for (const transition of tampered.transitions)
      expect(markOf(verdict, transition.txId)).to.match(/^not verified: PROOF_DATA_HASH_MISMATCH: /);
  });

  it('marks none verified when an org is missing from the trust anchors', () => {
    const without = {
      ...anchors,
      members: anchors.members.filter((member) => member.mspId !== 'MarketBMSP'),
    };
    const verdict = verdictOf(captured, without);
    expect(markOf(verdict, captured.transitions[0]?.txId ?? '')).to.match(
      /^not verified: PROOF_UNKNOWN_ORGANIZATION: /,
    );
  });
});
