// The identity-verification gate on payouts: a seller's payout goes out only once the seller's
// marketplace holds the seller verified. Until then the escrow stays as the ledger has it (released,
// resolved) and the payout waits in pending_payouts with its reason, visible on the gateway's payout
// view; the settlement worker pays it once the provider's verified event arrives. Off, it lets every
// payout through (a marketplace that verifies its sellers before they may sell).
import type { PartyVerifications, PendingPayouts } from '../verification/verificationPorts';

export const SELLER_NOT_VERIFIED = 'SELLER_NOT_VERIFIED';

export class PayoutGate {
  constructor(
    private readonly verifications: Pick<PartyVerifications, 'isVerified'>,
    private readonly pending: PendingPayouts,
    private readonly enabled: boolean,
  ) {}

  /** Whether the seller's payout of `escrowId` must wait; a waiting one is recorded with its reason. */
  async holds(escrowId: string, sellerId: string): Promise<string | undefined> {
    if (!this.enabled || (await this.verifications.isVerified(sellerId))) return undefined;
    await this.pending.hold(escrowId, sellerId, SELLER_NOT_VERIFIED);
    return SELLER_NOT_VERIFIED;
  }

  /** The escrow owes no payout held here any more. */
  async released(escrowId: string): Promise<void> {
    if (this.enabled) await this.pending.release(escrowId);
  }

  /** Escrows whose held payout may go now that their seller is verified. */
  releasable(limit: number): Promise<string[]> {
    return this.enabled ? this.pending.releasable(limit) : Promise.resolve([]);
  }
}
