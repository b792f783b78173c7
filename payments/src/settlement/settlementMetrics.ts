// The settlement worker's metrics (prom-client), served on its /metrics: what it paid and recorded,
// what waits parked (the stuck-settlement alert watches settlement_parked_escrows), and the last
// scheduled reconciliation's differences (the drift alert watches payments_reconciliation_differences).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ProviderCallRecord } from '../stripe/stripePaymentProvider';
import { DIFFERENCE_CODES, type ReconciliationReport } from '../reconciliation/providerReconciliation';

export class SettlementMetrics {
  readonly registry = new Registry();
  private readonly movements = new Counter({
    name: 'settlement_movements_total',
    help: 'Refunds and payouts recorded on the ledger, by kind and outcome',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });
  private readonly parkings = new Counter({
    name: 'settlement_parkings_total',
    help: 'Settlement attempts that failed and were parked for a later attempt, by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly parked = new Gauge({
    name: 'settlement_parked_escrows',
    help: 'Escrows whose settlement is parked, waiting for its next attempt (stuck settlements)',
    registers: [this.registry],
  });
  readonly oldestParkedSeconds = new Gauge({
    name: 'settlement_oldest_parked_seconds',
    help: 'How long the oldest parked settlement has waited',
    registers: [this.registry],
  });
  private readonly heldPayouts = new Counter({
    name: 'settlement_payouts_held_total',
    help: 'Seller payouts left pending because a risk hold is active on the escrow',
    registers: [this.registry],
  });
  private readonly obligations = new Counter({
    name: 'settlement_obligations_total',
    help: "Sellers' parts owed to another marketplace (settled by statements)",
    registers: [this.registry],
  });
  private readonly refused = new Counter({
    name: 'settlement_events_refused_total',
    help: 'Kafka messages not acted on: unsigned, signed by an unknown key, or unreadable',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly providerCalls = new Counter({
    name: 'settlement_provider_calls_total',
    help: 'Answered provider calls, by method and status',
    labelNames: ['method', 'status'],
    registers: [this.registry],
  });
  private readonly differences = new Gauge({
    name: 'payments_reconciliation_differences',
    help: "The last reconciliation's differences between the provider and the ledger, by code",
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly lastRun = new Gauge({
    name: 'payments_reconciliation_last_run_timestamp_seconds',
    help: 'When the last scheduled reconciliation completed',
    registers: [this.registry],
  });
  private readonly reconcileFailures = new Counter({
    name: 'payments_reconciliation_failures_total',
    help: 'Scheduled reconciliations that could not complete',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'settlement_' });
  }

  recorded(kind: string, outcome: string): void {
    this.movements.inc({ kind, outcome });
  }
  parkedWith(code: string): void {
    this.parkings.inc({ code });
  }
  obligation(): void {
    this.obligations.inc();
  }
  payoutHeld(): void {
    this.heldPayouts.inc();
  }
  refusedEvent(reason: string): void {
    this.refused.inc({ reason });
  }
  providerCall(call: ProviderCallRecord): void {
    this.providerCalls.inc({ method: call.method, status: String(call.status) });
  }
  reconciled(report: ReconciliationReport, at: Date): void {
    for (const code of DIFFERENCE_CODES)
      this.differences.set(
        { code },
        report.differences.filter((difference) => difference.code === code).length,
      );
    this.lastRun.set(at.getTime() / 1000);
  }
  reconcileFailed(): void {
    this.reconcileFailures.inc();
  }
}
