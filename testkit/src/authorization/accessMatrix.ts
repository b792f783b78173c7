// The authorization matrix as data: who may do what, for every gateway operation (escrows, events,
// webhooks, reputation, transactions) and every chaincode transaction a client could send straight to
// the peers. Each cell is "ok" or the exact refusal. Two live walks hold the running system to it
// (gateway-api's accessMatrix e2e test through the gateways, chaincode's rogueClientMatrix live test
// straight to the peers), and README.md shows it as rendered by accessMatrixTables.

/** How the one asking stands to the escrow (or to the webhook, event or transaction) asked about. */
export type Relation =
  | 'own escrow'
  | "own marketplace's escrow"
  | "another marketplace's escrow"
  | 'no relation';

/** Which prepared escrow an actor's relation refers to. */
export type EscrowKind =
  /** Buyer alice@MarketA, seller bea@MarketB, proposed by MarketA's backend. */
  | 'crossMarketplace'
  /** Buyer alice@MarketA, seller amir@MarketA, proposed by MarketA's backend: MarketB has no part in it. */
  | 'oneMarketplace';

export interface Actor {
  /** The table's column heading. */
  readonly column: string;
  /** What the caller is: the role its token and its Fabric identity carry. */
  readonly role: string;
  readonly relation: Relation;
  /** The demo caller at the gateway (a realm user or a backend's client). */
  readonly caller: string;
  /** The enrolled Fabric identity the rogue walk signs with. */
  readonly identity: string;
  readonly escrow: EscrowKind;
}

/** The columns of the gateway's matrix. */
export const GATEWAY_ACTORS = {
  buyer: {
    column: 'buyer',
    role: 'buyer',
    relation: 'own escrow',
    caller: 'alice',
    identity: 'alice',
    escrow: 'crossMarketplace',
  },
  seller: {
    column: 'seller',
    role: 'seller',
    relation: 'own escrow',
    caller: 'bea',
    identity: 'bea',
    escrow: 'crossMarketplace',
  },
  buyerMarketplace: {
    column: 'buyer mkt',
    role: 'marketplace backend of the buyer',
    relation: "own marketplace's escrow",
    caller: 'marketa-backend',
    identity: 'marketa-backend',
    escrow: 'crossMarketplace',
  },
  sellerMarketplace: {
    column: 'seller mkt',
    role: 'marketplace backend of the seller',
    relation: "own marketplace's escrow",
    caller: 'marketb-backend',
    identity: 'marketb-backend',
    escrow: 'crossMarketplace',
  },
  marketplaceBuyer: {
    column: 'mkt buyer',
    role: "another buyer of the seller's marketplace",
    relation: "own marketplace's escrow",
    caller: 'bob',
    identity: 'bob',
    escrow: 'crossMarketplace',
  },
  marketplaceSeller: {
    column: 'mkt seller',
    role: "another seller of the buyer's marketplace",
    relation: "own marketplace's escrow",
    caller: 'amir',
    identity: 'amir',
    escrow: 'crossMarketplace',
  },
  otherMarketplace: {
    column: 'third mkt',
    role: 'marketplace backend of a third marketplace',
    relation: "another marketplace's escrow",
    caller: 'marketb-backend',
    identity: 'marketb-backend',
    escrow: 'oneMarketplace',
  },
  otherMarketplaceUser: {
    column: 'third user',
    role: 'buyer of a third marketplace',
    relation: "another marketplace's escrow",
    caller: 'bob',
    identity: 'bob',
    escrow: 'oneMarketplace',
  },
  arbiter: {
    column: 'arbiter',
    role: 'arbiter (Oversight)',
    relation: 'no relation',
    caller: 'olivia',
    identity: 'olivia',
    escrow: 'crossMarketplace',
  },
  auditor: {
    column: 'auditor',
    role: 'auditor (Oversight)',
    relation: 'no relation',
    caller: 'oscar',
    identity: 'oscar',
    escrow: 'crossMarketplace',
  },
} as const satisfies Record<string, Actor>;

export type GatewayActor = keyof typeof GATEWAY_ACTORS;

