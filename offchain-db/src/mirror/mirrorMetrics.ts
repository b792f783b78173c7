// Prometheus metrics of the mirror: how far behind the peer it is (blocks and seconds), how fast it
// applies, and the outbox backlog it leaves for the relay.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppliedBlock } from '../store/projectionStore';
import type { MirrorObserver } from './mirror';

export class MirrorMetrics implements MirrorObserver {
  readonly registry = new Registry();
  lastBlock = -1n;
  lastBlockTime: Date | undefined;
  peerHeight = 0n;
  streaming = false;
  lastError: string | undefined;

  private readonly blocks = new Counter({
    name: 'mirror_blocks_applied_total',
    help: 'Blocks applied to the projection',
    registers: [this.registry],
  });
  private readonly transitions = new Counter({
    name: 'mirror_transitions_applied_total',
    help: 'Chaincode events written as transitions',
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: 'mirror_failures_total',
    help: 'Errors that made the mirror reconnect (checkpoint conflicts included)',
    registers: [this.registry],
  });
  /** Alarms: each is a ledger record the projection does not hold exactly as written. */
  private readonly quarantined = new Counter({
    name: 'mirror_quarantined_records_total',
    help: 'Ledger transactions PostgreSQL refused, set aside in the quarantine table (alarm)',
    registers: [this.registry],
  });
  private readonly repaired = new Counter({
    name: 'mirror_repaired_texts_total',
    help: 'Texts stored with U+FFFD in place of characters PostgreSQL refuses (U+0000, lone surrogates)',
    registers: [this.registry],
  });
  private readonly delay = new Histogram({
    name: 'mirror_block_delay_seconds',
    help: 'From the newest transaction timestamp of a block to its commit in PostgreSQL',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  private readonly lastBlockGauge = this.gauge('mirror_last_block', 'Last block applied (the checkpoint)');
  private readonly peerHeightGauge = this.gauge(
    'mirror_peer_height',
    'Blocks committed by the followed peer',
  );
  private readonly lagBlocksGauge = this.gauge(
    'mirror_lag_blocks',
    'Blocks the peer has committed that the projection has not applied yet',
  );
  private readonly lagSecondsGauge = this.gauge(
    'mirror_lag_seconds',
    'Age of the newest applied block while behind the peer (0 when caught up)',
  );
  private readonly backlogGauge = this.gauge('outbox_backlog', 'Outbox events not yet acknowledged by Kafka');

  constructor(private readonly outboxBacklog: () => Promise<number>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'mirror_' });
  }

  /** Brings the gauges up to date; called before each scrape. */
  async refresh(): Promise<void> {
    this.lastBlockGauge.set(Number(this.lastBlock));
    this.peerHeightGauge.set(Number(this.peerHeight));
    this.lagBlocksGauge.set(Number(this.lagBlocks()));
    this.lagSecondsGauge.set(this.lagSeconds());
    this.backlogGauge.set(await this.outboxBacklog());
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }

  lagBlocks(): bigint {
    const lag = this.peerHeight - 1n - this.lastBlock;
    return lag > 0n ? lag : 0n;
  }

  lagSeconds(): number {
    if (this.lagBlocks() === 0n || this.lastBlockTime === undefined) return 0;
    return Math.max(0, (Date.now() - this.lastBlockTime.getTime()) / 1000);
  }

  blockApplied(
    blockNumber: bigint,
    blockTime: Date | undefined,
    transitions: number,
    applied: AppliedBlock,
  ): void {
    this.lastBlock = blockNumber;
    this.quarantined.inc(applied.quarantined.length);
    this.repaired.inc(applied.repairedTexts);
    if (blockTime !== undefined) {
      this.lastBlockTime = blockTime;
      this.delay.observe(Math.max(0, (Date.now() - blockTime.getTime()) / 1000));
    }
    if (blockNumber >= this.peerHeight) this.peerHeight = blockNumber + 1n;
    this.blocks.inc();
    this.transitions.inc(transitions);
    this.lastError = undefined;
  }

  streamOpened(startBlock: bigint): void {
    this.streaming = true;
    this.lastBlock = startBlock - 1n;
  }

  failed(error: unknown): void {
    this.streaming = false;
    this.failures.inc();
    this.lastError = error instanceof Error ? error.message : String(error);
  }
}
