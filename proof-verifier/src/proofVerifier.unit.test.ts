// The verifier on a proof captured from a live run (a ten-transition escrow fetched through the
// gateway: only public certificates and signatures), and on that proof with one part changed.
import * as common from '@hyperledger/fabric-protos/lib/common/common_pb';
import { p256 } from '@noble/curves/nist.js';
import { expect } from 'chai';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { blockHeaderHash } from './blockHashing';
import { base64Of, bytesOf, type ProofBundle } from './proofBundle';
import type { PolicyRule } from './policyEvaluation';
import { ProofError, type ProofErrorCode } from './proofErrors';
import {
  anyTwoPeersOf,
  organizationMaterial,
  type OrganizationMaterial,
  type ProofTrust,
} from './proofTrust';
import { verifyProof } from './proofVerifier';

const fixture = path.resolve(__dirname, '../fixtures/ten-transitions');
const captured = JSON.parse(fs.readFileSync(path.join(fixture, 'proof.json'), 'utf8')) as ProofBundle;
const PEER_ORGS = ['MarketAMSP', 'MarketBMSP', 'OversightMSP'];

function trustOf(overrides: Partial<ProofTrust> = {}): ProofTrust {
  const organizations = new Map<string, OrganizationMaterial>();
  for (const mspId of fs.readdirSync(path.join(fixture, 'msp')))
    organizations.set(
      mspId,
      organizationMaterial([
        fs.readFileSync(path.join(fixture, 'msp', mspId, 'cacerts', 'ca-cert.pem'), 'utf8'),
      ]),
    );
  return {
    organizations,
    ordererMspIds: ['OrdererMSP'],
    chaincodePolicy: anyTwoPeersOf(PEER_ORGS),
    ...overrides,
  };
}

const trust = trustOf();

function copy(): ProofBundle {
  return structuredClone(captured);
}

function refusal(bundle: unknown, withTrust: ProofTrust = trust): ProofErrorCode {
  try {
    verifyProof(bundle, withTrust);
  } catch (error) {
    if (error instanceof ProofError) return error.code;
    throw error;
  }
  return expect.fail('the proof verified');
}

/** The bundle with one byte of a base64 part changed. */
function flipped(text: string, at: number, mask: number): string {
  const bytes = bytesOf(text, 'part');
  const index = at % bytes.length;
  bytes[index] = (bytes[index] ?? 0) ^ mask;
  return base64Of(bytes);
}

/** SIGNATURES metadata whose first orderer signature has one byte of R changed. */
function withSignatureByteChanged(text: string): string {
  const metadata = common.Metadata.deserializeBinary(bytesOf(text, 'metadata'));
  const [first] = metadata.getSignaturesList();
  const signature = first!.getSignature_asU8().slice();
  signature[10] = (signature[10] ?? 0) ^ 1;
  first!.setSignature(signature);
  return base64Of(metadata.serializeBinary());
}