/**
 * The columns of the ledger's matrix: the gateway's, plus the payments identity of the buyer's
 * marketplace (at the gateway the backend's token carries the payments role itself).
 */
export const LEDGER_ACTORS = {
  ...GATEWAY_ACTORS,
  buyerPayments: {
    column: 'payments',
    role: "payments identity of the buyer's marketplace",
    relation: "own marketplace's escrow",
    caller: 'marketa-backend',
    identity: 'marketa-payments',
    escrow: 'crossMarketplace',
  },
} as const satisfies Record<string, Actor>;

export type LedgerActor = keyof typeof LEDGER_ACTORS;

/** What an operation needs prepared: an escrow in a state, or the other thing it acts on. */
export type Setup =
  | 'nothing'
  | 'proposed'
  | 'created'
  | 'funded'
  | 'fundedPastShipBy'
  | 'shipped'
  | 'delivered'
  | 'disputed'
  | 'buyerOffer'
  | 'released'
  | 'itemDisputed'
  | 'itemBuyerOffer'
  | 'itemRejected'
  | 'itemReturnAddressed'
  | 'itemReturnShipped'
  | 'event'
  | 'webhook'
  | 'transaction';

/** What each setup is, for the table. */
export const SETUPS: Readonly<Record<Setup, string>> = {
  nothing: '—',
  proposed: 'PROPOSED',
  created: 'CREATED (accepted, private details stored)',
  funded: 'FUNDED',
  fundedPastShipBy: 'FUNDED, ship-by passed',
  shipped: 'SHIPPED',
  delivered: 'DELIVERED, in the inspection window',
  disputed: 'DISPUTED',
  buyerOffer: "DISPUTED, the buyer's settlement offer open",
  released: 'RELEASED',
  itemDisputed: 'item 0 DISPUTED (the escrow DISPUTED)',
  itemBuyerOffer: "item 0 DISPUTED, the buyer's settlement offer on it open",
  itemRejected: 'item 0 REJECTED, within its return deadlines',
  itemReturnAddressed: "item 0 REJECTED, the seller's return address given",
  itemReturnShipped: 'item 0 RETURN_SHIPPED, within its return deadline',
  event: "one of the escrow's events",
  webhook: "a webhook of the buyer's marketplace",
  transaction: "the escrow's creation, submitted by the buyer's marketplace",
};

/** `ok`, or the refusal: HTTP status and problem `code`. */
export type GatewayCell = 'ok' | `${number} ${string}`;
/** `ok`, or the chaincode's refusal code, or ENDORSEMENT_POLICY_FAILURE at validation. */
export type LedgerCell = 'ok' | (string & {});

export interface GatewayOperation {
  /** The operationId in the gateway's OpenAPI document. */
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly setup: Setup;
  readonly cells: Readonly<Record<GatewayActor, GatewayCell>>;
}

export interface LedgerOperation {
  readonly transaction: string;
  readonly kind: 'submit' | 'evaluate';
  readonly setup: Setup;
  readonly cells: Readonly<Record<LedgerActor, LedgerCell>>;
  /**
   * The first allowed actor's own write, endorsed by its own org and Oversight only (a chaincode
   * majority, without the other party's marketplace; the arbiter by Oversight alone). A disputed
   * escrow's widened policy (Oversight and either party's org) admits a party's own move: `ok`.
   */
  readonly withoutCounterpartyOrg?: LedgerCell;
}

const ROLE = '403 ROLE_REQUIRED';
const HIDDEN = '403 ESCROW_ACCESS_DENIED';
const FORBIDDEN = '403 FORBIDDEN_ACTOR';
const TOO_EARLY = '422 DEADLINE_NOT_REACHED';

/** Every cell `cell` but those named. */
function gatewayRow(
  cell: GatewayCell,
  named: Partial<Record<GatewayActor, GatewayCell>>,
): Record<GatewayActor, GatewayCell> {
  const row = Object.fromEntries(Object.keys(GATEWAY_ACTORS).map((actor) => [actor, cell]));
  return { ...row, ...named } as Record<GatewayActor, GatewayCell>;
}

