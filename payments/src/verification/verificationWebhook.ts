// The provider's verification events: verified with the port's `verifyEvent` (signature over the raw
// body, timestamp within the tolerance), matched with the session the marketplace opened for its own
// party, attested on the ledger as the marketplace's payments identity (a salted hash and the status),
// then recorded with the event id in one transaction. A forged or stale delivery is refused with the
// port's code; a repeated one, an event of another session, or one older than the status held changes
// nothing. A payout the gate held for the party is paid by the settlement worker once it sees the
// party verified (settlement/payoutGate.ts).
import { partyIdOf } from '@p2p-escrow/chaincode';
import { KeyedQueue } from '../funding/keyedQueue';
import type { WebhookRefusalCode } from '../port/paymentErrors';
import type { EventVerification } from '../port/paymentProvider';
import type { VerificationEvent } from './identityVerificationProvider';
import type { PartyVerifications, VerificationLedger } from './verificationPorts';
import { verificationStatusHash } from './verificationStatusHash';

export type VerificationRefusalCode =
  | WebhookRefusalCode
  /** The session names another marketplace, no party, or is not the party's current session here. */
  | 'VERIFICATION_UNKNOWN';

export type VerificationOutcome =
  | {
      readonly status: 'recorded';
      readonly partyId: string;
      readonly verificationStatus: VerificationEvent['status'];
      readonly transactionId: string;
    }
  /** Acted on before, or older than the status the marketplace holds: nothing changes. */
  | { readonly status: 'duplicate' | 'stale'; readonly eventId: string; readonly partyId: string }
  /** A provider event of another kind (payments go to the payment route): acknowledged, nothing done. */
  | { readonly status: 'ignored'; readonly eventId: string }
  | {
      readonly status: 'refused';
      readonly refusal: { readonly code: VerificationRefusalCode; readonly detail: string };
    };

export interface VerificationWebhookDependencies {
  readonly marketplace: string;
  readonly provider: { verifyEvent(raw: Uint8Array, signature: string | undefined): EventVerification };
  readonly ledger: VerificationLedger;
  readonly verifications: PartyVerifications;
  /** The marketplace's salt (verificationStatusHash.ts). */
  readonly salt: string;
}

export class VerificationWebhook {
  // One event per party at a time: a repeat waits for the first instead of attesting twice.
  readonly #perParty = new KeyedQueue();

  constructor(private readonly deps: VerificationWebhookDependencies) {}

  async receive(rawBody: Uint8Array, signatureHeader: string | undefined): Promise<VerificationOutcome> {
    const verification = this.deps.provider.verifyEvent(rawBody, signatureHeader);
    if (!verification.accepted) return { status: 'refused', refusal: verification.refusal };
    const event = verification.event;
    if (event.kind !== 'verification.status') return { status: 'ignored', eventId: event.eventId };
    const userId = event.userId;
    if (event.marketplace !== this.deps.marketplace || userId === undefined)
      return unknown(
        `session ${event.verificationId} was not opened by ${this.deps.marketplace} for a party`,
      );
    return this.#perParty.run(userId, () => this.applyOnce(event, userId));
  }

  private async applyOnce(event: VerificationEvent, userId: string): Promise<VerificationOutcome> {
    const partyId = partyIdOf({ marketplace: this.deps.marketplace, userId });
    if (await this.deps.verifications.seen(event.eventId))
      return { status: 'duplicate', eventId: event.eventId, partyId };
    const held = await this.deps.verifications.find(userId);
    if (held?.verificationId !== event.verificationId)
      return unknown(`session ${event.verificationId} is not ${partyId}'s current one`);
    if (held.statusAt !== undefined && held.statusAt > event.createdAt)
      return { status: 'stale', eventId: event.eventId, partyId };
    const statusHash = verificationStatusHash(event.verificationId, event.status, this.deps.salt);
    // Attested first: a record lost after it is attested again on the provider's next delivery (the
    // same hash and status), whereas a record before a lost attestation would answer that delivery
    // as a duplicate and leave the ledger behind.
    const { transactionId } = await this.deps.ledger.attestVerification(partyId, statusHash, event.status);
    const recorded = await this.deps.verifications.record({
      eventId: event.eventId,
      userId,
      verificationId: event.verificationId,
      status: event.status,
      statusHash,
      statusAt: event.createdAt,
      attestedTxId: transactionId,
    });
    if (!recorded) return { status: 'duplicate', eventId: event.eventId, partyId };
    return { status: 'recorded', partyId, verificationStatus: event.status, transactionId };
  }
}

function unknown(detail: string): VerificationOutcome {
  return { status: 'refused', refusal: { code: 'VERIFICATION_UNKNOWN', detail } };
}
