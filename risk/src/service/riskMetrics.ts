// The risk service's Prometheus metrics: decisions by action (shadow or not), holds on the ledger,
// messages set aside, and the lag from an event's ledger time to its recorded decision.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class RiskMetrics {
  readonly registry = new Registry();
  readonly decisions = new Counter({
    name: 'risk_decisions_total',
    help: 'Decisions recorded, by action; shadow="true" for what a shadow rule would have done',
    labelNames: ['action', 'shadow'],
    registers: [this.registry],
  });
  readonly skipped = new Counter({
    name: 'risk_messages_skipped_total',
    help: 'Messages that moved the checkpoint without a decision, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly holds = new Counter({
    name: 'risk_holds_total',
    help: 'Holds submitted to the ledger, by outcome (raised, refused, failed: retried later)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly lagSeconds = new Histogram({
    name: 'risk_decision_lag_seconds',
    help: "From the event's transaction time to its decision being committed",
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'risk_' });
  }
}
