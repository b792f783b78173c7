// State-based endorsement policies for escrow keys. fabric-shim's KeyEndorsementPolicy can only
// express "all of these orgs", so the SignaturePolicyEnvelope is built here from the protobuf
// messages directly, which also allows the OR form a dispute needs.
import { common, msp } from '@hyperledger/fabric-protos';
import { type Marketplace, type Organization, OVERSIGHT, mspIdOf } from '../config/identityConfig';

export type Policy =
  | { readonly signedBy: string }
  | { readonly outOf: number; readonly rules: readonly Policy[] };

export function member(mspId: string): Policy {
  return { signedBy: mspId };
}

export function allOf(...rules: Policy[]): Policy {
  return { outOf: rules.length, rules };
}

export function anyOf(...rules: Policy[]): Policy {
  return { outOf: 1, rules };
}

/** The parties' marketplaces, as an escrow or a create request names them. */
export interface PartyMarketplaces {
  readonly buyer: { readonly marketplace: string };
  readonly seller: { readonly marketplace: string };
}

/**
 * The organizations whose peers a client asks to endorse a write to an escrow: what escrowPolicy
 * requires, both parties' orgs, or the org and Oversight when both trade on one marketplace.
 */
export function escrowEndorsingOrganizations(parties: PartyMarketplaces): string[] {
  const { buyer, seller } = parties;
  return buyer.marketplace === seller.marketplace
    ? [buyer.marketplace, OVERSIGHT]
    : [buyer.marketplace, seller.marketplace];
}

/**
 * The organizations that endorse putPrivateDetails: the members of the escrow's private collection
 * and nobody else, because every endorser receives the proposal's transient personal data.
 */
export function privateDetailsEndorsingOrganizations(parties: PartyMarketplaces): string[] {
  return [...new Set([parties.buyer.marketplace, parties.seller.marketplace])];
}

/** The key-level policy of an escrow's private details: every member of its collection. */
export function privateDetailsPolicy(buyer: Marketplace, seller: Marketplace): Policy {
  return allOf(...[...new Set([buyer, seller])].map((org) => member(mspIdOf(org))));
}

/** An arbiter's resolution of a disputed escrow: Oversight and one party's org (the buyer's). */
export function resolutionEndorsingOrganizations(parties: PartyMarketplaces): Organization[] {
  return [OVERSIGHT, parties.buyer.marketplace];
}

/**
 * AND(buyer org, seller org) for a cross-marketplace trade, AND(org, Oversight) when both parties
 * trade on one marketplace. A dispute widens a cross-marketplace policy so Oversight plus either
 * party's org can endorse the arbiter's resolution; a same-marketplace policy already needs both.
 */
export function escrowPolicy(buyer: Marketplace, seller: Marketplace, disputed: boolean): Policy {
  const oversight = member(mspIdOf(OVERSIGHT));
  const buyerOrg = member(mspIdOf(buyer));
  if (buyer === seller) return allOf(buyerOrg, oversight);
  const sellerOrg = member(mspIdOf(seller));
  const parties = allOf(buyerOrg, sellerOrg);
  return disputed ? anyOf(parties, allOf(oversight, anyOf(buyerOrg, sellerOrg))) : parties;
}

/**
 * A statement's keys and the obligations it nets: both marketplaces of the pair, so neither can
 * propose, settle or alter what they owe each other alone, and no third org can at all.
 */
export function statementPolicy(one: Marketplace, other: Marketplace): Policy {
  return allOf(member(mspIdOf(one)), member(mspIdOf(other)));
}

/** The organizations whose peers endorse a statement's proposal and settlement: the pair. */
export function statementEndorsingOrganizations(one: Marketplace, other: Marketplace): Organization[] {
  return [one, other];
}

/**
 * A party's verification attestation: its own marketplace with Oversight, as for a same-marketplace
 * trade, so no marketplace writes it alone and no other marketplace can write it at all.
 */
