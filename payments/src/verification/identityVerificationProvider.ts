// The identity-verification provider port: what the payout gate needs from whoever verifies a
// marketplace's sellers (Stripe Identity, Onfido, Mangopay KYC). A marketplace opens a verification
// session for one of its parties; the provider later reports the outcome in signed webhook events,
// verified with the payment port's own `verifyEvent` (one endpoint secret, one signature check) and read
// as `verification.status` events. The person's documents stay with the provider.
import type { VerificationStatus } from '@p2p-escrow/chaincode';
import type { EventVerification } from '../port/paymentProvider';

export interface VerificationRequest {
  /** The party's marketplace (its org name on the ledger): it opens the session and holds the status. */
  readonly marketplace: string;
  readonly userId: string;
}

export interface StartedVerification {
  /** The provider's session id (Stripe: `vs_…`): what later events name and the attestation hashes. */
  readonly verificationId: string;
  /** Handed to the party's client to complete the verification with the provider (null if none). */
  readonly clientSecret: string | null;
  /** The provider's hosted page for the party, when it offers one. */
  readonly url: string | null;
}

/** A provider event about a verification session, in the port's terms. */
export interface VerificationEvent {
  readonly kind: 'verification.status';
  readonly eventId: string;
  readonly createdAt: Date;
  readonly verificationId: string;
  /** From the session's metadata; undefined when the session was not opened by a marketplace of ours. */
  readonly marketplace: string | undefined;
  readonly userId: string | undefined;
  readonly status: VerificationStatus;
}

export interface IdentityVerificationProvider {
  /** Opens a verification session for the party. */
  startVerification(request: VerificationRequest): Promise<StartedVerification>;
  /** The same check as the payment port's: signature over the raw body, timestamp within tolerance. */
  verifyEvent(rawBody: string | Uint8Array, signatureHeader: string | undefined): EventVerification;
}
