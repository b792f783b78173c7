// Escrows prepared in the state each row of the authorization matrix needs, straight on the ledger
// with the identities a deployment would use (Trade), so both walks start from the same states.
import * as crypto from 'node:crypto';
import { CROSS_MARKET, Trade, untilPast, type TradeParties } from '../ledger/escrowTrade';
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
  await trade.dispute();
  if (setup === 'buyerOffer')
    await trade.step(trade.parties.buyer, 'offerSettlement', [trade.escrowId, MATRIX_OFFER_REFUND]);
  return trade;
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
