// Why a set of obligations cannot be netted: each a stable code of the chaincode's refusals, raised
// before any statement exists.
import { EscrowError } from '../errors/escrowErrors';

export type NettingErrorCode =
  | 'NETTING_OBLIGATION_INVALID'
  | 'NETTING_DUPLICATE_ESCROW'
  | 'NETTING_MIXED_CURRENCIES';

export class NettingError extends EscrowError {
  constructor(
    readonly code: NettingErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}
