// The attestation transactions behind the contract's thin methods. attestVerification: a payments
// identity of the party's own marketplace states the party's verification status (a salted hash and
// the status), under a key only that marketplace with Oversight may change, and emits
// PartyVerificationAttested. readVerificationAttestation: what the ledger holds of a party, if anything.
import type { ChaincodeStub } from 'fabric-shim';
import { requireFundingKey, requirePaymentsIdentityOf } from '../escrow/guards';
import type { Actor, IdentitySource } from '../identity/actor';
import { encodePolicy, partyVerificationPolicy } from '../ledger/endorsementPolicy';
import { partyVerificationKey } from '../ledger/keys';
import { toStateBytes, toStateJson } from '../ledger/stateSerializer';
import {
  attestVerification,
  PARTY_VERIFICATION_ATTESTED,
  parsePartyId,
  partyIdOf,
  partyVerificationFromBytes,
  type PartyVerificationAttestation,
} from './partyVerification';

export interface AttestationSubmit {
  readonly actor: Actor;
  readonly nowMs: number;
  /** The caller's certificate: the attestation follows the provider's event, so only the payments
   * service (whose identity alone carries the funding key) makes it, never a backend through a gateway. */
  readonly identity: IdentitySource;
}

export async function attestVerificationTransaction(
  stub: ChaincodeStub,
  submit: AttestationSubmit,
  partyId: string,
  statusHashHex: string,
  status: string,
): Promise<string> {
  const party = parsePartyId(partyId);
  // Only the party's own marketplace knows its customer: another marketplace's identity, or any
  // identity of the party's marketplace but its payments one, is refused before anything is read.
  requirePaymentsIdentityOf(party.marketplace, submit.actor);
  requireFundingKey(submit.identity, submit.actor);
  const attestation = attestVerification(partyId, statusHashHex, status, submit.actor, submit.nowMs);
  const key = partyVerificationKey(stub, attestation.marketplace, attestation.userId);
  await stub.putState(key, toStateBytes(attestation));
  await stub.setStateValidationParameter(key, encodePolicy(partyVerificationPolicy(attestation.marketplace)));
  stub.setEvent(PARTY_VERIFICATION_ATTESTED, toStateBytes(attestationEventOf(attestation)));
  return toStateJson(attestation);
}

/** The event names the party and the status, never more than public state already holds. */
function attestationEventOf(attestation: PartyVerificationAttestation): object {
  return {
    partyId: attestation.partyId,
    marketplace: attestation.marketplace,
    status: attestation.status,
    statusHash: attestation.statusHash,
    txTime: attestation.attestedAt,
  };
}

/** Any channel member may read an attestation: it holds a hash and a status, no personal data. */
export async function readVerificationAttestationTransaction(
  stub: ChaincodeStub,
  partyId: string,
): Promise<string> {
  const party = parsePartyId(partyId);
  const bytes = await stub.getState(partyVerificationKey(stub, party.marketplace, party.userId));
  const attestation = bytes.length === 0 ? null : partyVerificationFromBytes(bytes);
  return toStateJson({ partyId: partyIdOf(party), attestation });
}
