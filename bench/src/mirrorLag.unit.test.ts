import { expect } from 'chai';
import {
  MIRROR_LAG_SQL,
  mirrorLagFromRow,
  mirrorLagSummary,
  mirrorLagTable,
  queryMirrorLag,
} from './mirrorLag';

const from = new Date('2026-11-25T08:28:00.000Z');
const to = new Date('2026-11-25T08:31:00.000Z');

// The shape pg returns for MIRROR_LAG_SQL: int columns as numbers, float8[] as number arrays,
// block numbers cast to text.
const row = {
  transitions: 6967,
  outboxed: 6967,
  sent: 6960,
  first_block: '3400',
  last_block: '3692',
  tx_to_postgres: [0.45056, 0.7295239, 0.8528422800000003],
  tx_to_postgres_max: 0.952497,
  tx_to_kafka: [0.557896, 0.8429261999999998, 0.987834],
  tx_to_kafka_max: 1.113834,
  postgres_to_kafka: [0.129407, 0.210954, 0.2267],
  postgres_to_kafka_max: 0.231613,
};

const emptyWindow = {
  transitions: 0,
  outboxed: 0,
  sent: 0,
  first_block: null,
  last_block: null,
  tx_to_postgres: null,
  tx_to_postgres_max: null,
  tx_to_kafka: null,
  tx_to_kafka_max: null,
  postgres_to_kafka: null,
  postgres_to_kafka_max: null,
};

describe('mirror lag from PostgreSQL', () => {
  it('reads the percentiles of each span, rounded to the millisecond', () => {
    const lag = mirrorLagFromRow(row, from, to);

    expect(lag.window).to.deep.equal({ from: from.toISOString(), to: to.toISOString() });
    expect(lag).to.include({
      transitions: 6967,
      outboxed: 6967,
      sentToKafka: 6960,
      firstBlock: 3400,
      lastBlock: 3692,
    });
    expect(lag.txToPostgresSeconds).to.deep.equal({ p50: 0.451, p95: 0.73, p99: 0.853, max: 0.952 });
    expect(lag.txToKafkaSeconds).to.deep.equal({ p50: 0.558, p95: 0.843, p99: 0.988, max: 1.114 });
    expect(lag.postgresToKafkaSeconds).to.deep.equal({ p50: 0.129, p95: 0.211, p99: 0.227, max: 0.232 });
  });

  it('reports an empty window as no blocks and NaN percentiles, not as zero lag', () => {
    const lag = mirrorLagFromRow(emptyWindow, from, to);

    expect(lag.transitions).to.equal(0);
    expect(lag.firstBlock).to.equal(null);
    expect(lag.txToPostgresSeconds.p99).to.be.NaN;
    expect(lag.txToKafkaSeconds.max).to.be.NaN;
  });

  it('rejects a row of another shape instead of reporting made-up figures', () => {
    expect(() => mirrorLagFromRow(undefined, from, to)).to.throw('no row');
    expect(() => mirrorLagFromRow({ ...row, tx_to_kafka: [0.5, 0.9] }, from, to)).to.throw(
      'three percentiles',
    );
    expect(() => mirrorLagFromRow({ ...row, transitions: '6967' }, from, to)).to.throw('not a number');
    expect(() => mirrorLagFromRow({ ...row, last_block: 'x' }, from, to)).to.throw('block number');
  });

  it('queries the window on the transaction timestamp and joins the outbox by block and event id', async () => {
    const calls: { text: string; values: unknown[] | undefined }[] = [];
    const db = {
      query: (text: string, values?: unknown[]) => {
        calls.push({ text, values });
        return Promise.resolve({ rows: [row] });
      },
    };

    const lag = await queryMirrorLag(db, from, to);

    expect(calls).to.have.length(1);
    expect(calls[0]!.values).to.deep.equal([from, to]);
    expect(MIRROR_LAG_SQL).to.contain('t.tx_time >= $1 AND t.tx_time < $2');
    // offchain-db's eventIdOf: `<txId>:<eventIndex>`.
    expect(MIRROR_LAG_SQL).to.contain(
      "o.block_number = t.block_number AND o.event_id = t.tx_id || ':' || t.event_index",
    );
    expect(lag.transitions).to.equal(6967);
  });

  it('puts the exact tx → PostgreSQL and tx → Kafka p99 on the summary row, or says why not', () => {
    expect(mirrorLagSummary(mirrorLagFromRow(row, from, to))).to.deep.equal({
      txToPostgres: 0.853,
      txToKafka: 0.988,
    });
    expect(mirrorLagSummary({ error: 'connection refused' })).to.equal('not measured: connection refused');
  });

  it('renders one Markdown row per span', () => {
    const lines = mirrorLagTable(mirrorLagFromRow(row, from, to));

    expect(lines[0]).to.contain('6967 transitions').and.contain('blocks 3400–3692');
    expect(lines).to.include('| transaction timestamp → PostgreSQL row | 0.451 | 0.73 | 0.853 | 0.952 |');
    expect(lines).to.include(
      '| transaction timestamp → Kafka acknowledged | 0.558 | 0.843 | 0.988 | 1.114 |',
    );
    expect(lines).to.include(
      '| PostgreSQL outbox row → Kafka acknowledged | 0.129 | 0.211 | 0.227 | 0.232 |',
    );
  });
});
