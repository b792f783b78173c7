// Fixtures of the statement tests: each marketplace's identities, cross-marketplace trades driven to
// their end through the contract on the in-memory ledger, stamped at a chosen time within the
// endorsers' skew so a settlement period can be over without waiting for it.
import { EscrowContract } from '../escrow/escrowContract';
import { caller, CALLERS, foundedLedger, paymentsService, requestJson } from './contractFixtures';
import type { Caller, FakeLedger } from './fakeLedger';
import { type TestContract, withPositionalSubmits } from './transientCalls';

export const contract: TestContract = withPositionalSubmits(new EscrowContract());

export interface MarketplaceIdentities {
  readonly buyer: Caller;
  readonly seller: Caller;
  readonly backend: Caller;
  readonly payments: Caller;
  readonly admin: Caller;
}

export function identitiesOf(marketplace: string): MarketplaceIdentities {
  const lower = marketplace.toLowerCase();
  return {
    buyer: caller(marketplace, 'buyer', `${lower}-buyer`),
    seller: caller(marketplace, 'seller', `${lower}-seller`),
    backend: caller(marketplace, 'marketplace', `${lower}-backend`),
    payments: paymentsService(marketplace, `${lower}-payments`),
    admin: caller(marketplace, 'admin', `${lower}-admin`),
  };
}

/**
 * A ledger whose registry holds MarketA, MarketB and MarketC, with settlement periods of
 * `periodSeconds`.
 */
export async function statementLedger(periodSeconds: number): Promise<FakeLedger> {
  const ledger = await foundedLedger();
  await ledger.as(CALLERS.adminA)((ctx) =>
    contract.addMarketplace(ctx, JSON.stringify({ name: 'MarketC', mspId: 'MarketCMSP' })),
  );
  const settings = {
    maxFeeBps: 2000,
    minInspectionPeriodSeconds: 3600,
    settlementPeriodSeconds: periodSeconds,
  };
  await ledger.as(CALLERS.oversightAdmin)((ctx) =>
    contract.setChannelSettings(ctx, JSON.stringify(settings)),
  );
  return ledger;
}

export interface TradeSpec {
  readonly escrowId: string;
  readonly buyerMarketplace: string;
  readonly sellerMarketplace: string;
  readonly price: string;
  /** Absent: the buyer releases; present: the arbiter resolves a dispute giving the buyer this much. */
  readonly buyerRefund?: string;
  /** The transaction time of every step. */
  readonly atMs: number;
}

/** Proposes, accepts, funds, ships, delivers and ends the trade (released or resolved). */
export async function endTrade(ledger: FakeLedger, spec: TradeSpec): Promise<void> {
  const buyerSide = identitiesOf(spec.buyerMarketplace);
  const sellerSide = identitiesOf(spec.sellerMarketplace);
  const as = (who: Caller) => ledger.as(who, { txTimeMs: spec.atMs });
  const id = spec.escrowId;
  const request = requestJson({
    buyer: { marketplace: spec.buyerMarketplace, userId: buyerSide.buyer.attributes.userId },
    seller: { marketplace: spec.sellerMarketplace, userId: sellerSide.seller.attributes.userId },
    items: [{ description: 'Lamp', price: spec.price }],
  });
  await as(buyerSide.backend)((ctx) => contract.createEscrow(ctx, id, request));
  await as(sellerSide.seller)((ctx) => contract.acceptEscrow(ctx, id));
  await as(buyerSide.payments)((ctx) => contract.fundEscrow(ctx, id, spec.price, 'EUR', `psp-${id}`));
  await as(sellerSide.seller)((ctx) => contract.shipEscrow(ctx, id, 'DHL', `trk-${id}`));
  await as(buyerSide.buyer)((ctx) => contract.confirmDelivery(ctx, id));
  if (spec.buyerRefund === undefined) {
    await as(buyerSide.buyer)((ctx) => contract.releaseEscrow(ctx, id));
    return;
  }
  const refund = spec.buyerRefund;
  await as(buyerSide.buyer)((ctx) => contract.disputeEscrow(ctx, id, 'broken', '[]'));
  await as(CALLERS.arbiter)((ctx) => contract.resolveDispute(ctx, id, refund));
}
