// What the chaincode's events and query transactions return, read back by clients through the same
// validating readers the chaincode trusts for its own state: a malformed result is CORRUPT_STATE.
import { CorruptStateError, EscrowError } from '../errors/escrowErrors';
import type { Escrow } from '../escrow/escrow';
import { escrowFromBytes, parseEscrow } from '../escrow/escrowCodec';
import { parseEventPayload, parsePublicEventPayload } from '../escrow/eventCodec';
import type { EventPayload, PublicEventPayload } from '../escrow/events';
import type { HistoryEntry } from '../ledger/escrowStore';
import type { Reputation } from '../reviews/review';
import {
  type JsonObject,
  requireArray,
  requireId,
  requireInstant,
  requireInteger,
  requireObject,
  requireText,
  toInstant,
} from '../validation/fields';

const decoder = new TextDecoder();
const MAX_RESULT_ENTRIES = 100_000;

function jsonOf(bytes: Uint8Array | string, what: string): unknown {
  try {
    return JSON.parse(typeof bytes === 'string' ? bytes : decoder.decode(bytes));
  } catch {
    throw new CorruptStateError(`${what} is not JSON`);
  }
}

/** Runs a reader, turning its field errors into CORRUPT_STATE naming what was read. */
function reading<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CorruptStateError || !(error instanceof EscrowError)) throw error;
    throw new CorruptStateError(`${what} is malformed: ${error.message}`);
  }
}

const instant = (record: JsonObject, field: string) => toInstant(requireInstant(record[field], field));

/** The full payload of an event, as a version in the terms collection keeps it (events.ts). */
export function eventPayloadFromBytes(bytes: Uint8Array | string, eventName: string): EventPayload {
  return reading(`${eventName} payload`, () =>
    parseEventPayload(jsonOf(bytes, `${eventName} payload`), eventName),
  );
}

/** The payload of a chaincode event as the block carries it (publicEventPayloadOf). */
export function publicEventPayloadFromBytes(
  bytes: Uint8Array | string,
  eventName: string,
): PublicEventPayload {
  return reading(`${eventName} event`, () => parsePublicEventPayload(jsonOf(bytes, `${eventName} event`)));
}

/** `getHistory`: every committed version of an escrow, oldest first. */
export function historyFromBytes(bytes: Uint8Array | string): HistoryEntry[] {
  return reading('escrow history', () =>
    requireArray(jsonOf(bytes, 'escrow history'), 'history', MAX_RESULT_ENTRIES).map((value) => {
      const entry = requireObject(value, 'history entry');
      const escrow = entry['escrow'];
      return {
        txId: requireText(entry['txId'], 'txId'),
        timestamp: instant(entry, 'timestamp'),
        isDelete: entry['isDelete'] === true,
        escrow: escrow === null || escrow === undefined ? null : parseEscrow(escrow),
      };
    }),
  );
}

/** `getReputation`: a party's reputation, derived from its reviews. */
export function reputationFromBytes(bytes: Uint8Array | string): Reputation {
  return reading('reputation', () => {
    const record = requireObject(jsonOf(bytes, 'reputation'), 'reputation');
    const average = record['averageRating'];
    if (average !== null && (typeof average !== 'number' || !Number.isFinite(average)))
      throw new CorruptStateError('reputation averageRating is not a number');
    return {
      marketplace: requireText(record['marketplace'], 'marketplace'),
      userId: requireId(record['userId'], 'userId'),
      reviewCount: requireInteger(record['reviewCount'], 'reviewCount', 0, Number.MAX_SAFE_INTEGER),
      ratingSum: requireInteger(record['ratingSum'], 'ratingSum', 0, Number.MAX_SAFE_INTEGER),
      averageRating: average,
      ratingCounts: requireArray(record['ratingCounts'], 'ratingCounts', 5).map((count) =>
        requireInteger(count, 'ratingCounts[]', 0, Number.MAX_SAFE_INTEGER),
      ),
    };
  });
}

/** One page of a `listEscrowsBy…` query. */
export interface EscrowPage {
  readonly records: readonly Escrow[];
  readonly fetchedRecordsCount: number;
  /** Empty when there is no further page. */
  readonly bookmark: string;
}

export function escrowPageFromBytes(bytes: Uint8Array | string): EscrowPage {
  return reading('escrow page', () => {
    const record = requireObject(jsonOf(bytes, 'escrow page'), 'page');
    const bookmark = record['bookmark'];
    return {
      records: requireArray(record['records'], 'records', MAX_RESULT_ENTRIES).map(parseEscrow),
      fetchedRecordsCount: requireInteger(
        record['fetchedRecordsCount'] ?? 0,
        'fetchedRecordsCount',
        0,
        Number.MAX_SAFE_INTEGER,
      ),
      bookmark: typeof bookmark === 'string' ? bookmark : '',
    };
  });
}

export { escrowFromBytes };