function ledgerRow(
  cell: LedgerCell,
  named: Partial<Record<LedgerActor, LedgerCell>>,
): Record<LedgerActor, LedgerCell> {
  const row = Object.fromEntries(Object.keys(LEDGER_ACTORS).map((actor) => [actor, cell]));
  return { ...row, ...named } as Record<LedgerActor, LedgerCell>;
}

// Seen by the parties, their marketplaces and Oversight's desks; a third marketplace's peer holds no terms.
const ESCROW_READ = gatewayRow('ok', {
  marketplaceBuyer: HIDDEN,
  marketplaceSeller: HIDDEN,
  otherMarketplace: FORBIDDEN,
  otherMarketplaceUser: FORBIDDEN,
});

/** A transition only the buyer makes (the roles checked first, then who sees the escrow). */
const BUYER_ONLY = gatewayRow(ROLE, {
  buyer: 'ok',
  marketplaceBuyer: HIDDEN,
  otherMarketplaceUser: FORBIDDEN,
});

/** A transition for either party alone. */
const PARTIES_ONLY = gatewayRow(ROLE, {
  buyer: 'ok',
  seller: 'ok',
  marketplaceBuyer: HIDDEN,
  marketplaceSeller: HIDDEN,
  otherMarketplaceUser: FORBIDDEN,
});

const CONSENT = gatewayRow(ROLE, {
  buyer: FORBIDDEN,
  seller: 'ok',
  buyerMarketplace: FORBIDDEN,
  sellerMarketplace: 'ok',
  marketplaceBuyer: HIDDEN,
  marketplaceSeller: HIDDEN,
  otherMarketplace: FORBIDDEN,
  otherMarketplaceUser: FORBIDDEN,
});

const OFFER_ANSWER: Record<GatewayActor, GatewayCell> = { ...PARTIES_ONLY, buyer: FORBIDDEN };

/** A transition only the seller makes. */
const SELLER_ONLY = gatewayRow(ROLE, { seller: 'ok', marketplaceSeller: HIDDEN });

// Anyone of the trade may release once the inspection window is over; within it the buyer alone.
const RELEASE_IN_WINDOW = gatewayRow(ROLE, {
  buyer: 'ok',
  seller: TOO_EARLY,
  buyerMarketplace: TOO_EARLY,
  sellerMarketplace: TOO_EARLY,
  marketplaceBuyer: HIDDEN,
  marketplaceSeller: HIDDEN,
  otherMarketplace: FORBIDDEN,
  otherMarketplaceUser: FORBIDDEN,
});

/** Changed terms: either party, or across marketplaces each party's marketplace acting for it. */
const TERMS = gatewayRow(ROLE, {
  buyer: 'ok',
  seller: 'ok',
  buyerMarketplace: 'ok',
  sellerMarketplace: 'ok',
  marketplaceBuyer: HIDDEN,
  marketplaceSeller: HIDDEN,
  otherMarketplace: FORBIDDEN,
  otherMarketplaceUser: FORBIDDEN,
});

const WEBHOOK_OWNER = gatewayRow(ROLE, {
  buyerMarketplace: 'ok',
  sellerMarketplace: '404 WEBHOOK_NOT_FOUND',
  otherMarketplace: '404 WEBHOOK_NOT_FOUND',
});

const EVERYONE = gatewayRow('ok', {});

/** A party's verification (the walk asks about MarketA:alice): her own marketplace's backend alone. */
const OWN_PARTY = gatewayRow(ROLE, {
  buyerMarketplace: 'ok',
  sellerMarketplace: '403 PARTY_OF_ANOTHER_MARKETPLACE',
  otherMarketplace: '403 PARTY_OF_ANOTHER_MARKETPLACE',
});

