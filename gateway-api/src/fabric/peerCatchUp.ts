// Read-your-writes across organizations. A submit learns its commit status from the caller's own
// peer, but the next request — the other party's, at any replica — reads and endorses on its own
// org's peer, which may commit the same block a little later. Without this wait a fund right after a
// create could be endorsed by a peer that has not seen the create yet and answer ESCROW_NOT_FOUND.
// A write is therefore answered once every peer the gateway goes through has committed it.
//
// Each other org's peer is followed through ONE filtered block stream, opened at the first write and
// kept: a write's waiter is resolved by its transaction id when that peer's stream shows it (or any
// later block), instead of a commit-status request to every other peer for every transaction.
import type { Gateway } from '@hyperledger/fabric-gateway';
import { PeerBlockFeed, type WaitOutcome } from './peerBlockFeed';
import type { GatewayCache, LedgerCaller } from './gatewayCache';

export type CatchUpOutcome = WaitOutcome;

export interface CatchUpMetrics {
  observeCatchUp(org: string, outcome: CatchUpOutcome, seconds: number): void;
  countBlockStreamOpened(org: string): void;
}

export class PeerCatchUp {
  readonly #feeds = new Map<string, PeerBlockFeed<Gateway>>();

  constructor(
    private readonly gateways: GatewayCache,
    private readonly orgNames: readonly string[],
    private readonly channel: string,
    private readonly deadlineMs: number,
    private readonly metrics: CatchUpMetrics,
  ) {}

  /**
   * Waits until the peers of every org other than the caller's have committed the transaction (in
   * block `blockNumber` on the caller's peer). A peer that is down or slower than the deadline is
   * counted and skipped, never fails the write: the transaction is already committed on the ledger.
   */
  async wait(caller: LedgerCaller, transactionId: string, blockNumber: bigint): Promise<void> {
    const others = this.orgNames.filter((org) => org !== caller.org);
    await Promise.all(
      others.map(async (org) => {
        const started = performance.now();
        // The stream signs as the caller of the write that opens (or reopens) it: any channel member may read blocks.
        const outcome = await this.feedOf(org).waitFor(
          transactionId,
          blockNumber,
          () => this.gateways.gatewayFor({ ...caller, org }),
          this.deadlineMs,
        );
        this.metrics.observeCatchUp(org, outcome, (performance.now() - started) / 1000);
      }),
    );
  }

  close(): void {
    for (const feed of this.#feeds.values()) feed.close();
    this.#feeds.clear();
  }

  private feedOf(org: string): PeerBlockFeed<Gateway> {
    let feed = this.#feeds.get(org);
    if (feed === undefined) {
      feed = new PeerBlockFeed<Gateway>(
        (gateway: Gateway, startBlock: bigint) =>
          gateway.getNetwork(this.channel).getFilteredBlockEvents({ startBlock }),
        () => {
          this.metrics.countBlockStreamOpened(org);
        },
      );
      this.#feeds.set(org, feed);
    }
    return feed;
  }
}
