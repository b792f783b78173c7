import { expect } from 'chai';
import {
  decisionRowsOf,
  queryDecisionRows,
  RISK_DECISIONS_SQL,
  riskLagOf,
  riskLagSummary,
  riskLagTable,
} from './riskLag';

const from = new Date('2026-11-30T17:00:00.000Z');
const to = new Date('2026-11-30T17:02:00.000Z');
const t0 = Date.parse('2026-11-30T17:00:10.000Z');

/** Blocks 10–12 committed on the peer one second apart. */
const commits = new Map([
  [10, t0],
  [11, t0 + 1000],
  [12, t0 + 2000],
]);

describe('risk decision lag from block commit', () => {
  it('measures each decided event from its own block’s commit, in seconds to the millisecond', () => {
    // 100 events of block 10 decided 1..100 ms after its commit.
    const rows = Array.from({ length: 100 }, (_, index) => ({
      blockNumber: 10,
      txTimeMs: t0 - 400,
      decidedAtMs: t0 + index + 1,
    }));
    const lag = riskLagOf(rows, commits, from, to);
    expect(lag).to.include({ events: 100, decided: 100, undecided: 0, withoutCommitTime: 0 });
    expect(lag.blockCommitToDecisionSeconds).to.deep.equal({ p50: 0.05, p95: 0.095, p99: 0.099, max: 0.1 });
  });

  it('pairs every decision with its block, not with the window’s first', () => {
    const lag = riskLagOf(
      [
        { blockNumber: 10, txTimeMs: t0, decidedAtMs: t0 + 300 },
        { blockNumber: 12, txTimeMs: t0, decidedAtMs: t0 + 2000 + 700 },
      ],
      commits,
      from,
      to,
    );
    expect(lag.blockCommitToDecisionSeconds.p50).to.equal(0.3);
    expect(lag.blockCommitToDecisionSeconds.max).to.equal(0.7);
  });

  it('counts undecided events and decisions of unseen blocks apart, outside the percentiles', () => {
    const lag = riskLagOf(
      [
        { blockNumber: 11, txTimeMs: t0, decidedAtMs: t0 + 1000 + 250 },
        { blockNumber: 11, txTimeMs: t0, decidedAtMs: undefined },
        { blockNumber: 99, txTimeMs: t0, decidedAtMs: t0 + 60_000 },
      ],
      commits,
      from,
      to,
    );
    expect(lag).to.include({ events: 3, decided: 2, undecided: 1, withoutCommitTime: 1 });
    expect(lag.blockCommitToDecisionSeconds).to.deep.equal({ p50: 0.25, p95: 0.25, p99: 0.25, max: 0.25 });
  });

  it('keeps only the transactions timestamped in the window asked for (the peak step’s)', () => {
    const rows = [
      { blockNumber: 10, txTimeMs: t0 - 200, decidedAtMs: t0 + 100 },
      { blockNumber: 12, txTimeMs: t0 + 1800, decidedAtMs: t0 + 2000 + 900 },
    ];
    const peak = riskLagOf(rows, commits, new Date(t0 + 1000), new Date(t0 + 3000));
    expect(peak).to.include({ events: 1, decided: 1 });
    expect(peak.blockCommitToDecisionSeconds.max).to.equal(0.9);
    // The window is half-open: a transaction stamped at its end belongs to the next one.
    expect(riskLagOf(rows, commits, new Date(t0 - 5000), new Date(t0 - 200)).events).to.equal(0);
  });

  it('counts a decision recorded before the bench saw its block as zero lag, never negative', () => {
    const lag = riskLagOf([{ blockNumber: 12, txTimeMs: t0, decidedAtMs: t0 + 1990 }], commits, from, to);
    expect(lag.blockCommitToDecisionSeconds.max).to.equal(0);
  });

  it('reports a window without decisions as NaN, not as zero lag', () => {
    const lag = riskLagOf([{ blockNumber: 10, txTimeMs: t0, decidedAtMs: undefined }], commits, from, to);
    expect(lag.decided).to.equal(0);
    expect(lag.blockCommitToDecisionSeconds.p99).to.be.NaN;
    expect(lag.blockCommitToDecisionSeconds.max).to.be.NaN;
  });

  it('reads the rows pg returns and rejects rows of another shape', () => {
    expect(
      decisionRowsOf([
        { block_number: '10', tx_time_ms: t0 - 400, decided_at_ms: t0 + 5 },
        { block_number: '11', tx_time_ms: t0, decided_at_ms: null },
      ]),
    ).to.deep.equal([
      { blockNumber: 10, txTimeMs: t0 - 400, decidedAtMs: t0 + 5 },
      { blockNumber: 11, txTimeMs: t0, decidedAtMs: undefined },
    ]);
    expect(() => decisionRowsOf([{ block_number: 10, tx_time_ms: t0, decided_at_ms: 1 }])).to.throw(
      'block number',
    );
    expect(() => decisionRowsOf([{ block_number: '10', tx_time_ms: null, decided_at_ms: 1 }])).to.throw(
      'tx_time_ms',
    );
    expect(() => decisionRowsOf([{ block_number: '10', tx_time_ms: t0, decided_at_ms: '1' }])).to.throw(
      'decided_at_ms',
    );
    expect(() => decisionRowsOf([null])).to.throw('not a row');
  });

  it('queries the window on the transaction timestamp, joining the deciding decision by event id', async () => {
    const calls: unknown[][] = [];
    const db = {
      query: (_text: string, values?: unknown[]) => {
        calls.push(values ?? []);
        return Promise.resolve({ rows: [{ block_number: '10', tx_time_ms: t0, decided_at_ms: t0 + 5 }] });
      },
    };
    expect(await queryDecisionRows(db, from, to)).to.deep.equal([
      { blockNumber: 10, txTimeMs: t0, decidedAtMs: t0 + 5 },
    ]);
    expect(calls).to.deep.equal([[from, to]]);
    expect(RISK_DECISIONS_SQL).to.contain('t.tx_time >= $1 AND t.tx_time < $2');
    // The relay's event id, `<txId>:<eventIndex>`, is the decision's event id; shadow hits never decide.
    expect(RISK_DECISIONS_SQL).to.contain("d.event_id = t.tx_id || ':' || t.event_index AND NOT d.shadow");
  });

  it('puts p50 and p99 on the summary row and one row of percentiles in the Markdown, or says why not', () => {
    const lag = riskLagOf([{ blockNumber: 10, txTimeMs: t0, decidedAtMs: t0 + 420 }], commits, from, to);
    expect(riskLagSummary(lag)).to.deep.equal({ p50: 0.42, p99: 0.42 });
    expect(riskLagSummary({ error: 'permission denied' })).to.equal('not measured: permission denied');
    expect(riskLagSummary(undefined)).to.contain('not measured');
    const lines = riskLagTable(lag);
    expect(lines[0]).to.contain('1 escrow events').and.contain('1 decided');
    expect(lines).to.include(
      "| block commit on Oversight's peer → risk decision recorded | 0.42 | 0.42 | 0.42 | 0.42 |",
    );
    expect(riskLagTable({ error: 'x' })).to.deep.equal(['Risk decision lag not measured: x']);
  });
});
