// A create re-run after its first attempt lost the idempotency lease may find the escrow already on
// the ledger (ESCROW_EXISTS). If that escrow was created by this caller from this very request, the
// first attempt did commit: answer as it would have, with the creating transaction and block.
import type { Escrow } from '@p2p-escrow/chaincode';
import type { CreateEscrowRequest, SubmitOutcome } from '../../fabric/escrowLedgerClient';
import type { LedgerCaller } from '../../fabric/gatewayCache';
import type { RouteContext } from '../routeContext';

const instantFields = new Set(['acceptBy', 'fundBy', 'shipBy']);

function sameValue(field: string, requested: unknown, stored: unknown): boolean {
  if (instantFields.has(field) && typeof requested === 'string' && typeof stored === 'string')
    return Date.parse(requested) === Date.parse(stored);
  return JSON.stringify(requested) === JSON.stringify(stored);
}

/** Whether `created` (the escrow as first committed) is what `request` by `userId` would have made. */
export function createdFromRequest(created: Escrow, request: CreateEscrowRequest, userId: string): boolean {
  if (created.createdBy.userId !== userId) return false;
  const stored: Readonly<Record<string, unknown>> = { ...created };
  return Object.entries(request).every(
    ([field, value]) => !(field in stored) || sameValue(field, value, stored[field]),
  );
}

/** The committed outcome of an earlier attempt of this create, or undefined if the escrow is another's. */
export async function earlierCreation(
  context: RouteContext,
  caller: LedgerCaller,
  escrowId: string,
  request: CreateEscrowRequest,
  userId: string,
): Promise<SubmitOutcome<Escrow> | undefined> {
  const [first] = await context.ledger.history(caller, escrowId);
  if (first?.escrow === null || first === undefined) return undefined;
  if (!createdFromRequest(first.escrow, request, userId)) return undefined;
  return {
    status: 'COMMITTED',
    transactionId: first.txId,
    blockNumber: first.blockNumber,
    result: await context.ledger.readEscrow(caller, escrowId),
  };
}
