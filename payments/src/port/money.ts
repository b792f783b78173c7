// Checks of the amounts and currencies a provider call carries, before anything is sent.
import { PaymentRequestInvalidError } from './paymentErrors';

/** An ISO 4217 code in upper case (`eur`, `EUR` → `EUR`). */
export function currencyCode(currency: string, field = 'currency'): string {
  const code = currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code))
    throw new PaymentRequestInvalidError(field, `${JSON.stringify(currency)} is not an ISO 4217 code`);
  return code;
}

/** A positive amount in minor units that a JSON number carries exactly. */
export function minorUnits(amount: bigint, field = 'amountMinor'): number {
  if (amount <= 0n) throw new PaymentRequestInvalidError(field, `${amount} is not a positive amount`);
  if (amount > BigInt(Number.MAX_SAFE_INTEGER))
    throw new PaymentRequestInvalidError(field, `${amount} is beyond what a provider accepts`);
  return Number(amount);
}

/** A non-empty identifier (escrow id, account, payee). */
export function identifier(value: string, field: string): string {
  if (value.trim() === '') throw new PaymentRequestInvalidError(field, 'must not be empty');
  return value;
}
