// The aggregates a rule may compare: each metric names what it counts (a kind of fact), whose facts
// (the event's buyer, its seller, or the buyer's marketplace) and how it reduces them. Facts are
// kept per escrow event (aggregates/facts.ts); a metric with a window looks back that far in ledger
// time from the event, one without looks at all of history.
export const FACT_KINDS = ['created', 'dispute', 'refund', 'resolved'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** Whose facts a metric reads: the event's buyer, its seller, or the marketplace of its buyer. */
export type Subject = 'buyer' | 'seller' | 'buyerMarketplace';

export type Reduction =
  /** How many facts (the event's own included: "the 6th escrow in an hour" counts 6). */
  | 'count'
  /** How many facts of other escrows (a party's history before this trade). */
  | 'priorCount'
  /** The event's amount divided by the median amount of the subject's other escrows. */
  | 'amountToMedian'
  /** Lost / resolved disputes (lost: the arbiter gave the buyer more than the seller). */
  | 'lossRatio';

export interface MetricDefinition {
  readonly kind: FactKind;
  readonly subject: Subject;
  readonly reduction: Reduction;
}

export const METRICS = {
  escrowsCreatedByBuyer: { kind: 'created', subject: 'buyer', reduction: 'count' },
  escrowsCreatedBySeller: { kind: 'created', subject: 'seller', reduction: 'count' },
  escrowsCreatedInMarketplace: { kind: 'created', subject: 'buyerMarketplace', reduction: 'count' },
  disputesRaisedByBuyer: { kind: 'dispute', subject: 'buyer', reduction: 'count' },
  disputesRaisedAgainstSeller: { kind: 'dispute', subject: 'seller', reduction: 'count' },
  disputesRaisedInMarketplace: { kind: 'dispute', subject: 'buyerMarketplace', reduction: 'count' },
  refundsClaimedByBuyer: { kind: 'refund', subject: 'buyer', reduction: 'count' },
  refundsClaimedInMarketplace: { kind: 'refund', subject: 'buyerMarketplace', reduction: 'count' },
  buyerPriorEscrows: { kind: 'created', subject: 'buyer', reduction: 'priorCount' },
  sellerPriorEscrows: { kind: 'created', subject: 'seller', reduction: 'priorCount' },
  amountToBuyerMedian: { kind: 'created', subject: 'buyer', reduction: 'amountToMedian' },
  amountToSellerMedian: { kind: 'created', subject: 'seller', reduction: 'amountToMedian' },
  sellerDisputesResolved: { kind: 'resolved', subject: 'seller', reduction: 'count' },
  sellerDisputeLossRatio: { kind: 'resolved', subject: 'seller', reduction: 'lossRatio' },
} as const satisfies Readonly<Record<string, MetricDefinition>>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export function isMetricName(value: string): value is MetricName {
  return Object.hasOwn(METRICS, value);
}

/** One metric over one window (undefined: all history): what the engine asks the aggregates for. */
export interface MetricRequest {
  readonly metric: MetricName;
  readonly window: string | undefined;
}

export function metricKey(request: MetricRequest): string {
  return `${request.metric}@${request.window ?? 'all'}`;
}
