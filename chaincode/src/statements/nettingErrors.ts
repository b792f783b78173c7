// Why a set of obligations cannot be netted: each a stable code, raised before any statement exists.

export type NettingErrorCode =
  | 'NETTING_OBLIGATION_INVALID'
  | 'NETTING_DUPLICATE_ESCROW'
  | 'NETTING_MIXED_CURRENCIES';

export class NettingError extends Error {
  constructor(
    readonly code: NettingErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'NettingError';
  }
}
