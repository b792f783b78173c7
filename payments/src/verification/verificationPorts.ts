// The verification gate's ports: the ledger (attest a party's status as the marketplace's payments
// identity) and the marketplace's records of its parties' verifications and of the payouts waiting
// for one. Adapters: funding/fabricFundingLedger.ts (the same connection as funding) and
// store/pgVerificationStore.ts.
import type { VerificationStatus } from '@p2p-escrow/chaincode';

export interface VerificationLedger {
  /** `attestVerification(partyId, statusHashHex, status)`, answered once committed on the own peer. */
  attestVerification(
    partyId: string,
    statusHash: string,
    status: VerificationStatus,
  ): Promise<{ readonly transactionId: string }>;
}

/** What the marketplace holds of one party's verification (its latest session). */
export interface PartyVerification {
  readonly userId: string;
  readonly verificationId: string;
  readonly status: 'pending' | VerificationStatus;
  readonly statusHash: string | undefined;
  readonly statusAt: Date | undefined;
  readonly attestedTxId: string | undefined;
  readonly startedAt: Date;
  readonly updatedAt: Date;
}

export interface VerificationStatusChange {
  readonly eventId: string;
  readonly userId: string;
  readonly verificationId: string;
  readonly status: VerificationStatus;
  readonly statusHash: string;
  readonly statusAt: Date;
  readonly attestedTxId: string;
}

export interface PartyVerifications {
  find(userId: string): Promise<PartyVerification | undefined>;
  /** Whether the event was acted on before (a repeated delivery). */
  seen(eventId: string): Promise<boolean>;
  /** Records the event and the party's new status in one transaction; false when it was seen already. */
  record(change: VerificationStatusChange): Promise<boolean>;
  isVerified(userId: string): Promise<boolean>;
}

/** A seller's payout held back while the escrow itself is released. */
export interface PendingPayout {
  readonly escrowId: string;
  readonly sellerId: string;
  readonly reason: string;
  readonly pendingSince: Date;
}

export interface PendingPayouts {
  hold(escrowId: string, sellerId: string, reason: string): Promise<void>;
  release(escrowId: string): Promise<void>;
  find(escrowId: string): Promise<PendingPayout | undefined>;
  /** Escrows whose payout waits for a seller who is verified by now, oldest first. */
  releasable(limit: number): Promise<string[]>;
}
