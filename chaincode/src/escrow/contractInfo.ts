// The contract's name on the channel, the transient key of transaction parameters, and the
// transactions it serves.

export const CONTRACT_NAME = 'escrow';

/**
 * The transient key under which a submit's parameters travel (a JSON object): a proposal's arguments
 * are written into the block every channel member receives, so they name the escrow only.
 */
export const ARGUMENTS_TRANSIENT_KEY = 'arguments';

/**
 * How long a proposal waits for the counterparty when the create request names no `acceptBy`
 * (never past its fund-by, nor past the channel's maxAcceptancePeriodSeconds).
 */
export const DEFAULT_ACCEPTANCE_PERIOD_SECONDS = 2 * 24 * 3600;

/** How long a settlement offer stays open when it names no `expiresAt`, and the longest it may. */
export const DEFAULT_OFFER_PERIOD_SECONDS = 3 * 24 * 3600;
export const MAX_OFFER_PERIOD_SECONDS = 14 * 24 * 3600;

/** How far ahead a deadline may be set: fund-by from now, ship-by from fund-by. */
export const MAX_DEADLINE_HORIZON_MS = 366 * 24 * 3600 * 1000;

/** The most settlement offers one escrow holds (each stays in its record for the arbiter). */
export const MAX_SETTLEMENT_OFFERS = 20;

/**
 * Every transaction the contract serves, by name: what clients put in a proposal. The contract class
 * implements exactly these (a unit test holds the two together).
 */
export const TRANSACTIONS = {
  ping: 'ping',
  putMarker: 'putMarker',
  createEscrow: 'createEscrow',
  acceptEscrow: 'acceptEscrow',
  declineEscrow: 'declineEscrow',
  proposeTerms: 'proposeTerms',
  expireProposal: 'expireProposal',
  fundEscrow: 'fundEscrow',
  shipEscrow: 'shipEscrow',
  confirmDelivery: 'confirmDelivery',
  releaseEscrow: 'releaseEscrow',
  disputeEscrow: 'disputeEscrow',
  resolveDispute: 'resolveDispute',
  cancelEscrow: 'cancelEscrow',
  claimRefund: 'claimRefund',
  extendShipBy: 'extendShipBy',
  expireDelivery: 'expireDelivery',
  offerSettlement: 'offerSettlement',
  acceptSettlementOffer: 'acceptSettlementOffer',
  declineSettlementOffer: 'declineSettlementOffer',
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
  registerFoundingMarketplaces: 'registerFoundingMarketplaces',
  addMarketplace: 'addMarketplace',
  suspendMarketplace: 'suspendMarketplace',
  reinstateMarketplace: 'reinstateMarketplace',
  readMarketplaces: 'readMarketplaces',
  endSuspendedEscrow: 'endSuspendedEscrow',
  proposeStatement: 'proposeStatement',
  settleStatement: 'settleStatement',
  readStatement: 'readStatement',
  readObligation: 'readObligation',
  shipItem: 'shipItem',
  confirmItemDelivery: 'confirmItemDelivery',
  releaseItem: 'releaseItem',
  disputeItem: 'disputeItem',
  resolveItem: 'resolveItem',
  rejectItem: 'rejectItem',
  provideReturnAddress: 'provideReturnAddress',
  putReturnAddress: 'putReturnAddress',
  readReturnAddress: 'readReturnAddress',
  shipReturn: 'shipReturn',
  confirmReturn: 'confirmReturn',
  expireReturn: 'expireReturn',
  expireItemDelivery: 'expireItemDelivery',
  disputeReturn: 'disputeReturn',
  offerItemSettlement: 'offerItemSettlement',
  acceptItemOffer: 'acceptItemOffer',
  declineItemOffer: 'declineItemOffer',
  attestVerification: 'attestVerification',
  readVerificationAttestation: 'readVerificationAttestation',
  raiseRiskFlag: 'raiseRiskFlag',
  clearRiskFlag: 'clearRiskFlag',
} as const;
export type TransactionName = keyof typeof TRANSACTIONS;

/**
 * The named parameters each submit reads from its transient `arguments`, besides the escrow id
 * (createEscrow reads its whole request from there).
 */
export const TRANSACTION_PARAMETERS = {
  fundEscrow: ['amount', 'currency', 'providerRef'],
  shipEscrow: ['carrier', 'trackingRef'],
  disputeEscrow: ['reason', 'evidenceHashes'],
  resolveDispute: ['buyerRefund'],
  extendShipBy: ['shipBy'],
  offerSettlement: ['buyerRefund', 'expiresAt'],
  endSuspendedEscrow: ['buyerRefund'],
  recordSettlement: ['payee', 'providerRef', 'item'],
  settleStatement: ['transferRef'],
  shipItem: ['item', 'carrier', 'trackingRef'],
  confirmItemDelivery: ['item'],
  releaseItem: ['item'],
  disputeItem: ['item', 'reason', 'evidenceHashes'],
  resolveItem: ['item', 'buyerRefund'],
  rejectItem: ['item', 'reason'],
  provideReturnAddress: ['item', 'addressHash'],
  shipReturn: ['item', 'carrier', 'trackingRef'],
  confirmReturn: ['item'],
  expireReturn: ['item'],
  expireItemDelivery: ['item'],
  disputeReturn: ['item', 'reason', 'evidenceHashes'],
  offerItemSettlement: ['item', 'buyerRefund', 'expiresAt'],
  acceptItemOffer: ['item'],
  declineItemOffer: ['item'],
} as const satisfies Partial<Record<TransactionName, readonly string[]>>;

/** The item-level transactions (itemLifecycle.ts): each acts on one item of an escrow moving per item. */
export const ITEM_TRANSACTIONS = [
  'shipItem',
  'confirmItemDelivery',
  'releaseItem',
  'disputeItem',
  'resolveItem',
  'rejectItem',
  'provideReturnAddress',
  'shipReturn',
  'confirmReturn',
  'expireReturn',
  'expireItemDelivery',
  'disputeReturn',
  'offerItemSettlement',
  'acceptItemOffer',
  'declineItemOffer',
] as const satisfies readonly TransactionName[];

/**
 * The submits that answer with their full record sealed under the caller's response key: the escrow,
 * or for postReview the full review.
 */
export const SEALED_ANSWER_TRANSACTIONS: readonly TransactionName[] = [
  'createEscrow',
  'acceptEscrow',
  'declineEscrow',
  'proposeTerms',
  'expireProposal',
  'fundEscrow',
  'shipEscrow',
  'confirmDelivery',
  'releaseEscrow',
  'disputeEscrow',
  'resolveDispute',
  'cancelEscrow',
  'claimRefund',
  'extendShipBy',
  'expireDelivery',
  'offerSettlement',
  'acceptSettlementOffer',
  'declineSettlementOffer',
  'recordSettlement',
  'erasePrivateDetails',
  'postReview',
  'endSuspendedEscrow',
  'proposeStatement',
  'settleStatement',
  'raiseRiskFlag',
  'clearRiskFlag',
  ...ITEM_TRANSACTIONS,
];
