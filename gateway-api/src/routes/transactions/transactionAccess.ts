// Who may read the status of a transaction: the one who submitted it through the gateway, the
// backends of its marketplace, and auditors. A transaction id alone grants nothing.
import type { Principal } from '../../auth/principal';

/** Who submitted a transaction the gateway answered with, as recorded at that moment. */
export interface Submitter {
  readonly clientId: string;
  readonly userId: string;
  /** The organization whose identity signed it (the submitter's marketplace, or Oversight). */
  readonly organization: string;
}

/** The gateway's record of the transactions it submitted (table gateway.submitted_transactions). */
export interface TransactionRegistry {
  record(transactionId: string, submitter: Submitter): Promise<void>;
  submitterOf(transactionId: string): Promise<Submitter | undefined>;
}

export function submitterOf(principal: Principal, organization: string): Submitter {
  return { clientId: principal.clientId, userId: principal.userId, organization };
}

/** Auditors read any transaction, even one no gateway recorded (the keeper's, another gateway's). */
export function mayReadTransaction(principal: Principal, submitter: Submitter | undefined): boolean {
  if (principal.roles.has('auditor')) return true;
  if (submitter === undefined) return false;
  if (principal.clientId === submitter.clientId && principal.userId === submitter.userId) return true;
  return (
    (principal.roles.has('marketplace') || principal.roles.has('payments')) &&
    principal.marketplace === submitter.organization
  );
}
