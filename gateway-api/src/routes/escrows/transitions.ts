// POST /v1/escrows/{escrowId}/<transition>: every state change after creation. Each entry names the
// roles allowed at the gateway and how the body becomes the chaincode call; the route finds the
// escrow's parties first (they decide visibility and name the endorsing organizations; kept from the
// create or first read, so a transition costs no evaluation), then submits as the caller's identity.
// There is no `fund` here: only a marketplace's payments service funds, on a verified provider event
// (payments/src/funding); partners ask for the payment with POST …/payment (createPayment.ts).
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { GatewayRole } from '../../auth/principal';
import type { EscrowLedgerClient, ItemTransaction, SubmitOutcome } from '../../fabric/escrowLedgerClient';
import type { EscrowParties } from '../../fabric/escrowPartiesCache';
import type { LedgerCaller } from '../../fabric/gatewayCache';
import { sendOutcome, type RouteContext } from '../routeContext';
import { actingRole, callerAs, firstHeld, requireVisible } from './escrowAccess';

type Body = Record<string, unknown>;

interface Transition {
  readonly path: string;
  readonly roles: readonly GatewayRole[];
  readonly submit: (
    ledger: EscrowLedgerClient,
    caller: LedgerCaller,
    escrow: EscrowParties,
    body: Body,
    path: PathParameters,
  ) => Promise<SubmitOutcome<unknown>>;
  readonly resultKey?: 'escrow' | 'review';
  readonly status?: number;
}

/** The path's own parameters beyond the escrow id, as the document bounds them. */
interface PathParameters {
  readonly item: number;
  readonly rule: string;
}

const text = (body: Body, field: string): string => String(body[field]);

/** An item-level transition: POST …/items/{item}/<verb> (the chaincode's itemLifecycle.ts). */
function onItem(
  verb: string,
  roles: readonly GatewayRole[],
  transaction: ItemTransaction,
  parameters: (body: Body) => object = () => ({}),
): Transition {
  return {
    path: `items/:item/${verb}`,
    roles,
    submit: (ledger, caller, escrow, body, { item }) =>
      ledger.onItem(caller, escrow, transaction, item, parameters(body)),
  };
}

const shipment = (body: Body) => ({ carrier: text(body, 'carrier'), trackingRef: text(body, 'trackingRef') });
const grievance = (body: Body) => ({ reason: text(body, 'reason'), evidenceHashes: body['evidenceHashes'] });
const offerTerms = (body: Body) => ({
  buyerRefund: text(body, 'buyerRefund'),
  ...(body['expiresAt'] === undefined ? {} : { expiresAt: text(body, 'expiresAt') }),
});

/** What an escrow moving per item takes, each on the item the path names. */
const ITEM_TRANSITIONS: readonly Transition[] = [
  onItem('ship', ['seller'], 'shipItem', shipment),
  onItem('confirm-delivery', ['buyer'], 'confirmItemDelivery'),
  onItem('release', ['buyer', 'seller', 'marketplace', 'payments'], 'releaseItem'),
  onItem('dispute', ['buyer'], 'disputeItem', grievance),
  onItem('resolve', ['arbiter'], 'resolveItem', (body) => ({ buyerRefund: text(body, 'buyerRefund') })),
  onItem('reject', ['buyer'], 'rejectItem', (body) => ({ reason: text(body, 'reason') })),
  {
    path: 'items/:item/return-address',
    roles: ['seller'],
    submit: (ledger, caller, escrow, body, { item }) =>
      ledger.provideReturnAddress(caller, escrow, item, text(body, 'address')),
  },
  onItem('return-shipment', ['buyer'], 'shipReturn', shipment),
  onItem('confirm-return', ['seller'], 'confirmReturn'),
  onItem('dispute-return', ['seller'], 'disputeReturn', grievance),
  onItem('expire-return', ['buyer', 'seller', 'marketplace'], 'expireReturn'),
  onItem('expire-delivery', ['buyer', 'seller', 'marketplace'], 'expireItemDelivery'),
  // The parties' own negotiation of one disputed item, as for the escrow-level offers below.
  onItem('offers', ['buyer', 'seller'], 'offerItemSettlement', offerTerms),
  onItem('offers/accept', ['buyer', 'seller'], 'acceptItemOffer'),
  onItem('offers/decline', ['buyer', 'seller'], 'declineItemOffer'),
];

// The counterparty user, or its marketplace backend acting for it, answers a proposal (or changed terms).
const COUNTERPARTY_ROLES: readonly GatewayRole[] = ['buyer', 'seller', 'marketplace'];

