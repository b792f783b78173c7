// Money arithmetic in integer minor units (BigInt), and the fee rule shared by every payout.

export const BASIS_POINTS_PER_UNIT = 10_000;

/** ISO 4217 codes accepted for escrows. */
export const CURRENCIES = [
  'AUD',
  'BRL',
  'CAD',
  'CHF',
  'CNY',
  'CZK',
  'DKK',
  'EUR',
  'GBP',
  'HKD',
  'INR',
  'JPY',
  'MXN',
  'NOK',
  'NZD',
  'PLN',
  'SEK',
  'SGD',
  'USD',
  'ZAR',
] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Largest amount accepted: 18 decimal digits. */
export const MAX_AMOUNT = 10n ** 18n - 1n;

/** The marketplace fee on an amount paid to the seller, rounded down to the minor unit. */
export function feeOn(sellerShare: bigint, feeBps: number): bigint {
  return (sellerShare * BigInt(feeBps)) / BigInt(BASIS_POINTS_PER_UNIT);
}

export function sum(values: readonly bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}

/** The buyer's part of a fee: its share in basis points of the fee, rounded down to the minor unit. */
export function buyerPartOf(fee: bigint, buyerFeeShareBps: number): bigint {
  return (fee * BigInt(buyerFeeShareBps)) / BigInt(BASIS_POINTS_PER_UNIT);
}

/**
 * What the buyer pays in at funding: the goods amount and the buyer's share of the fee on all of
 * it. A split that leaves the seller less charges less fee, and the unused part goes back to the buyer.
 */
export function amountDue(escrow: { readonly amount: string; readonly buyerFee: string }): string {
  return (BigInt(escrow.amount) + BigInt(escrow.buyerFee)).toString();
}
