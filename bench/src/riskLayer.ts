// The risk service, observed while the gateway layer runs: its decision lag from each block's commit
// on Oversight's peer to the decision recorded (riskLag.ts), once the service has decided every event
// of the window (or a deadline passed), beside its own histogram `risk_decision_lag_seconds`
// (transaction timestamp → decision committed) between two scrapes.
import { riskOpsUrl } from '@p2p-escrow/scripts';
import type { SqlClient } from './mirrorLag';
import { bucketPercentile, buckets, scrape, type Metrics } from './promMetrics';
import { queryDecisionRows, riskLagOf, type DecisionRow, type RiskLag } from './riskLag';

const HISTOGRAM = 'risk_decision_lag_seconds';

export interface RiskReport {
  /** Over the whole window (the gateway layer's sweep). */
  readonly exact: RiskLag | { readonly error: string };
  /** Over the transactions timestamped during the layer's best step: the risk service at the gateway's peak. */
  readonly atPeak: RiskLag | { readonly error: string } | undefined;
  /** The service's own histogram over the window: transaction timestamp → decision committed. */
  readonly serviceHistogram: { readonly decisions: number; readonly p50: number; readonly p99: number };
  /** How long after the window closed the service had decided every event of it (NaN: it had not). */
  readonly settledAfterSeconds: number;
  readonly note: string;
}

export class RiskWatch {
  readonly #db: SqlClient;
  #from = new Date();
  #before: Metrics = new Map();

  constructor(db: SqlClient) {
    this.#db = db;
  }

  async start(): Promise<void> {
    this.#from = new Date();
    this.#before = await scrape(riskOpsUrl);
  }

  /**
   * Closes the window and waits (at most `settleSeconds`) until every escrow event timestamped in it
   * has its decision, then measures against `commits` (block → ms since the epoch on the peer), over
   * the window and over `peak` (the best step's, in ms since the epoch).
   */
  async stop(
    commits: ReadonlyMap<number, number>,
    peak: { readonly from: number; readonly to: number } | undefined,
    settleSeconds = 60,
  ): Promise<RiskReport> {
    const to = new Date();
    const closed = Date.now();
    const deadline = closed + settleSeconds * 1000;
    let settledAfterSeconds = Number.NaN;
    let exact: RiskLag | { error: string };
    let atPeak: RiskLag | { error: string } | undefined;
    try {
      let rows: DecisionRow[] = await queryDecisionRows(this.#db, this.#from, to);
      while (rows.some((row) => row.decidedAtMs === undefined) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        rows = await queryDecisionRows(this.#db, this.#from, to);
      }
      if (rows.every((row) => row.decidedAtMs !== undefined))
        settledAfterSeconds = Math.round((Date.now() - closed) / 100) / 10;
      exact = riskLagOf(rows, commits, this.#from, to);
      if (peak !== undefined) atPeak = riskLagOf(rows, commits, new Date(peak.from), new Date(peak.to));
    } catch (error) {
      exact = { error: error instanceof Error ? error.message : String(error) };
      atPeak = exact;
    }
    const after = await scrape(riskOpsUrl);
    const before = buckets(this.#before, HISTOGRAM);
    const now = buckets(after, HISTOGRAM);
    return {
      exact,
      atPeak,
      serviceHistogram: {
        decisions: (after.get(`${HISTOGRAM}_count`) ?? 0) - (this.#before.get(`${HISTOGRAM}_count`) ?? 0),
        p50: bucketPercentile(before, now, 50),
        p99: bucketPercentile(before, now, 99),
      },
      settledAfterSeconds,
      note: `exact: every escrow event of the transactions timestamped in the window, from its block's commit on Oversight's peer (its block event as the bench received it) to risk.decisions.decided_at; serviceHistogram: upper bounds of the buckets of ${HISTOGRAM} (0.1 0.25 0.5 1 2 5 10 30 60 s)`,
    };
  }
}
