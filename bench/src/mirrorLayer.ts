// The mirror layer, observed while the gateway layer runs: exact transaction → PostgreSQL and
// transaction → Kafka lag from the rows themselves (mirrorLag.ts), beside block → PostgreSQL delay from
// the mirror's own histogram (newest transaction timestamp of a block → its commit in PostgreSQL), its
// lag gauges sampled once a second, and the outbox backlog (events written to PostgreSQL, not yet
// acknowledged by Kafka) from the relay.
import { mirrorOpsUrl, relayOpsUrl } from '@p2p-escrow/scripts';
import { mirrorCommitLagOf, queryMirrorRows, type MirrorCommitLag } from './mirrorCommitLag';
import { queryMirrorLag, type MirrorLag, type SqlClient } from './mirrorLag';
import { bucketPercentile, buckets, scrape, type Metrics } from './promMetrics';

export interface MirrorReport {
  /** Exact, from PostgreSQL, for the transactions timestamped while the gateway layer ran. */
  readonly exact: MirrorLag | { readonly error: string };
  /** From the block's commit on Oversight's peer (mirrorCommitLag.ts), over the window and at the peak. */
  readonly fromCommit: MirrorCommitLag | { readonly error: string };
  readonly fromCommitAtPeak: MirrorCommitLag | { readonly error: string } | undefined;
  readonly blocksApplied: number;
  readonly transitionsApplied: number;
  readonly blockToPostgresSeconds: { p50: number; p95: number; p99: number; mean: number };
  readonly lagSecondsMaxSampled: number;
  readonly lagBlocksMaxSampled: number;
  readonly outboxBacklogMax: number;
  readonly kafkaPublished: number;
  readonly kafkaPublishBatchSecondsMean: number;
  readonly samples: number;
  readonly note: string;
}

export class MirrorWatch {
  readonly #db: SqlClient;
  #from = new Date();
  #before: Metrics = new Map();
  #relayBefore: Metrics = new Map();
  #timer: NodeJS.Timeout | undefined;
  #lagSeconds = 0;
  #lagBlocks = 0;
  #backlog = 0;
  #samples = 0;

  constructor(db: SqlClient) {
    this.#db = db;
  }

  async start(): Promise<void> {
    this.#from = new Date();
    this.#before = await scrape(mirrorOpsUrl);
    this.#relayBefore = await scrape(relayOpsUrl);
    this.#timer = setInterval(() => {
      void scrape(mirrorOpsUrl).then((metrics) => {
        if (metrics.size === 0) return;
        this.#samples += 1;
        this.#lagSeconds = Math.max(this.#lagSeconds, metrics.get('mirror_lag_seconds') ?? 0);
        this.#lagBlocks = Math.max(this.#lagBlocks, metrics.get('mirror_lag_blocks') ?? 0);
        this.#backlog = Math.max(this.#backlog, metrics.get('outbox_backlog') ?? 0);
      });
    }, 1000);
    this.#timer.unref();
  }

  /**
   * Closes the window, then stops sampling once the mirror has caught up with the peer and Kafka has
   * acknowledged the outbox (or after `settleSeconds`), so the exact lag covers every row of the window.
   */
  async stop(
    commits: ReadonlyMap<number, number>,
    peak: { readonly from: number; readonly to: number } | undefined,
    settleSeconds = 20,
  ): Promise<MirrorReport> {
    const to = new Date();
    const deadline = Date.now() + settleSeconds * 1000;
    const settled = (metrics: Metrics) =>
      (metrics.get('mirror_lag_blocks') ?? 0) === 0 && (metrics.get('outbox_backlog') ?? 0) === 0;
    let after = await scrape(mirrorOpsUrl);
    while (Date.now() < deadline && !settled(after)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      after = await scrape(mirrorOpsUrl);
    }
    if (this.#timer !== undefined) clearInterval(this.#timer);
    const relayAfter = await scrape(relayOpsUrl);
    const name = 'mirror_block_delay_seconds';
    const before = buckets(this.#before, name);
    const now = buckets(after, name);
    const delta = (metrics: Metrics, old: Metrics, key: string) =>
      (metrics.get(key) ?? 0) - (old.get(key) ?? 0);
    const count = delta(after, this.#before, `${name}_count`);
    const publishCount = delta(relayAfter, this.#relayBefore, 'outbox_publish_batch_seconds_count');
    const exact = await queryMirrorLag(this.#db, this.#from, to).catch((error: unknown) => ({
      error: error instanceof Error ? error.message : String(error),
    }));
    let fromCommit: MirrorCommitLag | { error: string };
    let fromCommitAtPeak: MirrorCommitLag | { error: string } | undefined;
    try {
      const rows = await queryMirrorRows(this.#db, this.#from, to);
      fromCommit = mirrorCommitLagOf(rows, commits, this.#from, to);
      if (peak !== undefined)
        fromCommitAtPeak = mirrorCommitLagOf(rows, commits, new Date(peak.from), new Date(peak.to));
    } catch (error) {
      fromCommit = { error: error instanceof Error ? error.message : String(error) };
      fromCommitAtPeak = fromCommit;
    }
    return {
      exact,
      fromCommit,
      fromCommitAtPeak,
      blocksApplied: delta(after, this.#before, 'mirror_blocks_applied_total'),
      transitionsApplied: delta(after, this.#before, 'mirror_transitions_applied_total'),
      blockToPostgresSeconds: {
        p50: bucketPercentile(before, now, 50),
        p95: bucketPercentile(before, now, 95),
        p99: bucketPercentile(before, now, 99),
        mean: count > 0 ? Math.round((delta(after, this.#before, `${name}_sum`) / count) * 1000) / 1000 : NaN,
      },
      lagSecondsMaxSampled: Math.round(this.#lagSeconds * 100) / 100,
      lagBlocksMaxSampled: this.#lagBlocks,
      outboxBacklogMax: this.#backlog,
      kafkaPublished: delta(relayAfter, this.#relayBefore, 'outbox_published_total'),
      kafkaPublishBatchSecondsMean:
        publishCount > 0
          ? Math.round(
              (delta(relayAfter, this.#relayBefore, 'outbox_publish_batch_seconds_sum') / publishCount) *
                1000,
            ) / 1000
          : NaN,
      samples: this.#samples,
      note: 'exact: percentile_cont over the transitions and outbox rows of the transactions timestamped in the window; blockToPostgresSeconds: upper bounds of the mirror histogram buckets (0.05 0.1 0.25 0.5 1 2 5 10 30 60 s)',
    };
  }
}
