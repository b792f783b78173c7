import { expect } from 'chai';
import { retryStep } from './stepRetry';

/** A step that fails `failures` times (as an endpoint not listening yet would), then answers. */
function notReadyFor(failures: number): { step: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    step: () => {
      calls++;
      return calls <= failures
        ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:7253'))
        : Promise.resolve('joined');
    },
    calls: () => calls,
  };
}

describe('retryStep', () => {
  it('retries a step until the endpoint it needs is ready', async () => {
    const node = notReadyFor(2);
    const retried: number[] = [];
    const answer = await retryStep(node.step, {
      attempts: 5,
      withinMs: 5_000,
      firstDelayMs: 1,
      onRetry: (attempt) => retried.push(attempt),
    });
    expect([answer, node.calls(), retried]).to.deep.equal(['joined', 3, [1, 2]]);
  });

  it('gives up after its attempts with the last failure', async () => {
    const node = notReadyFor(10);
    const failure = await retryStep(node.step, { attempts: 3, withinMs: 5_000, firstDelayMs: 1 }).catch(
      (error: unknown) => error,
    );
    expect(String(failure)).to.contain('ECONNREFUSED');
    expect(node.calls()).to.equal(3);
  });

  it('gives up once its time budget would be spent, however many attempts are left', async () => {
    const node = notReadyFor(10);
    const began = Date.now();
    await retryStep(node.step, { attempts: 1_000, withinMs: 200, firstDelayMs: 50, maxDelayMs: 50 }).catch(
      () => undefined,
    );
    expect(Date.now() - began).to.be.below(1_000);
    expect(node.calls()).to.be.within(2, 5);
  });
});
