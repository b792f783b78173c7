// Endorsement policies as Fabric evaluates them: a SignaturePolicyEnvelope (what the chaincode writes
// as a key's VALIDATION_PARAMETER) read into a rule tree, and the rule checked against the endorsers
// the way Fabric's cauthdsl does, each endorser satisfying at most one principal.
import * as policies from '@hyperledger/fabric-protos/lib/common/policies_pb';
import * as msp from '@hyperledger/fabric-protos/lib/msp/msp_principal_pb';
import type { Signer } from './identitySignature';
import { decoded, ProofError } from './proofErrors';

export type PrincipalRole = 'member' | 'peer' | 'admin' | 'client' | 'orderer';

export type PolicyRule =
  | { readonly signedBy: { readonly mspId: string; readonly role: PrincipalRole } }
  | { readonly outOf: number; readonly rules: readonly PolicyRule[] };

const ROLE_NAMES = new Map<number, PrincipalRole>([
  [msp.MSPRole.MSPRoleType.MEMBER, 'member'],
  [msp.MSPRole.MSPRoleType.PEER, 'peer'],
  [msp.MSPRole.MSPRoleType.ADMIN, 'admin'],
  [msp.MSPRole.MSPRoleType.CLIENT, 'client'],
  [msp.MSPRole.MSPRoleType.ORDERER, 'orderer'],
]);

export function policyFromEnvelope(bytes: Uint8Array): PolicyRule {
  return decoded('an endorsement policy', () => {
    const envelope = policies.SignaturePolicyEnvelope.deserializeBinary(bytes);
    const principals = envelope.getIdentitiesList().map((principal) => {
      if (principal.getPrincipalClassification() !== msp.MSPPrincipal.Classification.ROLE)
        throw new Error('only ROLE principals are supported');
      const role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
      const name = ROLE_NAMES.get(role.getRole());
      if (name === undefined) throw new Error(`unknown MSP role ${String(role.getRole())}`);
      return { mspId: role.getMspIdentifier(), role: name };
    });
    const rule = envelope.getRule();
    if (rule === undefined) throw new Error('the policy has no rule');
    return ruleOf(rule, principals);
  });
}

function ruleOf(
  rule: policies.SignaturePolicy,
  principals: readonly { mspId: string; role: PrincipalRole }[],
): PolicyRule {
  if (rule.getTypeCase() === policies.SignaturePolicy.TypeCase.SIGNED_BY) {
    const principal = principals[rule.getSignedBy()];
    if (principal === undefined) throw new Error('the policy names an identity it does not list');
    return { signedBy: principal };
  }
  const nOutOf = rule.getNOutOf();
  if (nOutOf === undefined) throw new Error('a policy rule is neither signed_by nor n_out_of');
  return { outOf: nOutOf.getN(), rules: nOutOf.getRulesList().map((child) => ruleOf(child, principals)) };
}

/** NodeOU roles are read from the certificate's OU, as the channel's MSPs (NodeOUs enabled) do. */
function hasRole(signer: Signer, role: PrincipalRole): boolean {
  if (role === 'member') return true;
  return signer.certificate.organizationalUnits.includes(role);
}

/** Fabric's evaluation: children are tried in order on a copy of the used flags; a pass commits them. */
function satisfies(rule: PolicyRule, signers: readonly Signer[], used: boolean[]): boolean {
  if ('signedBy' in rule) {
    const index = signers.findIndex(
      (signer, at) =>
        used[at] !== true && signer.mspId === rule.signedBy.mspId && hasRole(signer, rule.signedBy.role),
    );
    if (index < 0) return false;
    used[index] = true;
    return true;
  }
  let passed = 0;
  const working = [...used];
  for (const child of rule.rules) {
    const attempt = [...working];
    if (satisfies(child, signers, attempt)) {
      passed += 1;
      attempt.forEach((flag, at) => (working[at] = flag));
    }
  }
  if (passed < rule.outOf) return false;
  working.forEach((flag, at) => (used[at] = flag));
  return true;
}

export function describePolicy(rule: PolicyRule): string {
  if ('signedBy' in rule) return `${rule.signedBy.mspId}.${rule.signedBy.role}`;
  const children = rule.rules.map(describePolicy).join(', ');
  if (rule.outOf === rule.rules.length) return `AND(${children})`;
  if (rule.outOf === 1) return `OR(${children})`;
  return `OutOf(${String(rule.outOf)}, ${children})`;
}

export function requirePolicySatisfied(rule: PolicyRule, endorsers: readonly Signer[], what: string): void {
  if (
    !satisfies(
      rule,
      endorsers,
      endorsers.map(() => false),
    )
  )
    throw new ProofError(
      'PROOF_POLICY_UNSATISFIED',
      `${what}: endorsed by ${endorsers.map((signer) => signer.mspId).join(', ') || 'nobody'}, the policy was ${describePolicy(rule)}`,
    );
}
