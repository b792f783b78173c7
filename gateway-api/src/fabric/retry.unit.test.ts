import { expect } from 'chai';
import { LedgerError } from './ledgerErrors';
import { withRetry } from './retry';

const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

describe('bounded retry', () => {
  it('retries a retryable ledger error until it succeeds', async () => {
    let calls = 0;
    const retried: number[] = [];
    const result = await withRetry(
      () => {
        calls += 1;
        if (calls < 3) return Promise.reject(new LedgerError(409, 'MVCC_READ_CONFLICT', 'conflict', true));
        return Promise.resolve('done');
      },
      policy,
      (_error, attempt) => retried.push(attempt),
    );
    expect(result).to.equal('done');
    expect(retried).to.deep.equal([1, 2]);
  });

  it('gives up after the bound and rethrows the last error', async () => {
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new LedgerError(503, 'LEDGER_UNAVAILABLE', 'down', true));
    };
    await withRetry(failing, policy).then(
      () => expect.fail('should fail'),
      (error: unknown) => expect((error as LedgerError).code).to.equal('LEDGER_UNAVAILABLE'),
    );
    expect(calls).to.equal(3);
  });

  it('never retries a refusal', async () => {
    let calls = 0;
    const refusing = () => {
      calls += 1;
      return Promise.reject(new LedgerError(403, 'FORBIDDEN_ACTOR', 'no', false));
    };
    await withRetry(refusing, policy).catch(() => undefined);
    expect(calls).to.equal(1);
  });
});
