// A burst of escrow lifecycles on the live network: `concurrency` workers each run trades (propose,
// accept, fund, ship, confirm delivery, release) until told to stop; cross- and same-marketplace alternate.
import { channelName } from '@p2p-escrow/scripts';
import type { GatewayPool } from '../ledger/escrowLedger';
import { CROSS_MARKET, SAME_MARKET_B, Trade } from '../ledger/escrowTrade';

export interface BurstResult {
  readonly escrowIds: string[];
  readonly lastBlock: bigint;
  readonly transactions: number;
  readonly failures: string[];
}

export async function escrowBurst(
  pool: GatewayPool,
  concurrency: number,
  keepGoing: () => boolean,
): Promise<BurstResult> {
  const escrowIds: string[] = [];
  const failures: string[] = [];
  let lastBlock = 0n;
  let transactions = 0;
  const worker = async (index: number) => {
    for (let round = 0; keepGoing(); round += 1) {
      const trade = new Trade(pool, (index + round) % 2 === 0 ? CROSS_MARKET : SAME_MARKET_B, 'burst');
      escrowIds.push(trade.escrowId);
      try {
        for (const step of [
          () => trade.propose(),
          () => trade.accept(),
          () => trade.fund(),
          () => trade.ship(),
          () => trade.confirmDelivery(),
          () => trade.release(),
        ]) {
          await step();
          transactions += 1;
        }
      } catch (error) {
        failures.push(`${trade.escrowId}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (trade.lastBlock > lastBlock) lastBlock = trade.lastBlock;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  return { escrowIds, lastBlock, transactions, failures };
}

/** Records when the peer delivers each block (the moment the mirror could first see it). */
export async function watchBlockArrivals(
  pool: GatewayPool,
): Promise<{ arrivals: Map<bigint, number>; stop: () => void }> {
  const network = pool.onPeer('Oversight').getNetwork(channelName);
  const events = await network.getBlockEvents();
  const arrivals = new Map<bigint, number>();
  void (async () => {
    try {
      for await (const block of events) {
        arrivals.set(BigInt(block.getHeader()?.getNumber() ?? -1), Date.now());
      }
    } catch {
      // Closed.
    }
  })();
  return {
    arrivals,
    stop: () => {
      events.close();
    },
  };
}
