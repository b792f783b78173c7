// What every channel member's peer holds of an escrow: enough to verify its progress (state,
// deadlines, the salted hash of its terms, where the terms live), nothing of its commerce. The
// parties, items, amounts and who acted live in the terms collection of the parties' orgs and
// Oversight (termsRecord.ts); the key's endorsement policy names the parties' orgs.
import { ROLES, type Organization, type Role } from '../config/identityConfig';
import { CorruptStateError, EscrowError } from '../errors/escrowErrors';
import { fromStateBytes } from '../ledger/stateSerializer';
import { isTermsCollection } from '../privateData/collections';
import {
  requireId,
  requireInstant,
  requireObject,
  requireOneOf,
  requireSha256Hex,
  toInstant,
  requireOrganization,
} from '../validation/fields';
import { type Escrow, ESCROW_STATES, type EscrowState, type PrivateDetailsRef } from './escrow';

export interface PublicEscrow {
  readonly docType: 'publicEscrow';
  readonly escrowId: string;
  readonly state: EscrowState;
  /** The private collection holding the full record: its name says which orgs hold it. */
  readonly termsCollection: string;
  /** SHA-256 of the stored terms, whose random salt makes the hash unguessable from likely terms. */
  readonly termsHash: string;
  readonly acceptBy: string | null;
  readonly fundBy: string;
  readonly shipBy: string;
  readonly inspectionEndsAt: string | null;
  /** The delivery deadline once shipped (the keeper acts on it); null before, or with no such term. */
  readonly deliverBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly privateDetails: PrivateDetailsRef | null;
}

/** Who acted, as the public event tells it: the org and the role, never the user. */
export interface PublicActor {
  readonly organization: Organization;
  readonly role: Role;
}

export function publicEscrowOf(escrow: Escrow, termsCollection: string, termsHash: string): PublicEscrow {
  return {
    docType: 'publicEscrow',
    escrowId: escrow.escrowId,
    state: escrow.state,
    termsCollection,
    termsHash,
    acceptBy: escrow.acceptBy,
    fundBy: escrow.fundBy,
    shipBy: escrow.shipBy,
    inspectionEndsAt: escrow.delivery?.inspectionEndsAt ?? null,
    deliverBy: escrow.deliverBy,
    createdAt: escrow.createdAt,
    updatedAt: escrow.updatedAt,
    privateDetails: escrow.privateDetails,
  };
}

const instant = (value: unknown, field: string): string => toInstant(requireInstant(value, field));
const nullableInstant = (value: unknown, field: string): string | null =>
  value === null ? null : instant(value, field);

export function parsePublicActor(value: unknown, field: string): PublicActor {
  const record = requireObject(value, field);
  return {
    organization: requireOrganization(record.organization, `${field}.organization`),
    role: requireOneOf(record.role, `${field}.role`, ROLES),
  };
}

function readPublicEscrow(value: unknown): PublicEscrow {
  const record = requireObject(value, 'publicEscrow');
  if (record.docType !== 'publicEscrow') throw new CorruptStateError('docType is not publicEscrow');
  const termsCollection = requireId(record.termsCollection, 'termsCollection');
  if (!isTermsCollection(termsCollection))
    throw new CorruptStateError(`${termsCollection} is not a terms collection`);
  const details = record.privateDetails;
  let privateDetails: PrivateDetailsRef | null = null;
  if (details !== null) {
    const ref = requireObject(details, 'privateDetails');
    privateDetails = {
      collection: requireId(ref.collection, 'privateDetails.collection'),
      hash: requireSha256Hex(ref.hash, 'privateDetails.hash'),
      erasedAt: nullableInstant(ref.erasedAt, 'privateDetails.erasedAt'),
    };
  }
  return {
    docType: 'publicEscrow',
    escrowId: requireId(record.escrowId, 'escrowId'),
    state: requireOneOf(record.state, 'state', ESCROW_STATES),
    termsCollection,
    termsHash: requireSha256Hex(record.termsHash, 'termsHash'),
    acceptBy: nullableInstant(record.acceptBy, 'acceptBy'),
    fundBy: instant(record.fundBy, 'fundBy'),
    shipBy: instant(record.shipBy, 'shipBy'),
    inspectionEndsAt: nullableInstant(record.inspectionEndsAt, 'inspectionEndsAt'),
    // Public records written before delivery deadlines leave it out.
    deliverBy: record.deliverBy === undefined ? null : nullableInstant(record.deliverBy, 'deliverBy'),
    createdAt: instant(record.createdAt, 'createdAt'),
    updatedAt: instant(record.updatedAt, 'updatedAt'),
    privateDetails,
  };
}

/** Reads the public record back; anything unexpected is CORRUPT_STATE. */
export function publicEscrowFromBytes(bytes: Uint8Array | string): PublicEscrow {
  try {
    const value = typeof bytes === 'string' ? (JSON.parse(bytes) as unknown) : fromStateBytes(bytes);
    return readPublicEscrow(value);
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    const detail = error instanceof EscrowError ? error.message : 'not JSON';
    throw new CorruptStateError(`public escrow record is malformed: ${detail}`);
  }
}
