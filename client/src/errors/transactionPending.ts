// A write the gateway could not see committed in time answers 202 with its transaction id instead of
// the escrow: the caller asks GET /v1/transactions/{txId} later. `committed` narrows a write's result
// to the committed answer, or throws TRANSACTION_PENDING carrying where to ask.
import type { components } from '../generated/gatewayApi';
import { unwrap } from './apiProblemError';
import { ClientError } from './clientError';

export type PendingTransaction = components['schemas']['PendingTransaction'];

export class TransactionPendingError extends ClientError {
  constructor(readonly pending: PendingTransaction) {
    super(
      'TRANSACTION_PENDING',
      `transaction ${pending.transactionId} not committed yet; see ${pending.statusUrl}`,
    );
    this.name = 'TransactionPendingError';
  }
}

function isPending(data: object): data is PendingTransaction {
  return 'status' in data && data.status === 'PENDING' && 'transactionId' in data;
}

/** The committed answer of a write; TransactionPendingError when the gateway answered 202 instead. */
export function committed<Data extends object>(result: {
  readonly data?: Data;
  readonly error?: unknown;
  readonly response: Response;
}): Exclude<Data, PendingTransaction> {
  const data: Data = unwrap(result);
  if (isPending(data)) throw new TransactionPendingError(data);
  return data as Exclude<Data, PendingTransaction>;
}
