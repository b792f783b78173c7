// Why a settlement could not be completed now; the escrow is parked with the code and tried again.

export type SettlementErrorCode = 'SETTLEMENT_PAYEE_ACCOUNT_MISSING' | 'SETTLEMENT_PLAN_INVALID';

export class SettlementError extends Error {
  constructor(
    readonly code: SettlementErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'SettlementError';
  }
}

/** The stable code of any failure: ours, the provider port's, the ledger's, or UNEXPECTED. */
export function failureCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return 'SETTLEMENT_UNEXPECTED_FAILURE';
}
