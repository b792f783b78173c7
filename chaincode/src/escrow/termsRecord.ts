// How an escrow's terms are kept in its private terms collection: the full record with the random
// salt its creator chose, so that the hash every peer sees (Fabric's hash of the private value, and
// termsHash on the public record) cannot be matched against guessed terms. Each transaction also
// writes a version (the record it left and its full event) under its own key: Fabric keeps no
// history of private keys, and the mirror of each org reads a transition's full event from it.
import { createHash, randomBytes } from 'node:crypto';
import { CorruptStateError, EscrowError, InvalidInputError } from '../errors/escrowErrors';
import { fromStateBytes, toStateBytes } from '../ledger/stateSerializer';
import { requireId, requireObject, requireOneOf, requireText } from '../validation/fields';
import type { Escrow } from './escrow';
import { escrowFromBytes, parseEscrow } from './escrowCodec';
import { EVENT_NAMES, type EscrowEvent } from './events';
import { parseEventPayload } from './eventCodec';

export const TERMS_SALT_TRANSIENT_KEY = 'termsSalt';
const SALT_PATTERN = /^[0-9a-f]{32,128}$/;

export interface Terms {
  readonly escrow: Escrow;
  readonly salt: string;
}

/** The create's salt, from its transient data: 32 to 128 lowercase hex digits, chosen by the client. */
export function parseTermsSalt(bytes: Uint8Array | undefined): string {
  const salt = bytes === undefined ? '' : Buffer.from(bytes).toString('utf8');
  if (!SALT_PATTERN.test(salt)) {
    throw new InvalidInputError(
      `transient ${TERMS_SALT_TRANSIENT_KEY} is required: 32 to 128 lowercase hex digits`,
    );
  }
  return salt;
}

export function termsBytes(terms: Terms): Uint8Array {
  return toStateBytes({ ...terms.escrow, termsSalt: terms.salt });
}

export function termsHash(terms: Terms): string {
  return createHash('sha256').update(termsBytes(terms)).digest('hex');
}

/** Reads stored terms back: the record (escrowFromBytes reads the same bytes) and its salt. */
export function termsFromBytes(bytes: Uint8Array): Terms {
  const escrow = escrowFromBytes(bytes);
  const salt = requireObject(fromStateBytes(bytes), 'terms').termsSalt;
  if (typeof salt !== 'string' || !SALT_PATTERN.test(salt))
    throw new CorruptStateError(`stored terms of ${escrow.escrowId} have no valid salt`);
  return { escrow, salt };
}

export interface EscrowVersion {
  readonly docType: 'escrowVersion';
  readonly escrowId: string;
  readonly txId: string;
  /** The record as the transaction left it. */
  readonly escrow: Escrow;
  /** The transaction's event with its full payload (the public event carries only who and what). */
  readonly event: EscrowEvent;
}

export function versionBytes(version: EscrowVersion): Uint8Array {
  return toStateBytes(version);
}

export function escrowVersionFromBytes(bytes: Uint8Array): EscrowVersion {
  try {
    const record = requireObject(fromStateBytes(bytes), 'escrowVersion');
    if (record.docType !== 'escrowVersion') throw new CorruptStateError('docType is not escrowVersion');
    const event = requireObject(record.event, 'event');
    const name = requireOneOf(event.name, 'event.name', EVENT_NAMES);
    return {
      docType: 'escrowVersion',
      escrowId: requireId(record.escrowId, 'escrowId'),
      txId: requireText(record.txId, 'txId', 128),
      escrow: parseEscrow(record.escrow),
      event: { name, payload: parseEventPayload(event.payload, name) },
    };
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    const detail = error instanceof EscrowError ? error.message : 'not JSON';
    throw new CorruptStateError(`stored escrow version is malformed: ${detail}`);
  }
}

/** A fresh salt for a create (the client's side): 128 random bits. */
export function newTermsSalt(): string {
  return randomBytes(16).toString('hex');
}
