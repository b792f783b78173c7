import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import {
  GatewayError,
  type Status,
  type SubmittedTransaction,
  type Transaction,
} from '@hyperledger/fabric-gateway';
import { expect } from 'chai';
import {
  offerUntilTaken,
  orderersMayTakeItLater,
  reofferWhileAwaited,
  submitUntilCommitted,
  type OfferClock,
} from './transactionOffer';

/** A clock whose time moves only when a sleep is let go by the test. */
class ManualClock implements OfferClock {
  time = 0;
  readonly sleeps: { ms: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.time += ms;
        resolve();
      };
      signal?.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
      this.sleeps.push({ ms, wake });
    });
  }

  /** Lets the oldest pending sleep end, then lets the woken code run up to its next await. */
  async wakeNext(): Promise<void> {
    this.sleeps.shift()?.wake();
    await settled();
  }
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

class Refused extends Error {}
const isRefusal = (error: unknown) => error instanceof Refused;

/** Auto-advancing: every sleep ends at once, moving the time on. */
const instantClock = (): OfferClock & { time: number } => {
  const clock = {
    time: 0,
    now: () => clock.time,
    sleep: (ms: number) => {
      clock.time += ms;
      return Promise.resolve();
    },
  };
  return clock;
};

describe('offering a transaction to the orderers', () => {
  it('offers the same transaction again after refusals until an orderer takes it', async () => {
    const answers = [new Refused('no Raft leader'), new Refused('no Raft leader'), 'taken'];
    let offers = 0;
    const taken = await offerUntilTaken(
      () => {
        const answer = answers[offers++];
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
      isRefusal,
      20_000,
      instantClock(),
    );
    expect(taken).to.equal('taken');
    expect(offers).to.equal(3);
  });

  it('throws at once a failure that is not a refusal (the orderer may hold the transaction)', async () => {
    let offers = 0;
    const failed = await offerUntilTaken(
      () => {
        offers += 1;
        return Promise.reject(new Error('stream broken'));
      },
      isRefusal,
      20_000,
      instantClock(),
    ).catch((error: unknown) => error);
    expect(failed).to.be.instanceOf(Error).and.not.instanceOf(Refused);
    expect(offers).to.equal(1);
  });

  it('gives up with the last refusal once the window has passed', async () => {
    const clock = instantClock();
    let offers = 0;
    const failed = await offerUntilTaken(
      () => {
        offers += 1;
        return Promise.reject(new Refused(`refusal ${String(offers)}`));
      },
      isRefusal,
      5_000,
      clock,
    ).catch((error: unknown) => error);
    expect(failed).to.be.instanceOf(Refused);
    expect((failed as Error).message).to.equal(`refusal ${String(offers)}`);
    expect(clock.time).to.be.at.most(5_000);
    expect(offers).to.be.greaterThan(3);
  });

  it('offers again each interval while the commit status is awaited, and not after stop', async () => {
    const clock = new ManualClock();
    let offers = 0;
    const reoffers = reofferWhileAwaited(
      () => {
        offers += 1;
        // A failed offer (the caller's peer down) does not end the offers.
        return offers === 1 ? Promise.reject(new Error('peer unavailable')) : Promise.resolve();
      },
      8_000,
      clock,
    );
    await settled();
    expect(offers, 'none before the first interval').to.equal(0);
    expect(clock.sleeps.map((sleep) => sleep.ms)).to.deep.equal([8_000]);
    await clock.wakeNext();
    expect(offers).to.equal(1);
    await clock.wakeNext();
    expect(offers).to.equal(2);
    expect(reoffers.stop()).to.equal(2);
    await clock.wakeNext();
    expect(offers, 'none after stop').to.equal(2);
  });

  describe('submitUntilCommitted: every ledger writer’s submit', () => {
    /** What fabric-gateway throws when the orderers did not take a transaction (its SubmitError). */
    const submitError = (code: GrpcStatus) =>
      Object.assign(
        new GatewayError({
          code,
          details: [],
          cause: Object.assign(new Error('orderer'), { code }) as unknown as ServiceError,
        }),
        { name: 'SubmitError', transactionId: 'tx-1' },
      );
    const committed = { successful: true, transactionId: 'tx-1', blockNumber: 9n } as unknown as Status;
    /** A transaction whose submits answer in turn from `answers` (an Error is thrown). */
    const transactionAnswering = (answers: (Error | 'taken')[]) => {
      let submits = 0;
      const transaction = {
        submit: () => {
          const answer = answers[Math.min(submits, answers.length - 1)];
          submits += 1;
          if (answer instanceof Error) return Promise.reject(answer);
          return Promise.resolve({ getStatus: () => Promise.resolve(committed) } as SubmittedTransaction);
        },
      } as unknown as Transaction;
      return { transaction, submits: () => submits };
    };

    it('offers the same transaction again while no orderer can take it, then returns its status', async () => {
      const { transaction, submits } = transactionAnswering([
        submitError(GrpcStatus.UNAVAILABLE),
        submitError(GrpcStatus.DEADLINE_EXCEEDED),
        'taken',
      ]);
      let reoffered = 0;
      const status = await submitUntilCommitted(
        transaction,
        { refusedWindowMs: 5_000, reofferIntervalMs: 60_000 },
        { reoffered: () => (reoffered += 1) },
      );
      expect(status).to.equal(committed);
      expect(submits()).to.equal(3);
      expect(reoffered).to.equal(2);
    });

    it('does not offer again what the orderers refused outright', async () => {
      const refused = submitError(GrpcStatus.ABORTED);
      expect(orderersMayTakeItLater(refused)).to.equal(false);
      expect(orderersMayTakeItLater(new Error('UNAVAILABLE'))).to.equal(false);
      const { transaction, submits } = transactionAnswering([refused, 'taken']);
      const failed: unknown = await submitUntilCommitted(transaction).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failed).to.equal(refused);
      expect(submits()).to.equal(1);
    });
  });
});
