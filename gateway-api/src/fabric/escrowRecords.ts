// What the escrow chaincode returns, parsed through validating readers rather than cast.
import { UpstreamError } from '../errors/apiError';

export interface Party {
  readonly marketplace: string;
  readonly userId: string;
}

/** The escrow record as stored on the ledger (chaincode/src/escrow/escrow.ts); passed through as-is. */
export interface EscrowRecord {
  readonly escrowId: string;
  readonly state: string;
  readonly buyer: Party;
  readonly seller: Party;
  readonly [field: string]: unknown;
}

export interface HistoryEntry {
  readonly txId: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly escrow: EscrowRecord | null;
}

export interface Reputation {
  readonly marketplace: string;
  readonly userId: string;
  readonly reviewCount: number;
  readonly ratingSum: number;
  readonly averageRating: number | null;
  readonly ratingCounts: readonly number[];
}

const decoder = new TextDecoder();

function malformed(what: string): UpstreamError {
  return new UpstreamError('LEDGER_RESULT_MALFORMED', `the chaincode returned a malformed ${what}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(decoder.decode(bytes)) as unknown;
  } catch {
    throw malformed(what);
  }
}

function isParty(value: unknown): value is Party {
  return isObject(value) && typeof value['marketplace'] === 'string' && typeof value['userId'] === 'string';
}

export function toEscrowRecord(value: unknown): EscrowRecord {
  if (
    !isObject(value) ||
    typeof value['escrowId'] !== 'string' ||
    typeof value['state'] !== 'string' ||
    !isParty(value['buyer']) ||
    !isParty(value['seller'])
  )
    throw malformed('escrow record');
  return value as EscrowRecord;
}

export function escrowFromBytes(bytes: Uint8Array): EscrowRecord {
  return toEscrowRecord(parseJson(bytes, 'escrow record'));
}

export function historyFromBytes(bytes: Uint8Array): HistoryEntry[] {
  const value = parseJson(bytes, 'history');
  if (!Array.isArray(value)) throw malformed('history');
  return value.map((entry: unknown) => {
    if (!isObject(entry) || typeof entry['txId'] !== 'string') throw malformed('history entry');
    return {
      txId: entry['txId'],
      timestamp: String(entry['timestamp']),
      isDelete: entry['isDelete'] === true,
      escrow:
        entry['escrow'] === null || entry['escrow'] === undefined ? null : toEscrowRecord(entry['escrow']),
    };
  });
}

export function reputationFromBytes(bytes: Uint8Array): Reputation {
  const value = parseJson(bytes, 'reputation');
  if (!isObject(value) || typeof value['reviewCount'] !== 'number') throw malformed('reputation');
  return value as unknown as Reputation;
}

export function objectFromBytes(bytes: Uint8Array, what: string): Record<string, unknown> {
  const value = parseJson(bytes, what);
  if (!isObject(value)) throw malformed(what);
  return value;
}
