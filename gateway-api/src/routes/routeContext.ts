// What every route needs: the ledger client, the escrow search, the user → Fabric identity resolver,
// the audit log, the record of who submitted which transaction, the payment provider, and the events
// API's reads and webhook redelivery, and the review-ring flags.
import type {
  EscrowSearchStore,
  FlaggedReviews,
  PgWebhookStore,
  WebhookRedelivery,
} from '@p2p-escrow/offchain-db';
import type { Response } from 'express';
import type { ConsortiumViews } from './consortium/consortiumRoutes';
import type { EscrowLedgerClient, SubmitOutcome } from '../fabric/escrowLedgerClient';
import type { IdentityResolver } from '../identity/identityResolver';
import type { Principal } from '../auth/principal';
import type { LedgerCaller } from '../fabric/gatewayCache';
import type { AuditLog } from '../observability/auditLog';
import type { EventStore } from '../store/pgEventStore';
import type { PaymentCollector } from './escrows/createPayment';
import type { VerificationDesk } from './parties/partyVerification';
import { submitterOf, type TransactionRegistry } from './transactions/transactionAccess';

export interface RouteContext {
  readonly ledger: EscrowLedgerClient;
  readonly search: EscrowSearchStore;
  readonly identities: IdentityResolver;
  readonly audit: AuditLog;
  readonly webhooks: PgWebhookStore;
  readonly transactions: TransactionRegistry;
  /** Opens buyers' payments at the provider; the gateway holds no endpoint secret and funds nothing. */
  readonly payments: PaymentCollector;
  /** The org's projection's events (the events API). */
  readonly events: EventStore;
  readonly redelivery: WebhookRedelivery;
  /** The reviews the current review-ring run flagged, which reputation also reports without. */
  readonly flaggedReviews: FlaggedReviews;
  /** The consortium's read-only views: peers' heights, the chaincode definition, trust anchors, mirror lag. */
  readonly consortium: ConsortiumViews;
  /** A marketplace's gateway: its parties' identity verifications and held payouts (absent at Oversight's). */
  readonly verifications?: VerificationDesk;
}

/**
 * Records who submitted the transaction (only they, their marketplace and auditors may read its
 * status later), then answers: committed → `status` with the result under `resultKey`; commit still
 * pending → 202 with the tx id.
 */
export async function sendOutcome<T>(
  context: RouteContext,
  response: Response,
  submitted: { readonly principal: Principal; readonly caller: LedgerCaller },
  outcome: SubmitOutcome<T>,
  status: number,
  resultKey: 'escrow' | 'review',
): Promise<void> {
  response.locals['transactionId'] = outcome.transactionId;
  await context.transactions.record(
    outcome.transactionId,
    submitterOf(submitted.principal, submitted.caller.org),
  );
  if (outcome.status === 'PENDING') {
    const statusUrl = `/v1/transactions/${outcome.transactionId}`;
    response
      .status(202)
      .location(statusUrl)
      .json({ transactionId: outcome.transactionId, status: 'PENDING', statusUrl });
    return;
  }
  response.status(status).json({
    transactionId: outcome.transactionId,
    blockNumber: outcome.blockNumber,
    [resultKey]: outcome.result,
  });
}