export const TRANSITIONS: readonly Transition[] = [
  {
    path: 'accept',
    roles: COUNTERPARTY_ROLES,
    submit: (ledger, caller, escrow) => ledger.accept(caller, escrow),
  },
  {
    path: 'decline',
    roles: COUNTERPARTY_ROLES,
    submit: (ledger, caller, escrow) => ledger.decline(caller, escrow),
  },
  {
    // Either side, or across marketplaces a backend for its own customer, proposes changed terms.
    path: 'terms',
    roles: COUNTERPARTY_ROLES,
    submit: (ledger, caller, escrow, body) => ledger.proposeTerms(caller, escrow, body),
  },
  {
    path: 'ship',
    roles: ['seller'],
    submit: (ledger, caller, escrow, body) =>
      ledger.ship(caller, escrow, text(body, 'carrier'), text(body, 'trackingRef')),
  },
  {
    path: 'confirm-delivery',
    roles: ['buyer'],
    submit: (ledger, caller, escrow) => ledger.confirmDelivery(caller, escrow),
  },
  {
    path: 'release',
    roles: ['buyer', 'seller', 'marketplace', 'payments'],
    submit: (ledger, caller, escrow) => ledger.release(caller, escrow),
  },
  {
    path: 'dispute',
    roles: ['buyer'],
    submit: (ledger, caller, escrow, body) =>
      ledger.dispute(caller, escrow, text(body, 'reason'), body['evidenceHashes'] as string[]),
  },
  {
    path: 'resolve',
    roles: ['arbiter'],
    submit: (ledger, caller, escrow, body) => ledger.resolve(caller, escrow, text(body, 'buyerRefund')),
  },
  {
    path: 'cancel',
    roles: ['seller', 'buyer', 'marketplace'],
    submit: (ledger, caller, escrow) => ledger.cancel(caller, escrow),
  },
  {
    path: 'claim-refund',
    roles: ['buyer'],
    submit: (ledger, caller, escrow) => ledger.claimRefund(caller, escrow),
  },
  {
    path: 'ship-by',
    roles: ['buyer'],
    submit: (ledger, caller, escrow, body) => ledger.extendShipBy(caller, escrow, text(body, 'shipBy')),
  },
  {
    path: 'offers',
    roles: ['buyer', 'seller'],
    submit: (ledger, caller, escrow, body) =>
      ledger.offerSettlement(
        caller,
        escrow,
        text(body, 'buyerRefund'),
        body['expiresAt'] === undefined ? undefined : text(body, 'expiresAt'),
      ),
  },
  {
    path: 'offers/accept',
    roles: ['buyer', 'seller'],
    submit: (ledger, caller, escrow) => ledger.acceptSettlementOffer(caller, escrow),
  },
  {
    path: 'offers/decline',
    roles: ['buyer', 'seller'],
    submit: (ledger, caller, escrow) => ledger.declineSettlementOffer(caller, escrow),
  },
  {
    path: 'settlements',
    roles: ['payments'],
    submit: (ledger, caller, escrow, body) =>
      ledger.recordSettlement(caller, escrow, text(body, 'payee'), text(body, 'providerRef')),
  },
  {
    path: 'reviews',
    roles: ['buyer', 'seller'],
    submit: (ledger, caller, escrow, body) =>
      ledger.postReview(caller, escrow, Number(body['rating']), text(body, 'textHash')),
    resultKey: 'review',
    status: 201,
  },
  {
    // Oversight's arbiter lifts a risk hold (the risk service clears its own straight on the ledger).
    path: 'risk-flags/:rule/clear',
    roles: ['arbiter'],
    submit: (ledger, caller, escrow, body, { rule }) =>
      ledger.clearRiskFlag(caller, escrow, rule, text(body, 'reason')),
  },
  {
    path: 'private-details/erase',
    roles: ['marketplace'],
    submit: (ledger, caller, escrow) => ledger.erasePrivateDetails(caller, escrow),
  },
  ...ITEM_TRANSITIONS,
];

export function transitionRoute(context: RouteContext, transition: Transition) {
  return async (request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const escrowId = String(request.params['escrowId']);
    // A caller without any allowed role is refused before the ledger is touched.
    const readerRole = firstHeld(principal, transition.roles);
    const reader = await callerAs(context.identities, principal, readerRole);
    const escrow = await context.ledger.escrowParties(reader, escrowId);
    requireVisible(principal, escrow);
    const role = actingRole(principal, escrow, transition.roles);
    const caller = role === readerRole ? reader : await callerAs(context.identities, principal, role);
    const outcome = await transition.submit(
      context.ledger,
      caller,
      escrow,
      (request.body as Body | undefined) ?? {},
      {
        // The document bounds it to an item index; the chaincode answers ITEM_NOT_FOUND past the items.
        item: Number(request.params['item'] ?? 0),
        // The document bounds it to a rule name; the chaincode answers RISK_FLAG_NOT_FOUND if not active.
        rule: String(request.params['rule'] ?? ''),
      },
    );
    await sendOutcome(
      context,
      response,
      { principal, caller },
      outcome,
      transition.status ?? 200,
      transition.resultKey ?? 'escrow',
    );
  };
}
