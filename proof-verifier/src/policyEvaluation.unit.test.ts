// Endorsement policies as the verifier evaluates them: the escrow's key-level forms (the trade's
// orgs; widened on a dispute) and the definition's any two peers, each endorser counted once.
import { common, msp } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import type { Signer } from './identitySignature';
import {
  describePolicy,
  policyFromEnvelope,
  requirePolicySatisfied,
  type PolicyRule,
} from './policyEvaluation';
import { ProofError } from './proofErrors';

const member = (mspId: string): PolicyRule => ({ signedBy: { mspId, role: 'member' } });
const and = (...rules: PolicyRule[]): PolicyRule => ({ outOf: rules.length, rules });
const or = (...rules: PolicyRule[]): PolicyRule => ({ outOf: 1, rules });

// Member principals never look at the certificate.
const signer = (mspId: string): Signer => ({ mspId, certificate: undefined as never });

function passes(rule: PolicyRule, ...mspIds: string[]): boolean {
  try {
    requirePolicySatisfied(rule, mspIds.map(signer), 'test');
    return true;
  } catch (error) {
    if (error instanceof ProofError && error.code === 'PROOF_POLICY_UNSATISFIED') return false;
    throw error;
  }
}

/** A SignaturePolicyEnvelope as the chaincode writes it (endorsementPolicy.ts encodePolicy). */
function envelopeOf(identities: string[], rule: common.SignaturePolicy): Uint8Array {
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setIdentitiesList(
    identities.map((mspId) => {
      const role = new msp.MSPRole();
      role.setMspIdentifier(mspId);
      role.setRole(msp.MSPRole.MSPRoleType.MEMBER);
      const principal = new msp.MSPPrincipal();
      principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
      principal.setPrincipal(role.serializeBinary());
      return principal;
    }),
  );
  envelope.setRule(rule);
  return envelope.serializeBinary();
}

function signedBy(index: number): common.SignaturePolicy {
  const rule = new common.SignaturePolicy();
  rule.setSignedBy(index);
  return rule;
}

function outOf(n: number, ...rules: common.SignaturePolicy[]): common.SignaturePolicy {
  const nOutOf = new common.SignaturePolicy.NOutOf();
  nOutOf.setN(n);
  nOutOf.setRulesList(rules);
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(nOutOf);
  return rule;
}

describe('proof verifier: endorsement policies', () => {
  const disputed = or(and(member('A'), member('B')), and(member('O'), or(member('A'), member('B'))));

  it("accepts the trade's orgs, or Oversight with either party's org, once a dispute widened the policy", () => {
    expect(passes(disputed, 'A', 'B')).to.equal(true);
    expect(passes(disputed, 'O', 'A')).to.equal(true);
    expect(passes(disputed, 'O', 'B')).to.equal(true);
    expect(passes(disputed, 'A')).to.equal(false);
    expect(passes(disputed, 'O')).to.equal(false);
  });

  it('counts each endorser once: one org endorsing twice does not satisfy AND of it with itself', () => {
    expect(passes(and(member('A'), member('A')), 'A')).to.equal(false);
    expect(passes(and(member('A'), member('A')), 'A', 'A')).to.equal(true);
  });

  it('reads the key-level policy the chaincode writes and describes it', () => {
    const bytes = envelopeOf(
      ['A', 'B', 'O'],
      outOf(1, outOf(2, signedBy(0), signedBy(1)), outOf(2, signedBy(2), outOf(1, signedBy(0), signedBy(1)))),
    );
    const rule = policyFromEnvelope(bytes);
    expect(rule).to.deep.equal(disputed);
    expect(describePolicy(rule)).to.equal(
      'OR(AND(A.member, B.member), AND(O.member, OR(A.member, B.member)))',
    );
  });

  it('refuses a policy that names an identity it does not list', () => {
    expect(() => policyFromEnvelope(envelopeOf(['A'], signedBy(3))))
      .to.throw(ProofError)
      .with.property('code', 'PROOF_MALFORMED');
  });
});
