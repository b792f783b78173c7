// The one place Stripe's errors become the port's: the SDK's error classes, read by type, never by
// message.
import Stripe from 'stripe';
import {
  IdempotencyConflictError,
  ProviderRefusedError,
  ProviderUnavailableError,
} from '../port/paymentErrors';

/** Runs a provider call, turning the SDK's errors into the port's typed errors. */
export async function providerCall<T>(
  idempotencyKey: string | undefined,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw portErrorOf(error, idempotencyKey);
  }
}

function portErrorOf(error: unknown, idempotencyKey: string | undefined): unknown {
  const errors = Stripe.errors;
  if (!(error instanceof errors.StripeError)) return error;
  if (error instanceof errors.StripeIdempotencyError)
    return new IdempotencyConflictError(idempotencyKey ?? '(none)', error.message);
  if (
    error instanceof errors.StripeConnectionError ||
    error instanceof errors.StripeAPIError ||
    error instanceof errors.StripeRateLimitError
  )
    return new ProviderUnavailableError(error.message);
  return new ProviderRefusedError(error.code, error.message, error.requestId);
}