export function partyVerificationPolicy(marketplace: Marketplace): Policy {
  return allOf(member(mspIdOf(marketplace)), member(mspIdOf(OVERSIGHT)));
}

/** The organizations whose peers endorse an attestation: the party's marketplace and Oversight. */
export function partyVerificationEndorsingOrganizations(marketplace: Marketplace): Organization[] {
  return [marketplace, OVERSIGHT];
}

/**
 * The governance keys' policy (the marketplace registry, the channel settings): more than half of
 * the governing members, each an active marketplace or Oversight. The chaincode definition's own
 * policy is any two member orgs (so a new escrow needs only its trade's orgs); these keys must not
 * fall back to it once written. A change is validated against the members before it, so the
 * existing members decide who joins, and each write names the members after it.
 */
export function governancePolicy(memberMspIds: readonly string[]): Policy {
  const members = [...new Set(memberMspIds)].sort();
  return { outOf: Math.floor(members.length / 2) + 1, rules: members.map(member) };
}

function collectMspIds(policy: Policy, into: string[]): string[] {
  if ('signedBy' in policy) {
    if (!into.includes(policy.signedBy)) into.push(policy.signedBy);
  } else {
    policy.rules.forEach((rule) => collectMspIds(rule, into));
  }
  return into;
}

function toSignaturePolicy(policy: Policy, identities: readonly string[]): common.SignaturePolicy {
  const signaturePolicy = new common.SignaturePolicy();
  if ('signedBy' in policy) {
    signaturePolicy.setSignedBy(identities.indexOf(policy.signedBy));
    return signaturePolicy;
  }
  const nOutOf = new common.SignaturePolicy.NOutOf();
  nOutOf.setN(policy.outOf);
  nOutOf.setRulesList(policy.rules.map((rule) => toSignaturePolicy(rule, identities)));
  signaturePolicy.setNOutOf(nOutOf);
  return signaturePolicy;
}

function memberPrincipal(mspId: string): msp.MSPPrincipal {
  const role = new msp.MSPRole();
  role.setMspIdentifier(mspId);
  role.setRole(msp.MSPRole.MSPRoleType.MEMBER);
  const principal = new msp.MSPPrincipal();
  principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
  principal.setPrincipal(role.serializeBinary());
  return principal;
}

/** Serializes a policy as the SignaturePolicyEnvelope bytes setStateValidationParameter expects. */
export function encodePolicy(policy: Policy): Uint8Array {
  const identities = collectMspIds(policy, []);
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setIdentitiesList(identities.map(memberPrincipal));
  envelope.setRule(toSignaturePolicy(policy, identities));
  return envelope.serializeBinary();
}

function fromSignaturePolicy(rule: common.SignaturePolicy, identities: readonly string[]): Policy {
  if (rule.getTypeCase() === common.SignaturePolicy.TypeCase.SIGNED_BY) {
    const mspId = identities[rule.getSignedBy()];
    if (mspId === undefined) throw new Error('policy refers to an identity it does not list');
    return member(mspId);
  }
  const nOutOf = rule.getNOutOf();
  if (nOutOf === undefined) throw new Error('policy rule is neither signed_by nor n_out_of');
  return {
    outOf: nOutOf.getN(),
    rules: nOutOf.getRulesList().map((child) => fromSignaturePolicy(child, identities)),
  };
}

/** Reads policy bytes back into the same structure; used by tests and by diagnostics. */
export function decodePolicy(bytes: Uint8Array): Policy {
  const envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes);
  const identities = envelope.getIdentitiesList().map((principal) => {
    if (principal.getPrincipalClassification() !== msp.MSPPrincipal.Classification.ROLE) {
      throw new Error('only ROLE principals are supported');
    }
    const role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
    if (role.getRole() !== msp.MSPRole.MSPRoleType.MEMBER) throw new Error('only MEMBER roles are supported');
    return role.getMspIdentifier();
  });
  const rule = envelope.getRule();
  if (rule === undefined) throw new Error('policy has no rule');
  return fromSignaturePolicy(rule, identities);
}