/** A deadline the keeper applies, open to the trade's parties and marketplaces once it passed. */
const KEEPER_MOVE = gatewayRow(ROLE, {
  buyer: TOO_EARLY,
  seller: TOO_EARLY,
  buyerMarketplace: TOO_EARLY,
  sellerMarketplace: TOO_EARLY,
  marketplaceBuyer: HIDDEN,
  marketplaceSeller: HIDDEN,
  otherMarketplace: FORBIDDEN,
  otherMarketplaceUser: FORBIDDEN,
});

/** POST /v1/escrows/{escrowId}/items/{item}/<verb> rows: operationId, verb, setup, cells. */
function itemRows(
  rows: readonly (readonly [string, string, Setup, Record<GatewayActor, GatewayCell>])[],
): GatewayOperation[] {
  return rows.map(([operationId, verb, setup, cells]) => ({
    operationId,
    method: 'POST',
    path: `/v1/escrows/{escrowId}/items/{item}/${verb}`,
    setup,
    cells,
  }));
}

export const GATEWAY_MATRIX: readonly GatewayOperation[] = [
  {
    operationId: 'createEscrow',
    method: 'POST',
    path: '/v1/escrows',
    setup: 'nothing',
    cells: gatewayRow(ROLE, { buyerMarketplace: 'ok', sellerMarketplace: 'ok', otherMarketplace: FORBIDDEN }),
  },
  { operationId: 'listEscrows', method: 'GET', path: '/v1/escrows', setup: 'created', cells: EVERYONE },
  {
    operationId: 'getEscrow',
    method: 'GET',
    path: '/v1/escrows/{escrowId}',
    setup: 'created',
    cells: ESCROW_READ,
  },
  {
    operationId: 'getEscrowHistory',
    method: 'GET',
    path: '/v1/escrows/{escrowId}/history',
    setup: 'created',
    cells: ESCROW_READ,
  },
  {
    operationId: 'getPrivateDetails',
    method: 'GET',
    path: '/v1/escrows/{escrowId}/private-details',
    setup: 'created',
    // Personal data is the parties' and their marketplaces' alone: not even Oversight's desks read it.
    cells: { ...ESCROW_READ, arbiter: ROLE, auditor: ROLE },
  },
  {
    operationId: 'acceptEscrow',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/accept',
    setup: 'proposed',
    cells: CONSENT,
  },
  {
    operationId: 'declineEscrow',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/decline',
    setup: 'proposed',
    cells: CONSENT,
  },
  {
    operationId: 'createPayment',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/payment',
    setup: 'created',
    cells: gatewayRow(ROLE, {
      buyerMarketplace: 'ok',
      sellerMarketplace: '403 PAYMENT_NOT_BUYER_MARKETPLACE',
      otherMarketplace: FORBIDDEN,
    }),
  },
  {
    operationId: 'shipEscrow',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/ship',
    setup: 'funded',
    cells: SELLER_ONLY,
  },
  {
    operationId: 'confirmDelivery',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/confirm-delivery',
    setup: 'shipped',
    cells: BUYER_ONLY,
  },
  {
    operationId: 'releaseEscrow',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/release',
    setup: 'delivered',
    cells: RELEASE_IN_WINDOW,
  },
  {
    operationId: 'disputeEscrow',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/dispute',
    setup: 'delivered',
    cells: BUYER_ONLY,
  },
  {
    operationId: 'resolveDispute',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/resolve',
    setup: 'disputed',
    cells: gatewayRow(ROLE, { arbiter: 'ok' }),
  },
  {
    operationId: 'cancelEscrow',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/cancel',
    setup: 'created',
    // Before fund-by the parties alone walk away; their marketplaces only once fund-by has passed.
    cells: gatewayRow(ROLE, {
      buyer: 'ok',
      seller: 'ok',
      buyerMarketplace: TOO_EARLY,
      sellerMarketplace: TOO_EARLY,
      marketplaceBuyer: HIDDEN,
      marketplaceSeller: HIDDEN,
      otherMarketplace: FORBIDDEN,
      otherMarketplaceUser: FORBIDDEN,
    }),
  },
  {
    operationId: 'claimRefund',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/claim-refund',
    setup: 'fundedPastShipBy',
    cells: BUYER_ONLY,
  },
  {
    operationId: 'extendShipBy',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/ship-by',
    setup: 'created',
    cells: BUYER_ONLY,
  },
  {
    operationId: 'offerSettlement',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/offers',
    setup: 'disputed',
    cells: PARTIES_ONLY,
  },
  {
    operationId: 'acceptSettlementOffer',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/offers/accept',
    setup: 'buyerOffer',
    cells: OFFER_ANSWER,
  },
  {
    operationId: 'declineSettlementOffer',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/offers/decline',
    setup: 'buyerOffer',
    cells: OFFER_ANSWER,
  },
  {
    operationId: 'recordSettlement',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/settlements',
    setup: 'released',
    // The backend's token carries the payments role; only the buyer's marketplace pays out.
    cells: gatewayRow(ROLE, {
      buyerMarketplace: 'ok',
      sellerMarketplace: FORBIDDEN,
      otherMarketplace: FORBIDDEN,
    }),
  },
  {
    operationId: 'postReview',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/reviews',
    setup: 'released',
    cells: PARTIES_ONLY,
  },
  {
    // An arbiter lifts a hold; the prepared escrow holds none, so it is answered that no flag of the
    // rule is active. Everyone else lacks the role (the risk service clears on the ledger itself).
    operationId: 'clearRiskFlag',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/risk-flags/{rule}/clear',
    setup: 'shipped',
    cells: gatewayRow(ROLE, { arbiter: '404 RISK_FLAG_NOT_FOUND' }),
  },
  {
    operationId: 'erasePrivateDetails',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/private-details/erase',
    setup: 'created',
    cells: gatewayRow(ROLE, { buyerMarketplace: 'ok', sellerMarketplace: 'ok', otherMarketplace: FORBIDDEN }),
  },
  {
    operationId: 'getPayout',
    method: 'GET',
    path: '/v1/escrows/{escrowId}/payout',
    setup: 'created',
    cells: ESCROW_READ,
  },
  {
    operationId: 'getEscrowProof',
    method: 'GET',
    path: '/v1/escrows/{escrowId}/proof',
    setup: 'created',
    cells: ESCROW_READ,
  },
  {
    operationId: 'proposeTerms',
    method: 'POST',
    path: '/v1/escrows/{escrowId}/terms',
    setup: 'created',
    cells: TERMS,
  },
  // Each item-level operation acts on item 0 of a two-item escrow, its first one splitting the escrow
  // into item lifecycles that start where the escrow stood.
  ...itemRows([
    ['shipItem', 'ship', 'funded', SELLER_ONLY],
    ['confirmItemDelivery', 'confirm-delivery', 'shipped', BUYER_ONLY],
    ['releaseItem', 'release', 'delivered', RELEASE_IN_WINDOW],
    ['disputeItem', 'dispute', 'delivered', BUYER_ONLY],
    ['resolveItem', 'resolve', 'itemDisputed', gatewayRow(ROLE, { arbiter: 'ok' })],
    ['rejectItem', 'reject', 'delivered', BUYER_ONLY],
    ['provideReturnAddress', 'return-address', 'itemRejected', SELLER_ONLY],
    ['shipReturn', 'return-shipment', 'itemReturnAddressed', BUYER_ONLY],
    ['confirmReturn', 'confirm-return', 'itemReturnShipped', SELLER_ONLY],
    ['disputeReturn', 'dispute-return', 'itemReturnShipped', SELLER_ONLY],
    // The keeper's moves, open to the trade: before a deadline passed everyone of it is early.
    ['expireReturn', 'expire-return', 'itemRejected', KEEPER_MOVE],
    ['expireItemDelivery', 'expire-delivery', 'shipped', KEEPER_MOVE],
    ['offerItemSettlement', 'offers', 'itemDisputed', PARTIES_ONLY],
    ['acceptItemOffer', 'offers/accept', 'itemBuyerOffer', OFFER_ANSWER],
    ['declineItemOffer', 'offers/decline', 'itemBuyerOffer', OFFER_ANSWER],
  ]),
  {
    operationId: 'startVerification',
    method: 'POST',
    path: '/v1/parties/{partyId}/verification',
    setup: 'nothing',
    cells: OWN_PARTY,
  },
  {
    operationId: 'getVerification',
    method: 'GET',
    path: '/v1/parties/{partyId}/verification',
    setup: 'nothing',
    cells: OWN_PARTY,
  },
  {
    operationId: 'getReputation',
    method: 'GET',
    path: '/v1/users/{marketplace}/{userId}/reputation',
    setup: 'nothing',
    cells: EVERYONE,
  },
  {
    operationId: 'getTransaction',
    method: 'GET',
    path: '/v1/transactions/{txId}',
    setup: 'transaction',
    // Its submitter, the submitter's marketplace and auditors; anyone else learns nothing.
    cells: gatewayRow('404 TRANSACTION_NOT_FOUND', { buyerMarketplace: 'ok', auditor: 'ok' }),
  },
  {
    // Public material (the channel members' CA certificates, the chaincode's policy): any ledger reader.
    operationId: 'getTrustAnchors',
    method: 'GET',
    path: '/v1/consortium/trust-anchors',
    setup: 'nothing',
    cells: EVERYONE,
  },
  {
    // Peers' heights, the chaincode definition and the mirror's lag: Oversight's auditors alone.
    operationId: 'getConsortiumStatus',
    method: 'GET',
    path: '/v1/consortium/status',
    setup: 'nothing',
    cells: gatewayRow(ROLE, { auditor: 'ok' }),
  },
  { operationId: 'listEvents', method: 'GET', path: '/v1/events', setup: 'event', cells: EVERYONE },
  {
    operationId: 'getEvent',
    method: 'GET',
    path: '/v1/events/{eventId}',
    setup: 'event',
    cells: gatewayRow('ok', {
      marketplaceBuyer: '404 EVENT_NOT_FOUND',
      marketplaceSeller: '404 EVENT_NOT_FOUND',
      otherMarketplace: '404 EVENT_NOT_FOUND',
      otherMarketplaceUser: '404 EVENT_NOT_FOUND',
    }),
  },
  {
    operationId: 'createWebhook',
    method: 'POST',
    path: '/v1/webhooks',
    setup: 'nothing',
    cells: gatewayRow(ROLE, { buyerMarketplace: 'ok', sellerMarketplace: 'ok', otherMarketplace: 'ok' }),
  },
  {
    operationId: 'listWebhooks',
    method: 'GET',
    path: '/v1/webhooks',
    setup: 'webhook',
    cells: gatewayRow(ROLE, { buyerMarketplace: 'ok', sellerMarketplace: 'ok', otherMarketplace: 'ok' }),
  },
  {
    operationId: 'rotateWebhookSecret',
    method: 'POST',
    path: '/v1/webhooks/{webhookId}/rotate-secret',
    setup: 'webhook',
    cells: WEBHOOK_OWNER,
  },
  {
    operationId: 'redeliverWebhook',
    method: 'POST',
    path: '/v1/webhooks/{webhookId}/redeliver',
    setup: 'webhook',
    cells: WEBHOOK_OWNER,
  },
  {
    operationId: 'deleteWebhook',
    method: 'DELETE',
    path: '/v1/webhooks/{webhookId}',
    setup: 'webhook',
    cells: WEBHOOK_OWNER,
  },
];

