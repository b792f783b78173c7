// What every route needs: the ledger client, the escrow search, the user → Fabric identity resolver and
// the audit log.
import type { EscrowSearchStore, PgWebhookStore } from '@p2p-escrow/offchain-db';
import type { Response } from 'express';
import type { EscrowLedgerClient, SubmitOutcome } from '../fabric/escrowLedgerClient';
import type { IdentityResolver } from '../identity/identityResolver';
import type { AuditLog } from '../observability/auditLog';

export interface RouteContext {
  readonly ledger: EscrowLedgerClient;
  readonly search: EscrowSearchStore;
  readonly identities: IdentityResolver;
  readonly audit: AuditLog;
  readonly webhooks: PgWebhookStore;
}

/** Committed → `status` with the result under `resultKey`; commit still pending → 202 with the tx id. */
export function sendOutcome<T>(
  response: Response,
  outcome: SubmitOutcome<T>,
  status: number,
  resultKey: 'escrow' | 'review',
): void {
  response.locals['transactionId'] = outcome.transactionId;
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
