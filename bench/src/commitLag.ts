// Lag measured from a block's commit on a peer, as the bench's filtered block stream from that peer saw
// it (ChainWatch: block number → ms since the epoch), to something a service then did with the block's
// transactions (a row written, a message acknowledged, a decision recorded). Used for the risk service's
// decisions and the auditor's mirror, both fed by Oversight's peer.
import type { LagSeconds } from './mirrorLag';
import { percentile } from './stats';

/** A row of something a service did with a transaction: its block, and its transaction's timestamp. */
export interface CommittedRow {
  readonly blockNumber: number;
  /** The transaction's timestamp, ms since the epoch. */
  readonly txTimeMs: number;
}

/** The rows whose transaction is timestamped in [from, to). */
export function timestampedIn<T extends CommittedRow>(rows: readonly T[], from: Date, to: Date): T[] {
  return rows.filter((row) => row.txTimeMs >= from.getTime() && row.txTimeMs < to.getTime());
}

export interface CommitLag {
  /** Rows done, and of those, whose block the bench did not see committed (not in the figures). */
  readonly done: number;
  readonly withoutCommitTime: number;
  readonly seconds: LagSeconds;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * Percentiles of commit → done (`doneAt`: ms since the epoch, undefined while not done) over the rows
 * done, in seconds to the millisecond. A row done before the bench saw its block (the peer's event
 * stream trails the commit) counts as zero, not as negative.
 */
export function lagFromCommit<T extends CommittedRow>(
  rows: readonly T[],
  commits: ReadonlyMap<number, number>,
  doneAt: (row: T) => number | undefined,
): CommitLag {
  const lags: number[] = [];
  let done = 0;
  let withoutCommitTime = 0;
  for (const row of rows) {
    const at = doneAt(row);
    if (at === undefined) continue;
    done += 1;
    const committedAt = commits.get(row.blockNumber);
    if (committedAt === undefined) withoutCommitTime += 1;
    else lags.push(Math.max(0, at - committedAt));
  }
  lags.sort((a, b) => a - b);
  return {
    done,
    withoutCommitTime,
    seconds: {
      p50: seconds(percentile(lags, 50)),
      p95: seconds(percentile(lags, 95)),
      p99: seconds(percentile(lags, 99)),
      max: seconds(lags.at(-1) ?? Number.NaN),
    },
  };
}
