// Escrows prepared in the state each row of the authorization matrix needs, straight on the ledger
// with the identities a deployment would use (Trade), so both walks start from the same states.
import { TRANSACTIONS } from '@p2p-escrow/chaincode';
import * as crypto from 'node:crypto';
import { CROSS_MARKET, Trade, sha256Hex, untilPast, type TradeParties } from '../ledger/escrowTrade';
import type { GatewayPool } from '../ledger/escrowLedger';
import type { EscrowKind, Setup } from './accessMatrix';

/** A trade on MarketA alone (alice buys from amir): MarketB has no part in it. */
export const ONE_MARKETPLACE_A: TradeParties = {
  buyer: 'alice',
  seller: 'amir',
  backend: 'marketa-backend',
  payments: 'marketa-payments',
};

/** The settlement offer the buyer makes on a `buyerOffer` escrow. */
export const MATRIX_OFFER_REFUND = '100';

// A `fundedPastShipBy` escrow is funded within a short fund-by and then waits past its ship-by; long
// enough for its three steps on a loaded machine, short enough for the walk.
const SHORT_FUND_BY_MS = 20_000;

export type EscrowSetup = Exclude<Setup, 'nothing' | 'event' | 'webhook' | 'transaction'>;

export function isEscrowSetup(setup: Setup): setup is EscrowSetup {
  return !['nothing', 'event', 'webhook', 'transaction'].includes(setup);
}

/** Personal data for an escrow's private collection. */
function privateDetails(): Record<string, unknown> {
  return {
    salt: crypto.randomBytes(32).toString('hex'),
    shippingAddress: { street: `Matrix Lane ${crypto.randomBytes(4).toString('hex')}`, country: 'FR' },
    contact: { email: 'buyer@example.org' },
  };
}

/** A new escrow of `kind` brought to `setup`, every step committed. */
export async function matrixEscrow(pool: GatewayPool, kind: EscrowKind, setup: EscrowSetup): Promise<Trade> {
  const trade = new Trade(
    pool,
    kind === 'crossMarketplace' ? CROSS_MARKET : ONE_MARKETPLACE_A,
    `matrix-${setup}`,
  );
  if (setup === 'proposed') {
    await trade.propose();
    return trade;
  }
  if (setup === 'created') {
    await trade.create({}, privateDetails());
    return trade;
  }
  if (setup === 'fundedPastShipBy') {
    const fundBy = new Date(Date.now() + SHORT_FUND_BY_MS);
    const shipBy = new Date(fundBy.getTime() + 1000);
    await trade.create({ fundBy, shipBy });
    await trade.fund();
    await untilPast(shipBy);
    return trade;
  }
  await trade.create();
  await trade.fund();
  if (setup === 'funded') return trade;
  await trade.ship();
  if (setup === 'shipped') return trade;
  await trade.confirmDelivery();
  if (setup === 'delivered') return trade;
  if (setup === 'released') {
    await trade.release();
    return trade;
  }
  if (isItemSetup(setup)) {
    await walkItemZero(trade, setup);
    return trade;
  }
  await trade.dispute();
  if (setup === 'buyerOffer')
    await trade.step(trade.parties.buyer, 'offerSettlement', [trade.escrowId, MATRIX_OFFER_REFUND]);
  return trade;
}

type ItemSetup = Extract<
  EscrowSetup,
  'itemDisputed' | 'itemBuyerOffer' | 'itemRejected' | 'itemReturnAddressed' | 'itemReturnShipped'
>;

function isItemSetup(setup: EscrowSetup): setup is ItemSetup {
  return setup.startsWith('item');
}

/** Walks item 0 of a delivered escrow (splitting it into item lifecycles) to `setup`. */
async function walkItemZero(trade: Trade, setup: ItemSetup): Promise<void> {
  const { buyer, seller } = trade.parties;
  const onItem = (who: string, transaction: string, ...rest: string[]) =>
    trade.step(who, transaction, [trade.escrowId, '0', ...rest]);
  if (setup === 'itemDisputed' || setup === 'itemBuyerOffer') {
    await onItem(buyer, TRANSACTIONS.disputeItem, 'not as described', '[]');
    if (setup === 'itemBuyerOffer')
      await onItem(buyer, TRANSACTIONS.offerItemSettlement, MATRIX_OFFER_REFUND);
    return;
  }
  await onItem(buyer, TRANSACTIONS.rejectItem, 'wrong size');
  if (setup === 'itemRejected') return;
  await onItem(seller, TRANSACTIONS.provideReturnAddress, sha256Hex(`return address of ${trade.escrowId}`));
  if (setup === 'itemReturnAddressed') return;
  await onItem(buyer, TRANSACTIONS.shipReturn, 'UPS', `ret-${trade.escrowId}`);
}

/** Runs `tasks` with at most `limit` at once (preparing many escrows without flooding the peers). */
export async function inBatches<T>(tasks: readonly (() => Promise<T>)[], limit = 8): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < tasks.length; index = next++) {
      const task = tasks[index];
      if (task !== undefined) results[index] = await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