const NOT_THEIRS = 'FORBIDDEN_ACTOR';
const NOT_YET = 'DEADLINE_NOT_REACHED';
const POLICY = 'ENDORSEMENT_POLICY_FAILURE';
// A disputed escrow's keys accept Oversight with either party's org: the chaincode's party check
// is what keeps each side to its own moves there.
const DISPUTE_POLICY = 'ok';

/** A write only `allowed` may make: everyone else is no actor of it. */
function onlyBy(...allowed: LedgerActor[]): Record<LedgerActor, LedgerCell> {
  return ledgerRow(NOT_THEIRS, Object.fromEntries(allowed.map((actor) => [actor, 'ok'])));
}

/** Anyone of the trade's orgs reads the ledger's record; a third marketplace's identities do not. */
const LEDGER_READ = ledgerRow('ok', { otherMarketplace: NOT_THEIRS, otherMarketplaceUser: NOT_THEIRS });

// Within the inspection window (release) or before fund-by (cancel), anyone of the trade's orgs who
// is not the allowed party is early, not forbidden: the same call succeeds once the deadline passed.
const BY_PARTY_OR_AFTER_DEADLINE = (...allowed: LedgerActor[]) =>
  ledgerRow(NOT_YET, {
    ...Object.fromEntries(allowed.map((actor) => [actor, 'ok'])),
    otherMarketplace: NOT_THEIRS,
    otherMarketplaceUser: NOT_THEIRS,
  });

