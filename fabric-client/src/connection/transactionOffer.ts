// A signed transaction offered to the ordering service again, under its own id, when the orderers
// refused it or may have dropped it. A Raft orderer answers "taken" once it has forwarded a
// transaction to its leader (or put it in its own next batch); when that leader dies, the transaction
// is gone though "taken" was answered, and until the survivors elect another leader (an election
// timeout, 5–10 s here) every orderer refuses. Nothing would ever deliver such a transaction, and a
// 202 "pending" for it would stay pending for good. Offering the SAME envelope again is safe where a
// new transaction is not: peers commit one transaction id once (a later copy is marked DUPLICATE_TXID
// and writes nothing), so at most one copy can commit VALID.
//
// Every client that writes to the ledger (the gateway, the keeper, the settlement worker, the payments
// service, the risk service) submits through here, so a Raft leader's death costs it one election,
// not a commit-status deadline.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { GatewayError, type Status, type Transaction } from '@hyperledger/fabric-gateway';

export interface OfferClock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: OfferClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted === true) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface OfferPolicy {
  /** How long a transaction no orderer could take is offered again (a Raft election fits in it). */
  readonly refusedWindowMs: number;
  /** While its commit status is awaited, the transaction is offered again each time this passes. */
  readonly reofferIntervalMs: number;
}

/**
 * The re-offer while a status is awaited comes late on purpose. A copy of a transaction that did
 * commit is marked DUPLICATE_TXID, and its private data is gone from the peers' transient stores with
 * the first copy's commit: every peer of the collection then waits its private-data pull threshold
 * (60 s) for that copy's data before it commits the block, stalling every transaction behind it. So a
 * copy is offered again only once the wait says the transaction was lost, not that it is slow: a
 * healthy commit takes about a second, a loaded one seconds, and a Raft election 5–10 s.
 */
export const defaultOfferPolicy: OfferPolicy = { refusedWindowMs: 20_000, reofferIntervalMs: 30_000 };

/**
 * Offers the transaction until an orderer takes it: a failure `offerAgain` says a later offer may
 * pass (no orderer could take it now, or none answered in time) is offered again, with a growing
 * pause, while `windowMs` lasts; any other failure, or the last one, is thrown. Returns what the
 * taking offer returned.
 */
export async function offerUntilTaken<S>(
  offer: () => Promise<S>,
  offerAgain: (error: unknown) => boolean,
  windowMs: number,
  clock: OfferClock = realClock,
): Promise<S> {
  const until = clock.now() + windowMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await offer();
    } catch (error) {
      const pause = Math.min(2_000, 250 * attempt);
      if (clock.now() + pause > until || !offerAgain(error)) throw error;
      await clock.sleep(pause);
    }
  }
}

/** The offers made while a commit status was awaited; `stop` ends them (call it in `finally`). */
export interface Reoffers {
  /** Ends the offers (one under way finishes on its own, unawaited); returns how many were made. */
  stop(): number;
}

/**
 * While the caller awaits the transaction's commit status, offers it again every `intervalMs`
 * (the first time after `intervalMs`): an orderer that answered "taken" may have lost it. A failed
 * offer is ignored (the next one, or the status deadline, decides).
 */
export function reofferWhileAwaited(
  offer: () => Promise<unknown>,
  intervalMs: number,
  clock: OfferClock = realClock,
): Reoffers {
  const stopping = new AbortController();
  let offers = 0;
  void (async () => {
    for (;;) {
      await clock.sleep(intervalMs, stopping.signal);
      if (stopping.signal.aborted) return;
      offers += 1;
      await offer().catch(() => undefined);
    }
  })();
  return {
    stop: () => {
      stopping.abort();
      return offers;
    },
  };
}

/**
 * A submit that failed because no orderer could take the transaction now, or none answered in time:
 * the same signed transaction may be offered again. A refusal of the transaction itself (an orderer's
 * 4xx, ABORTED) would be refused again.
 */
export function orderersMayTakeItLater(error: unknown): boolean {
  return error instanceof GatewayError && error.name === 'SubmitError' && offerAgainCodes.has(error.code);
}

const offerAgainCodes = new Set<number>([GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED]);

/** What a submit through `submitUntilCommitted` reports as it goes (a service's metrics). */
export interface OfferObserver {
  /** The same transaction was offered to the orderers again. */
  reoffered?(): void;
}

/**
 * Hands an endorsed transaction to the orderers and waits for its commit status: offered again while
 * no orderer can take it (within `policy.refusedWindowMs`), and again every `policy.reofferIntervalMs`
 * while its status is awaited, in case an orderer that took it lost it. Resolves with the status
 * (valid or not); rejects with the last submit error or the status call's.
 */
export async function submitUntilCommitted(
  transaction: Transaction,
  policy: OfferPolicy = defaultOfferPolicy,
  observer: OfferObserver = {},
): Promise<Status> {
  const submitted = await offerUntilTaken(
    () => transaction.submit(),
    (error) => {
      const again = orderersMayTakeItLater(error);
      if (again) observer.reoffered?.();
      return again;
    },
    policy.refusedWindowMs,
  );
  const reoffers = reofferWhileAwaited(() => {
    observer.reoffered?.();
    return transaction.submit();
  }, policy.reofferIntervalMs);
  try {
    return await submitted.getStatus();
  } finally {
    reoffers.stop();
  }
}
