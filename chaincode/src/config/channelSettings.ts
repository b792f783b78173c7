// Channel-wide bounds that protect the weaker party of a trade: the highest fee a marketplace may
// fix at creation, the shortest inspection window a buyer can be given, and the longest a proposal
// may wait for the counterparty's acceptance. They are ledger state
// (one record, written by Oversight's admin through setChannelSettings), read by every creation;
// a channel that never set them gets the safe defaults below.
import { CorruptStateError, EscrowError } from '../errors/escrowErrors';
import { BASIS_POINTS_PER_UNIT } from '../escrow/money';
import { fromStateBytes } from '../ledger/stateSerializer';
import {
  type JsonObject,
  optional,
  parseJsonObject,
  requireInteger,
  requireObject,
} from '../validation/fields';

export const MAX_INSPECTION_PERIOD_SECONDS = 90 * 24 * 3600;

export interface ChannelSettings {
  /** Highest `feeBps` a create request may carry. */
  readonly maxFeeBps: number;
  /** Shortest `inspectionPeriodSeconds` a create request may carry. */
  readonly minInspectionPeriodSeconds: number;
  /** Longest time from creation to a create request's `acceptBy`. */
  readonly maxAcceptancePeriodSeconds: number;
  /** Length of the periods whose obligations between two marketplaces one statement nets. */
  readonly settlementPeriodSeconds: number;
}

/**
 * What applies until governance writes a record: a 20 % fee at most, a day to inspect at least, a
 * proposal open for two weeks at most.
 */
export const DEFAULT_CHANNEL_SETTINGS: ChannelSettings = {
  maxFeeBps: 2_000,
  minInspectionPeriodSeconds: 24 * 3600,
  maxAcceptancePeriodSeconds: 14 * 24 * 3600,
  settlementPeriodSeconds: 24 * 3600,
};

/** Bounds of the settings themselves. */
export const CHANNEL_SETTING_LIMITS = {
  maxFeeBps: { min: 0, max: BASIS_POINTS_PER_UNIT },
  minInspectionPeriodSeconds: { min: 1, max: MAX_INSPECTION_PERIOD_SECONDS },
  maxAcceptancePeriodSeconds: { min: 60, max: 90 * 24 * 3600 },
  settlementPeriodSeconds: { min: 1, max: 31 * 24 * 3600 },
} as const;

export const CHANNEL_SETTINGS_BYTES = 1_024;

/** Records written before the acceptance window or the settlement period existed leave them out: defaults. */
function readSettings(record: JsonObject): ChannelSettings {
  const { maxFeeBps, minInspectionPeriodSeconds, maxAcceptancePeriodSeconds, settlementPeriodSeconds } =
    CHANNEL_SETTING_LIMITS;
  return {
    maxFeeBps: requireInteger(record.maxFeeBps, 'maxFeeBps', maxFeeBps.min, maxFeeBps.max),
    minInspectionPeriodSeconds: requireInteger(
      record.minInspectionPeriodSeconds,
      'minInspectionPeriodSeconds',
      minInspectionPeriodSeconds.min,
      minInspectionPeriodSeconds.max,
    ),
    maxAcceptancePeriodSeconds:
      optional(record.maxAcceptancePeriodSeconds, (value) =>
        requireInteger(
          value,
          'maxAcceptancePeriodSeconds',
          maxAcceptancePeriodSeconds.min,
          maxAcceptancePeriodSeconds.max,
        ),
      ) ?? DEFAULT_CHANNEL_SETTINGS.maxAcceptancePeriodSeconds,
    settlementPeriodSeconds:
      optional(record.settlementPeriodSeconds, (value) =>
        requireInteger(
          value,
          'settlementPeriodSeconds',
          settlementPeriodSeconds.min,
          settlementPeriodSeconds.max,
        ),
      ) ?? DEFAULT_CHANNEL_SETTINGS.settlementPeriodSeconds,
  };
}

/**
 * Reads the argument of setChannelSettings:
 * `{ "maxFeeBps": 2000, "minInspectionPeriodSeconds": 86400, "maxAcceptancePeriodSeconds": 1209600,
 * "settlementPeriodSeconds": 86400 }` (the last two optional).
 */
export function parseChannelSettings(text: string): ChannelSettings {
  return readSettings(parseJsonObject(text, 'settings', CHANNEL_SETTINGS_BYTES));
}

/** The stored record: the settings plus who changed them when. */
export interface ChannelSettingsRecord extends ChannelSettings {
  readonly docType: 'channelSettings';
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

export function channelSettingsRecord(
  settings: ChannelSettings,
  updatedAt: string | null,
  updatedBy: string | null,
): ChannelSettingsRecord {
  return {
    docType: 'channelSettings',
    maxFeeBps: settings.maxFeeBps,
    minInspectionPeriodSeconds: settings.minInspectionPeriodSeconds,
    maxAcceptancePeriodSeconds: settings.maxAcceptancePeriodSeconds,
    settlementPeriodSeconds: settings.settlementPeriodSeconds,
    updatedAt,
    updatedBy,
  };
}

/** Reads the stored record (or readChannelSettings' result); anything malformed is CORRUPT_STATE. */
export function channelSettingsFromBytes(bytes: Uint8Array): ChannelSettingsRecord {
  try {
    const record = requireObject(fromStateBytes(bytes), 'channelSettings');
    if (record.docType !== 'channelSettings') throw new CorruptStateError('docType is not channelSettings');
    const updatedAt = record.updatedAt;
    const updatedBy = record.updatedBy;
    if (!(updatedAt === null || typeof updatedAt === 'string')) throw new CorruptStateError('bad updatedAt');
    if (!(updatedBy === null || typeof updatedBy === 'string')) throw new CorruptStateError('bad updatedBy');
    return channelSettingsRecord(readSettings(record), updatedAt, updatedBy);
  } catch (error) {
    if (error instanceof CorruptStateError) throw error;
    const detail = error instanceof EscrowError ? error.message : 'not JSON';
    throw new CorruptStateError(`stored channel settings are malformed: ${detail}`);
  }
}
