// The contract's name on the channel and the defaults of createSimpleEscrow.

export const CONTRACT_NAME = 'escrow';

/** Defaults of createSimpleEscrow, relative to the transaction time. */
export const SIMPLE_ESCROW_DEFAULTS = {
  feeBps: 250,
  fundWithinSeconds: 24 * 3600,
  shipWithinSeconds: 7 * 24 * 3600,
  inspectionPeriodSeconds: 3 * 24 * 3600,
} as const;

/**
 * How long a proposal waits for the counterparty when the create request names no `acceptBy`
 * (never past its fund-by, nor past the channel's maxAcceptancePeriodSeconds).
 */
export const DEFAULT_ACCEPTANCE_PERIOD_SECONDS = 2 * 24 * 3600;

/**
 * Every transaction the contract serves, by name: what clients put in a proposal. The contract class
 * implements exactly these (a unit test holds the two together).
 */
export const TRANSACTIONS = {
  ping: 'ping',
  putMarker: 'putMarker',
  createEscrow: 'createEscrow',
  createSimpleEscrow: 'createSimpleEscrow',
  acceptEscrow: 'acceptEscrow',
  declineEscrow: 'declineEscrow',
  expireProposal: 'expireProposal',
  fundEscrow: 'fundEscrow',
  shipEscrow: 'shipEscrow',
  confirmDelivery: 'confirmDelivery',
  releaseEscrow: 'releaseEscrow',
  disputeEscrow: 'disputeEscrow',
  resolveDispute: 'resolveDispute',
  cancelEscrow: 'cancelEscrow',
  claimRefund: 'claimRefund',
  recordSettlement: 'recordSettlement',
  putPrivateDetails: 'putPrivateDetails',
  erasePrivateDetails: 'erasePrivateDetails',
  readPrivateDetails: 'readPrivateDetails',
  postReview: 'postReview',
  readEscrow: 'readEscrow',
  getHistory: 'getHistory',
  listEscrowsByParty: 'listEscrowsByParty',
  listEscrowsByMarketplace: 'listEscrowsByMarketplace',
  listEscrowsByState: 'listEscrowsByState',
  getReputation: 'getReputation',
  setChannelSettings: 'setChannelSettings',
  readChannelSettings: 'readChannelSettings',
} as const;
export type TransactionName = keyof typeof TRANSACTIONS;
