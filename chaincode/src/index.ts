// The chaincode's face: every other package takes the contract from here (states, events and their
// payloads, error codes and the refusal parser, the records and their validating readers, who
// endorses what, and who is who). The chaincode server's entry is server.ts, not this module, so that
// nothing here loads fabric-contract-api.
export {
  CONTRACT_NAME,
  DEFAULT_ACCEPTANCE_PERIOD_SECONDS,
  DEFAULT_OFFER_PERIOD_SECONDS,
  MAX_OFFER_PERIOD_SECONDS,
  MAX_SETTLEMENT_OFFERS,
  ARGUMENTS_TRANSIENT_KEY,
  ITEM_TRANSACTIONS,
  SEALED_ANSWER_TRANSACTIONS,
  TRANSACTION_PARAMETERS,
  TRANSACTIONS,
  type TransactionName,
} from './escrow/contractInfo';

// States and records.
export {
  ESCROW_STATES,
  isTerminal,
  OFFER_SIDES,
  OFFER_STATUSES,
  PAYEES,
  TERMINAL_STATES,
  type Acceptance,
  type Closure,
  type Delivery,
  type Dispute,
  type Escrow,
  type EscrowState,
  type Funding,
  type Item,
  type OfferSide,
  type OfferStatus,
  type Party,
  type Payee,
  type PrivateDetailsRef,
  type Settlement,
  type SettlementOffer,
  type Shipment,
} from './escrow/escrow';
export { escrowFromBytes, parseEscrow } from './escrow/escrowCodec';
// Items and milestones: each item's own lifecycle once the escrow moves per item.
export {
  ITEM_STATES,
  isTerminalItem,
  TERMINAL_ITEM_STATES,
  type ItemLifecycle,
  type ItemState,
  type Rejection,
  type ReturnAddress,
  type ReturnShipment,
} from './escrow/itemLifecycle';
// Risk flags: Oversight's risk service holds an escrow; held escrows are not released nor paid out.
export {
  activeRiskFlags,
  isHeld,
  MAX_RISK_FLAGS,
  RISK_ACTIONS,
  RISK_REASON_CODE_MAX_LENGTH,
  RISK_REASON_CODE_PATTERN,
  RISK_RULE_PATTERN,
  RISK_SEVERITIES,
  type RiskAction,
  type RiskFlag,
  type RiskFlagRequest,
  type RiskSeverity,
} from './escrow/riskFlags';
// What public state holds of an escrow, and what its terms collection keeps (records, versions).
export { publicEscrowFromBytes, type PublicActor, type PublicEscrow } from './escrow/publicEscrow';
export {
  escrowVersionFromBytes,
  newTermsSalt,
  TERMS_SALT_TRANSIENT_KEY,
  type EscrowVersion,
} from './escrow/termsRecord';
export { FEE_PAYERS, type CreateRequest, type FeePayer } from './escrow/createRequest';
export { amountDue, CURRENCIES, MAX_AMOUNT, type Currency } from './escrow/money';

// What every text field accepts (for the gateway's OpenAPI), and the channel's bounds on trades.
export { LIMITS, TEXT_RULES } from './validation/fields';
export {
  CHANNEL_SETTING_LIMITS,
  channelSettingsFromBytes,
  DEFAULT_CHANNEL_SETTINGS,
  MAX_DELIVERY_PERIOD_SECONDS,
  MAX_INSPECTION_PERIOD_SECONDS,
  MISSED_DELIVERY_OUTCOMES,
  type MissedDeliveryOutcome,
  type ChannelSettings,
  type ChannelSettingsRecord,
} from './config/channelSettings';
export type { CommandType } from './escrow/stateMachine';
export {
  publicReviewFromBytes,
  reviewFromBytes,
  type PublicReview,
  type Reputation,
  type Review,
} from './reviews/review';
export type { HistoryEntry } from './ledger/escrowStore';
export {
  escrowPageFromBytes,
  eventPayloadFromBytes,
  historyFromBytes,
  publicEventPayloadFromBytes,
  reputationFromBytes,
  type EscrowPage,
} from './records/resultCodecs';
export { KEY_TYPES } from './ledger/keys';

// Events: one per transition.
export {
  EVENT_NAMES,
  type EscrowEvent,
  type EventDetails,
  type EventName,
  type EventPayload,
  type PublicEventPayload,
} from './escrow/events';

// Refusals: every error code, the `CODE: detail` format and its one parser.
export { ERROR_CODES, EscrowError, type ErrorCode } from './errors/escrowErrors';
export { parseRefusal, refusalIn, type Refusal } from './errors/refusal';

// Personal data: the hash a create declares, the transient keys, and the sealed answer of a private read.
export {
  isTermsCollection,
  PRIVATE_DETAILS_TRANSIENT_KEY,
  TERMS_COLLECTION_PREFIX,
  termsCollectionFor,
  termsCollectionMembers,
} from './privateData/collections';
export { privateDetailsHashOf } from './privateData/privateDetails';
export { RETURN_ADDRESS_TRANSIENT_KEY, returnAddressHashOf } from './privateData/returnAddress';
export { newResponseKey, openSealedResult, RESPONSE_KEY_TRANSIENT_KEY } from './privateData/sealedResult';

// Who endorses a write, and who is who on the channel.
export {
  escrowEndorsingOrganizations,
  privateDetailsEndorsingOrganizations,
  resolutionEndorsingOrganizations,
  type PartyMarketplaces,
} from './ledger/endorsementPolicy';
export {
  IDENTITY_ATTRIBUTES,
  isMarketplace,
  isOrganizationName,
  isRole,
  mspIdOf,
  NEUTRAL_CARRIER_ORGANIZATIONS,
  organizationOfMspId,
  OVERSIGHT,
  ROLES,
  roleAllowedIn,
  trustedCarrierOrganizations,
  type Marketplace,
  type Organization,
  type Role,
} from './config/identityConfig';
export type { Actor } from './identity/actor';
// The marketplace registry (ledger state; governance transactions in TRANSACTIONS) and the private
// data collections its marketplaces need, for the operators who approve the next definition.
export {
  MARKETPLACE_STATUSES,
  marketplaceRegistryFromBytes,
  type MarketplaceEntry,
  type MarketplaceRegistry,
  type MarketplaceSpec,
  type MarketplaceStatus,
} from './config/marketplaceRegistry';
export {
  collectionsConfig,
  type CollectionConfig,
  type CollectionMarketplace,
} from './privateData/collections';

// Marketplaces settle with each other: obligations, the pure netting into statements, and the
// statement records with their readers and who endorses them.
export {
  netObligations,
  netPositions,
  statementIdOf,
  type NetDirection,
  type Obligation,
  type Statement,
} from './statements/netting';
export { NettingError, type NettingErrorCode } from './statements/nettingErrors';
export {
  OBLIGATION_STATUSES,
  obligationFromBytes,
  type ObligationRecord,
  type ObligationStatus,
} from './statements/obligation';
export {
  publicStatementFromBytes,
  STATEMENT_STATUSES,
  statementFromBytes,
  statementIdFor,
  statementPair,
  type PublicStatement,
  type StatementActor,
  type StatementRecord,
  type StatementSettlement,
  type StatementStatus,
} from './statements/statement';
export { settlementPeriodAt, type SettlementPeriod } from './statements/settlementPeriod';
export { statementEndorsingOrganizations } from './ledger/endorsementPolicy';
