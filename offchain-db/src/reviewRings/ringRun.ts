// One run of the review-ring job: what it read, with which thresholds, what it found; its id a hash
// of those, so the same projection and thresholds give the same run (recorded once), and its report.
import { createHash } from 'node:crypto';
import {
  partyLabel,
  type ReviewRing,
  type ReviewRingConfig,
  type RingReview,
  type RingTrade,
} from './reviewRingModel';

/** What the job reads from the projection. */
export interface ReviewRingInput {
  readonly trades: readonly RingTrade[];
  readonly reviews: readonly RingReview[];
  /** The last block the projection applied (-1 before the first). */
  readonly projectionBlock: bigint;
}

export interface ReviewRingRun {
  readonly runId: string;
  readonly projectionBlock: bigint;
  readonly config: ReviewRingConfig;
  readonly trades: number;
  readonly reviews: number;
  readonly rings: readonly ReviewRing[];
}

export function reviewRingRun(
  input: ReviewRingInput,
  config: ReviewRingConfig,
  rings: readonly ReviewRing[],
): ReviewRingRun {
  const identity = JSON.stringify({
    projectionBlock: input.projectionBlock.toString(),
    config: configJson(config),
    rings: rings.map((ring) => ({
      groupId: ring.groupId,
      flagged: ring.flaggedReviews.map((review) => [review.escrowId, partyLabel(review.reviewer)]),
    })),
  });
  return {
    runId: createHash('sha256').update(identity).digest('hex').slice(0, 32),
    projectionBlock: input.projectionBlock,
    config,
    trades: input.trades.length,
    reviews: input.reviews.length,
    rings,
  };
}

/** The thresholds as JSON (the volume as a decimal string). */
export function configJson(config: ReviewRingConfig): Record<string, number | string> {
  return { ...config, minInternalVolume: config.minInternalVolume.toString() };
}

/** Minor units per currency as decimal strings, for JSON. */
export function volumeJson(volume: Readonly<Record<string, bigint>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(volume).map(([currency, amount]) => [currency, amount.toString()]),
  );
}

/** The run as JSON, for machines. */
export function runJson(run: ReviewRingRun): Record<string, unknown> {
  return {
    runId: run.runId,
    projectionBlock: run.projectionBlock.toString(),
    config: configJson(run.config),
    trades: run.trades,
    reviews: run.reviews,
    groups: run.rings.map((ring) => ({
      ...ring,
      internalVolume: volumeJson(ring.internalVolume),
      flaggedReviews: ring.flaggedReviews.length,
    })),
  };
}

/** The run as lines for people: what was read, then each group with its evidence. */
export function runText(run: ReviewRingRun): string {
  const lines = [
    `review rings at projection block ${run.projectionBlock.toString()}: ${String(run.trades)} trades, ` +
      `${String(run.reviews)} reviews read; ${String(run.rings.length)} group(s) flagged (run ${run.runId})`,
  ];
  for (const ring of run.rings) {
    const volume = Object.entries(ring.internalVolume)
      .map(([currency, amount]) => `${amount.toString()} ${currency}`)
      .join(', ');
    lines.push(
      `  group ${ring.groupId}: ${ring.members.map(partyLabel).join(', ')}`,
      `    internal trades ${String(ring.internalTrades)} of ${String(ring.memberTrades)} ` +
        `(share ${ring.internalTradeShare.toFixed(2)}), volume ${volume}; mutual high-review pairs ` +
        `${String(ring.mutualHighReviewPairs)} (density ${ring.pairDensity.toFixed(2)}); ` +
        `${String(ring.flaggedReviews.length)} reviews flagged`,
    );
  }
  return lines.join('\n');
}
