// Bounded retries with exponential backoff and full jitter, for failures the ledger marks retryable
// (MVCC read conflicts, an unavailable peer or orderer).
import { LedgerError } from './ledgerErrors';

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_500 };

export function isRetryable(error: unknown): error is LedgerError {
  return error instanceof LedgerError && error.retryable;
}

export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry: (error: LedgerError, attempt: number) => void = () => undefined,
  random: () => number = Math.random,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.attempts) throw error;
      onRetry(error, attempt);
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.round(random() * ceiling)));
    }
  }
}
