// A party's identity-verification attestation: what the party's own marketplace states on the ledger
// about a verification its provider made, as a salted hash (over the provider's verification id, the
// status and a salt only that marketplace holds) and the status. The person's data stays with the
// marketplace and its provider; the ledger can only confirm what the marketplace shows it later.
import { CorruptStateError, EscrowError, InvalidInputError } from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';
import { fromStateBytes } from '../ledger/stateSerializer';
import {
  requireId,
  requireInstant,
  requireMarketplace,
  requireObject,
  requireOneOf,
  requireSha256Hex,
  requireText,
  toInstant,
} from '../validation/fields';

/** The statuses a verification provider reports (the provider's own names mapped onto these). */
export const VERIFICATION_STATUSES = ['verified', 'rejected', 'requires_input'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** The event a new attestation emits; it names no escrow, so the escrow stream does not carry it. */
export const PARTY_VERIFICATION_ATTESTED = 'PartyVerificationAttested';

/** Between a party's marketplace and its user id: neither a marketplace name nor a user id holds it. */
export const PARTY_ID_SEPARATOR = ':';

export interface PartyRef {
  readonly marketplace: string;
  readonly userId: string;
}

export interface PartyVerificationAttestation {
  readonly partyId: string;
  readonly marketplace: string;
  readonly userId: string;
  readonly status: VerificationStatus;
  /** sha256 hex over (provider verification id, status, the marketplace's salt); see payments. */
  readonly statusHash: string;
  readonly attestedAt: string;
  /** `<userId>@<organization>` of the payments identity that attested. */
  readonly attestedBy: string;
}

/** `MarketA:amir` → its marketplace and user id, each checked by the ledger's own rules. */
export function parsePartyId(partyId: unknown): PartyRef {
  const text = requireText(partyId, 'partyId', 300);
  const at = text.indexOf(PARTY_ID_SEPARATOR);
  if (at <= 0) throw new InvalidInputError('partyId must be <marketplace>:<userId>');
  return {
    marketplace: requireMarketplace(text.slice(0, at), 'partyId marketplace'),
    userId: requireId(text.slice(at + 1), 'partyId userId'),
  };
}

export function partyIdOf(party: PartyRef): string {
  return `${party.marketplace}${PARTY_ID_SEPARATOR}${party.userId}`;
}

export function attestVerification(
  partyId: unknown,
  statusHashHex: unknown,
  status: unknown,
  actor: Actor,
  nowMs: number,
): PartyVerificationAttestation {
  const party = parsePartyId(partyId);
  return {
    partyId: partyIdOf(party),
    marketplace: party.marketplace,
    userId: party.userId,
    status: requireOneOf(status, 'status', VERIFICATION_STATUSES),
    statusHash: requireSha256Hex(statusHashHex, 'statusHashHex'),
    attestedAt: toInstant(nowMs),
    attestedBy: `${actor.userId}@${actor.organization}`,
  };
}

/** Reads a stored attestation back with the rules it was written under; anything else is corrupt. */
export function partyVerificationFromBytes(bytes: Uint8Array): PartyVerificationAttestation {
  try {
    const record = requireObject(fromStateBytes(bytes), 'attestation');
    const party = parsePartyId(record['partyId']);
    return {
      partyId: partyIdOf(party),
      marketplace: party.marketplace,
      userId: party.userId,
      status: requireOneOf(record['status'], 'status', VERIFICATION_STATUSES),
      statusHash: requireSha256Hex(record['statusHash'], 'statusHash'),
      attestedAt: toInstant(requireInstant(record['attestedAt'], 'attestedAt')),
      attestedBy: requireText(record['attestedBy'], 'attestedBy'),
    };
  } catch (error) {
    if (error instanceof EscrowError && error.code !== 'CORRUPT_STATE')
      throw new CorruptStateError(`party verification attestation: ${error.message}`);
    throw error;
  }
}
