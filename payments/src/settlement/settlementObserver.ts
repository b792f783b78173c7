// What the worker reports as it goes: a structured log line per movement (with the idempotency key the
// provider acknowledged, so a restarted worker's repeated call is visible) and the metrics.
import type { Logger } from 'pino';
import type { SettlementMetrics } from './settlementMetrics';
import type { SettlementObserver } from './settlementWorker';

export function settlementObserver(
  log: Logger,
  metrics: SettlementMetrics,
  /** Called after the provider moved money and before the ledger records it (a crash point for tests). */
  afterMove: () => void = () => undefined,
): SettlementObserver {
  return {
    moved: (escrowId, movement, moved) => {
      log.info(
        {
          escrowId,
          kind: movement.kind,
          payee: movement.payee,
          ...(movement.item === undefined ? {} : { item: movement.item }),
          amountMinor: moved.amountMinor.toString(),
          providerId: moved.providerId,
          idempotencyKey: moved.idempotencyKey,
        },
        'provider moved the money',
      );
      afterMove();
    },
    recorded: (escrowId, movement, providerRef, outcome) => {
      metrics.recorded(movement.kind, outcome);
      log.info(
        {
          escrowId,
          kind: movement.kind,
          payee: movement.payee,
          ...(movement.item === undefined ? {} : { item: movement.item }),
          providerRef,
          outcome,
        },
        'settlement recorded',
      );
    },
    obligation: (obligation) => {
      metrics.obligation();
      log.info(
        { ...obligation, amountMinor: obligation.amountMinor.toString() },
        "seller's part owed to the seller's marketplace (statements settle it)",
      );
    },
    held: (escrowId) => {
      metrics.payoutHeld();
      log.info({ escrowId }, "seller's payout held by a risk hold: pending until it is cleared");
    },
    parked: (escrowId, code, attempts, nextAttemptAt) => {
      metrics.parkedWith(code);
      log.warn({ escrowId, code, attempts, nextAttemptAt: nextAttemptAt.toISOString() }, 'settlement parked');
    },
  };
}