describe('proof verifier: a captured ten-transition escrow', () => {
  it('verifies every transition, its endorsements and policy, and the chain to the latest block', () => {
    const proof = verifyProof(captured, trust);
    expect(proof.transitions).to.have.length(10);
    expect(
      proof.transitions.map((transition) => (transition.record as { state: string }).state),
    ).to.deep.equal([
      'PROPOSED',
      'CREATED',
      'CREATED',
      'FUNDED',
      'SHIPPED',
      'DISPUTED',
      'DISPUTED',
      'DISPUTED',
      'DISPUTED',
      'DISPUTED',
    ]);
    expect(proof.transitions[0]?.policy).to.match(/^OutOf\(2, /);
    expect(proof.transitions[1]?.policy).to.equal('AND(MarketAMSP.member, MarketBMSP.member)');
    expect(proof.transitions[9]?.policy).to.match(
      /^OR\(AND\(MarketAMSP.member, MarketBMSP.member\), AND\(Oversight/,
    );
    const last = captured.headers[captured.headers.length - 1] ?? '';
    const hash = blockHeaderHash(common.BlockHeader.deserializeBinary(bytesOf(last, 'header')));
    expect(proof.latestBlock.hash).to.equal(Buffer.from(hash).toString('hex'));
  });

  it('refuses a changed transaction, header, orderer signature, validation code or claimed record', () => {
    const cases: [string, (bundle: ProofBundle) => void, ProofErrorCode][] = [
      [
        'an envelope byte',
        (b) => {
          const block = b.blocks[1]!;
          block.envelopes[0] = flipped(block.envelopes[0]!, 200, 1);
        },
        'PROOF_DATA_HASH_MISMATCH',
      ],
      [
        'a previous hash',
        (b) => {
          b.headers[1] = flipped(b.headers[1]!, 10, 0x80);
        },
        'PROOF_HASH_CHAIN_BROKEN',
      ],
      [
        'a missing header',
        (b) => {
          b.headers.splice(1, 1);
        },
        'PROOF_HASH_CHAIN_BROKEN',
      ],
      [
        'a block signature',
        (b) => {
          b.blocks[0]!.signatures = withSignatureByteChanged(b.blocks[0]!.signatures);
        },
        'PROOF_SIGNATURE_INVALID',
      ],
      [
        'the validation code',
        (b) => {
          b.transitions[3]!.validationCode = 11;
        },
        'PROOF_TRANSACTION_INVALID',
      ],
      [
        'a claimed record',
        (b) => {
          b.transitions[4]!.record = b.transitions[3]!.record;
        },
        'PROOF_STATE_MISMATCH',
      ],
      [
        'the escrow id',
        (b) => {
          b.escrowId = `${b.escrowId}x`;
        },
        'PROOF_STATE_MISMATCH',
      ],
      [
        'a dropped transition block',
        (b) => {
          b.blocks.splice(2, 1);
        },
        'PROOF_TRANSACTION_MISMATCH',
      ],
      [
        'the format',
        (b) => {
          (b as { format: string }).format = 'p2p-escrow/proof@0';
        },
        'PROOF_MALFORMED',
      ],
    ];
    for (const [what, change, code] of cases) {
      const bundle = copy();
      change(bundle);
      expect(refusal(bundle), what).to.equal(code);
    }
  });

  it('refuses an orderer signature made high-S, which Fabric would never accept', () => {
    const bundle = copy();
    const metadata = common.Metadata.deserializeBinary(bytesOf(bundle.latestSignatures, 'metadata'));
    const [first] = metadata.getSignaturesList();
    const signature = p256.Signature.fromBytes(first!.getSignature_asU8(), 'der');
    first!.setSignature(new p256.Signature(signature.r, p256.Point.Fn.ORDER - signature.s).toBytes('der'));
    bundle.latestSignatures = base64Of(metadata.serializeBinary());
    expect(() => verifyProof(bundle, trust)).to.throw(ProofError, /high-S/);
  });

  it('trusts only the MSP material and policy it is given', () => {
    const without = new Map(trust.organizations);
    without.delete('MarketBMSP');
    expect(refusal(captured, trustOf({ organizations: without }))).to.equal('PROOF_UNKNOWN_ORGANIZATION');
    const swapped = new Map(trust.organizations);
    swapped.set('MarketBMSP', trust.organizations.get('MarketAMSP')!);
    expect(refusal(captured, trustOf({ organizations: swapped }))).to.equal('PROOF_CERTIFICATE_UNTRUSTED');
    const allThree: PolicyRule = {
      outOf: 3,
      rules: PEER_ORGS.map((mspId) => ({ signedBy: { mspId, role: 'peer' as const } })),
    };
    expect(refusal(captured, trustOf({ chaincodePolicy: allThree }))).to.equal('PROOF_POLICY_UNSATISFIED');
    expect(refusal(captured, trustOf({ ordererMspIds: ['MarketAMSP'] }))).to.equal(
      'PROOF_UNKNOWN_ORGANIZATION',
    );
  });

  it('fails on any single-byte change anywhere in the signed and hashed parts', function () {
    // Sixty whole verifications: seconds on a loaded machine.
    this.timeout(120_000);
    const binaryParts: ((bundle: ProofBundle) => { get(): string; set(value: string): void })[] = [
      ...captured.blocks.flatMap((block, b) => [
        ...block.envelopes.map((_, e) => (x: ProofBundle) => ({
          get: () => x.blocks[b]!.envelopes[e]!,
          set: (value: string) => (x.blocks[b]!.envelopes[e] = value),
        })),
        (x: ProofBundle) => ({
          get: () => x.blocks[b]!.signatures,
          set: (value: string) => (x.blocks[b]!.signatures = value),
        }),
      ]),
      ...captured.headers.map((_, h) => (x: ProofBundle) => ({
        get: () => x.headers[h]!,
        set: (value: string) => (x.headers[h] = value),
      })),
      (x: ProofBundle) => ({
        get: () => x.latestSignatures,
        set: (value: string) => (x.latestSignatures = value),
      }),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: binaryParts.length - 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (part, at, mask) => {
          const bundle = copy();
          const target = binaryParts[part]!(bundle);
          target.set(flipped(target.get(), at, mask));
          expect(() => verifyProof(bundle, trust)).to.throw(ProofError);
        },
      ),
      { numRuns: 60 },
    );
  });
});
