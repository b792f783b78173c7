// Channel-wide bounds that protect the weaker party of a trade: the highest fee a marketplace may
// fix at creation, the shortest inspection window a buyer can be given, and the longest a proposal
// may wait for the counterparty's acceptance, and what a missed delivery deadline leads to. They
// are ledger state
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
  requireOneOf,
} from '../validation/fields';

export const MAX_INSPECTION_PERIOD_SECONDS = 90 * 24 * 3600;
export const MAX_DELIVERY_PERIOD_SECONDS = 180 * 24 * 3600;

/**
 * What the keeper does with a shipped escrow whose delivery deadline passed unconfirmed: `dispute`
 * hands it to the arbiter (the default: a missing confirmation proves neither loss nor delivery,
 * and the buyer who knows the parcel never came can claim the refund at once), `refund` returns
 * everything to the buyer (a channel whose carriers always confirm delivery).
 */
export const MISSED_DELIVERY_OUTCOMES = ['dispute', 'refund'] as const;
export type MissedDeliveryOutcome = (typeof MISSED_DELIVERY_OUTCOMES)[number];

export interface ChannelSettings {
  /** Highest `feeBps` a create request may carry. */
  readonly maxFeeBps: number;
  /** Shortest `inspectionPeriodSeconds` a create request may carry. */
  readonly minInspectionPeriodSeconds: number;
  /** Longest time from creation to a create request's `acceptBy`. */
  readonly maxAcceptancePeriodSeconds: number;
  /** Length of the periods whose obligations between two marketplaces one statement nets. */
  readonly settlementPeriodSeconds: number;
  /** Time from shipment to the delivery deadline when the terms name none. */
  readonly defaultDeliveryPeriodSeconds: number;
  /** What the keeper applies once a delivery deadline passed unconfirmed. */
  readonly missedDeliveryOutcome: MissedDeliveryOutcome;
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
  defaultDeliveryPeriodSeconds: 30 * 24 * 3600,
  missedDeliveryOutcome: 'dispute',
};

/** Bounds of the settings themselves. */
export const CHANNEL_SETTING_LIMITS = {
  maxFeeBps: { min: 0, max: BASIS_POINTS_PER_UNIT },
  minInspectionPeriodSeconds: { min: 1, max: MAX_INSPECTION_PERIOD_SECONDS },
  maxAcceptancePeriodSeconds: { min: 60, max: 90 * 24 * 3600 },
  settlementPeriodSeconds: { min: 1, max: 31 * 24 * 3600 },
  defaultDeliveryPeriodSeconds: { min: 1, max: MAX_DELIVERY_PERIOD_SECONDS },
} as const;

export const CHANNEL_SETTINGS_BYTES = 1_024;

/** Records written before the acceptance window, settlement period or delivery rules existed leave them out: defaults. */
function readSettings(record: JsonObject): ChannelSettings {
  const {
    maxFeeBps,
    minInspectionPeriodSeconds,
    maxAcceptancePeriodSeconds,
    settlementPeriodSeconds,
    defaultDeliveryPeriodSeconds,
  } = CHANNEL_SETTING_LIMITS;
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
    defaultDeliveryPeriodSeconds:
      optional(record.defaultDeliveryPeriodSeconds, (value) =>
        requireInteger(
          value,
          'defaultDeliveryPeriodSeconds',
          defaultDeliveryPeriodSeconds.min,
          defaultDeliveryPeriodSeconds.max,
        ),
      ) ?? DEFAULT_CHANNEL_SETTINGS.defaultDeliveryPeriodSeconds,
    missedDeliveryOutcome:
      optional(record.missedDeliveryOutcome, (value) =>
        requireOneOf(value, 'missedDeliveryOutcome', MISSED_DELIVERY_OUTCOMES),
      ) ?? DEFAULT_CHANNEL_SETTINGS.missedDeliveryOutcome,
  };
}

/**
 * Reads the argument of setChannelSettings:
 * `{ "maxFeeBps": 2000, "minInspectionPeriodSeconds": 86400, "maxAcceptancePeriodSeconds": 1209600,
 * "settlementPeriodSeconds": 86400, "defaultDeliveryPeriodSeconds": 2592000,
 * "missedDeliveryOutcome": "dispute" }` (all but the first two optional).
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
    defaultDeliveryPeriodSeconds: settings.defaultDeliveryPeriodSeconds,
    missedDeliveryOutcome: settings.missedDeliveryOutcome,
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
