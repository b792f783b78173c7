// Read-your-writes across organizations. A submit learns its commit status from the caller's own
// peer, but the next request — the other party's, at any replica — reads and endorses on its own
// org's peer, which may commit the same block a little later. Without this wait a fund right after a
// create could be endorsed by a peer that has not seen the create yet and answer ESCROW_NOT_FOUND.
// A write is therefore answered once every peer the gateway goes through has committed it.
import type { Commit } from '@hyperledger/fabric-gateway';
import type { GatewayCache, LedgerCaller } from './gatewayCache';

export type CatchUpOutcome = 'committed' | 'invalid' | 'failed';

export interface CatchUpMetrics {
  observeCatchUp(org: string, outcome: CatchUpOutcome, seconds: number): void;
  countPeerCall(kind: 'commit_status', transaction: string): void;
}

export class PeerCatchUp {
  constructor(
    private readonly gateways: GatewayCache,
    private readonly orgNames: readonly string[],
    private readonly deadlineMs: number,
    private readonly metrics: CatchUpMetrics,
  ) {}

  /**
   * Waits until the peers of every org other than the caller's report `commit` committed. The same
   * signed commit-status request is asked of each peer, which answers as soon as it has the block.
   * A peer that is down or slower than the deadline is counted and skipped, never fails the write:
   * the transaction is already committed on the ledger.
   */
  async wait(caller: LedgerCaller, commit: Commit): Promise<void> {
    const bytes = commit.getBytes();
    const others = this.orgNames.filter((org) => org !== caller.org);
    await Promise.all(
      others.map(async (org) => {
        const started = performance.now();
        let outcome: CatchUpOutcome;
        try {
          this.metrics.countPeerCall('commit_status', 'peer-catch-up');
          const status = await this.gateways
            .gatewayFor({ ...caller, org })
            .newCommit(bytes)
            .getStatus({ deadline: Date.now() + this.deadlineMs });
          outcome = status.successful ? 'committed' : 'invalid';
        } catch {
          outcome = 'failed';
        }
        this.metrics.observeCatchUp(org, outcome, (performance.now() - started) / 1000);
      }),
    );
  }
}