export const LEDGER_MATRIX: readonly LedgerOperation[] = [
  {
    transaction: 'createEscrow',
    kind: 'submit',
    setup: 'nothing',
    cells: onlyBy('buyerMarketplace', 'sellerMarketplace'),
  },
  {
    transaction: 'acceptEscrow',
    kind: 'submit',
    setup: 'proposed',
    cells: onlyBy('seller', 'sellerMarketplace'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'declineEscrow',
    kind: 'submit',
    setup: 'proposed',
    cells: onlyBy('seller', 'sellerMarketplace'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'fundEscrow',
    kind: 'submit',
    setup: 'created',
    cells: onlyBy('buyerPayments'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'shipEscrow',
    kind: 'submit',
    setup: 'funded',
    cells: onlyBy('seller'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'confirmDelivery',
    kind: 'submit',
    setup: 'shipped',
    cells: onlyBy('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'releaseEscrow',
    kind: 'submit',
    setup: 'delivered',
    cells: BY_PARTY_OR_AFTER_DEADLINE('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'disputeEscrow',
    kind: 'submit',
    setup: 'delivered',
    cells: onlyBy('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'resolveDispute',
    kind: 'submit',
    setup: 'disputed',
    cells: onlyBy('arbiter'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'cancelEscrow',
    kind: 'submit',
    setup: 'created',
    cells: BY_PARTY_OR_AFTER_DEADLINE('buyer', 'seller'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'claimRefund',
    kind: 'submit',
    setup: 'fundedPastShipBy',
    cells: onlyBy('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'extendShipBy',
    kind: 'submit',
    setup: 'created',
    cells: onlyBy('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'offerSettlement',
    kind: 'submit',
    setup: 'disputed',
    cells: onlyBy('buyer', 'seller'),
    withoutCounterpartyOrg: DISPUTE_POLICY,
  },
  {
    transaction: 'acceptSettlementOffer',
    kind: 'submit',
    setup: 'buyerOffer',
    cells: onlyBy('seller'),
    withoutCounterpartyOrg: DISPUTE_POLICY,
  },
  {
    transaction: 'declineSettlementOffer',
    kind: 'submit',
    setup: 'buyerOffer',
    cells: onlyBy('seller'),
    withoutCounterpartyOrg: DISPUTE_POLICY,
  },
  {
    transaction: 'recordSettlement',
    kind: 'submit',
    setup: 'released',
    cells: onlyBy('buyerPayments'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'postReview',
    kind: 'submit',
    setup: 'released',
    cells: onlyBy('buyer', 'seller'),
  },
  {
    transaction: 'erasePrivateDetails',
    kind: 'submit',
    setup: 'created',
    cells: onlyBy('buyerMarketplace', 'sellerMarketplace'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'proposeTerms',
    kind: 'submit',
    setup: 'created',
    cells: onlyBy('buyer', 'seller', 'buyerMarketplace', 'sellerMarketplace'),
    withoutCounterpartyOrg: POLICY,
  },
  // Item 0 of a two-item escrow, as at the gateway.
  {
    transaction: 'shipItem',
    kind: 'submit',
    setup: 'funded',
    cells: onlyBy('seller'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'confirmItemDelivery',
    kind: 'submit',
    setup: 'shipped',
    cells: onlyBy('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'releaseItem',
    kind: 'submit',
    setup: 'delivered',
    cells: BY_PARTY_OR_AFTER_DEADLINE('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'disputeItem',
    kind: 'submit',
    setup: 'delivered',
    cells: onlyBy('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'resolveItem',
    kind: 'submit',
    setup: 'itemDisputed',
    cells: onlyBy('arbiter'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'rejectItem',
    kind: 'submit',
    setup: 'delivered',
    cells: onlyBy('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'provideReturnAddress',
    kind: 'submit',
    setup: 'itemRejected',
    cells: onlyBy('seller'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'shipReturn',
    kind: 'submit',
    setup: 'itemReturnAddressed',
    cells: onlyBy('buyer'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'confirmReturn',
    kind: 'submit',
    setup: 'itemReturnShipped',
    cells: onlyBy('seller'),
    withoutCounterpartyOrg: POLICY,
  },
  {
    transaction: 'disputeReturn',
    kind: 'submit',
    setup: 'itemReturnShipped',
    cells: onlyBy('seller'),
    withoutCounterpartyOrg: POLICY,
  },
  // Anyone of the trade's orgs (the keeper in practice) ends a return once its deadline passed.
  { transaction: 'expireReturn', kind: 'submit', setup: 'itemRejected', cells: BY_PARTY_OR_AFTER_DEADLINE() },
  {
    transaction: 'expireItemDelivery',
    kind: 'submit',
    setup: 'shipped',
    cells: BY_PARTY_OR_AFTER_DEADLINE(),
  },
  {
    transaction: 'offerItemSettlement',
    kind: 'submit',
    setup: 'itemDisputed',
    cells: onlyBy('buyer', 'seller'),
    withoutCounterpartyOrg: DISPUTE_POLICY,
  },
  {
    transaction: 'acceptItemOffer',
    kind: 'submit',
    setup: 'itemBuyerOffer',
    cells: onlyBy('seller'),
    withoutCounterpartyOrg: DISPUTE_POLICY,
  },
  {
    transaction: 'declineItemOffer',
    kind: 'submit',
    setup: 'itemBuyerOffer',
    cells: onlyBy('seller'),
    withoutCounterpartyOrg: DISPUTE_POLICY,
  },
  // Oversight's risk service alone raises a flag; no column holds its role, so every one is refused.
  { transaction: 'raiseRiskFlag', kind: 'submit', setup: 'shipped', cells: onlyBy() },
  {
    // The risk service or an arbiter clears one: the arbiter passes the who-check and is answered that
    // the prepared escrow holds no active flag of the rule; everyone else is no actor of it.
    transaction: 'clearRiskFlag',
    kind: 'submit',
    setup: 'shipped',
    cells: ledgerRow(NOT_THEIRS, { arbiter: 'RISK_FLAG_NOT_FOUND' }),
  },
  { transaction: 'readEscrow', kind: 'evaluate', setup: 'created', cells: LEDGER_READ },
  { transaction: 'getHistory', kind: 'evaluate', setup: 'created', cells: LEDGER_READ },
  {
    transaction: 'readPrivateDetails',
    kind: 'evaluate',
    setup: 'created',
    cells: onlyBy('buyer', 'seller', 'buyerMarketplace', 'sellerMarketplace'),
  },
  { transaction: 'getReputation', kind: 'evaluate', setup: 'nothing', cells: ledgerRow('ok', {}) },
  // A party of MarketA (the buyer's marketplace): its payments identity alone attests, with Oversight.
  { transaction: 'attestVerification', kind: 'submit', setup: 'nothing', cells: onlyBy('buyerPayments') },
  {
    transaction: 'readVerificationAttestation',
    kind: 'evaluate',
    setup: 'nothing',
    cells: ledgerRow('ok', {}),
  },
];

/** Parses a gateway cell's refusal: its HTTP status and problem code (undefined for `ok`). */
export function refusalOfCell(cell: GatewayCell): { status: number; code: string } | undefined {
  if (cell === 'ok') return undefined;
  const [status = '', code = ''] = cell.split(' ');
  return { status: Number(status), code };
}
