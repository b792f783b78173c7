// Prometheus metrics of the keeper, and the observer that feeds them and the log.
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeadlineAction } from './deadlinePorts';
import type { KeeperObserver, Outcome } from './keeper';

export class KeeperMetrics implements KeeperObserver {
  readonly registry = new Registry();
  lastTickAt: Date | undefined;
  lastError: string | undefined;
  private readonly transitions = new Counter({
    name: 'keeper_transitions_total',
    help: 'Deadline transitions attempted, by action and outcome',
    labelNames: ['action', 'outcome'],
    registers: [this.registry],
  });
  private readonly due = new Gauge({
    name: 'keeper_due_escrows',
    help: 'Escrows found due in the last tick (not counting those just attempted)',
    registers: [this.registry],
  });
  private readonly tickSeconds = new Histogram({
    name: 'keeper_tick_seconds',
    help: 'Duration of one keeper pass',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly tickFailures = new Counter({
    name: 'keeper_tick_failures_total',
    help: 'Keeper passes that failed before submitting (e.g. database unreachable)',
    registers: [this.registry],
  });

  constructor(private readonly log: Logger) {
    collectDefaultMetrics({ register: this.registry });
  }

  transition(action: DeadlineAction, outcome: Outcome, escrowId: string, detail: string): void {
    this.transitions.inc({ action, outcome });
    const entry = { action, escrowId, detail };
    if (outcome === 'submitted' || outcome === 'refused_harmless') this.log.info(entry, `keeper ${outcome}`);
    else this.log.warn(entry, `keeper ${outcome}`);
  }

  tick(due: number, seconds: number): void {
    this.due.set(due);
    this.tickSeconds.observe(seconds);
    this.lastTickAt = new Date();
    this.lastError = undefined;
  }

  tickFailed(error: unknown): void {
    this.tickFailures.inc();
    this.lastError = error instanceof Error ? error.message : String(error);
    this.log.warn({ err: this.lastError }, 'keeper pass failed');
  }
}
