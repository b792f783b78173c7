import { expect } from 'chai';
import { mirrorCommitLagOf, mirrorRowsOf, type MirrorRow } from './mirrorCommitLag';

const row = (blockNumber: number, txTimeMs: number, mirroredAtMs: number, sentAtMs?: number): MirrorRow => ({
  blockNumber,
  txTimeMs,
  mirroredAtMs,
  sentAtMs,
});

describe('mirrorCommitLagOf', () => {
  const from = new Date(1_000_000);
  const to = new Date(2_000_000);
  const commits = new Map([
    [10, 1_500_000],
    [11, 1_600_000],
  ]);

  it('measures from the block commit the bench saw, not from the transaction timestamp', () => {
    const lag = mirrorCommitLagOf(
      [row(10, 1_100_000, 1_500_120, 1_500_300), row(11, 1_200_000, 1_600_080, 1_600_200)],
      commits,
      from,
      to,
    );
    expect(lag.transitions).to.equal(2);
    expect(lag.sentToKafka).to.equal(2);
    expect(lag.blockCommitToPostgresSeconds.max).to.equal(0.12);
    expect(lag.blockCommitToPostgresSeconds.p50).to.be.within(0.08, 0.12);
    expect(lag.blockCommitToKafkaSeconds.max).to.equal(0.3);
  });

  it('leaves out rows outside the window or without a commit time, and counts what Kafka has not acknowledged', () => {
    const lag = mirrorCommitLagOf(
      [row(10, 900_000, 1_500_050), row(12, 1_100_000, 1_700_000), row(11, 1_200_000, 1_600_010)],
      commits,
      from,
      to,
    );
    expect(lag.transitions).to.equal(2);
    expect(lag.withoutCommitTime).to.equal(1);
    expect(lag.sentToKafka).to.equal(0);
    expect(lag.blockCommitToPostgresSeconds.max).to.equal(0.01);
    expect(lag.blockCommitToKafkaSeconds.max).to.be.NaN;
  });

  it('counts a row written before the bench saw its block as zero, never negative', () => {
    const lag = mirrorCommitLagOf([row(10, 1_100_000, 1_499_990, 1_499_995)], commits, from, to);
    expect(lag.blockCommitToPostgresSeconds.max).to.equal(0);
    expect(lag.blockCommitToKafkaSeconds.max).to.equal(0);
  });

  it('reads PostgreSQL rows and refuses malformed ones', () => {
    expect(
      mirrorRowsOf([{ block_number: '7', tx_time_ms: 1, mirrored_at_ms: 2, sent_at_ms: null }]),
    ).to.deep.equal([{ blockNumber: 7, txTimeMs: 1, mirroredAtMs: 2, sentAtMs: undefined }]);
    expect(() => mirrorRowsOf([{ block_number: 'x', tx_time_ms: 1, mirrored_at_ms: 2 }])).to.throw(
      /block_number/,
    );
    expect(() => mirrorRowsOf([{ block_number: '7', tx_time_ms: 1, mirrored_at_ms: 'late' }])).to.throw(
      /mirrored_at_ms/,
    );
  });
});
