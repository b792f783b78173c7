// The contract's name on the channel and the defaults of createSimpleEscrow.

export const CONTRACT_NAME = 'escrow';

/** Defaults of createSimpleEscrow, relative to the transaction time. */
export const SIMPLE_ESCROW_DEFAULTS = {
  feeBps: 250,
  fundWithinSeconds: 24 * 3600,
  shipWithinSeconds: 7 * 24 * 3600,
  inspectionPeriodSeconds: 3 * 24 * 3600,
} as const;
