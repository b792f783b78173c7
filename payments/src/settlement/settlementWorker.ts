// Turns a terminal escrow into the payouts and refunds it owes, exactly once: read the escrow from the
// ledger, skip what is recorded there, make each remaining provider call under its idempotency key
// (escrow, payee, kind), and record it on the ledger with the provider's object id. Whatever fails
// parks the escrow for a later attempt; a repeated attempt sends the same keys, so the provider moves
// the money once however often the worker crashes, restarts or is handed the event again.
import type { Escrow } from '@p2p-escrow/chaincode';
import type { MoneyMoved, PaymentProvider } from '../port/paymentProvider';
import { nextSettlementAttempt, type BackoffSettings } from './settlementBackoff';
import { failureCodeOf, SettlementError } from './settlementErrors';
import { settlementPlan, type OwedMovement, type OwedObligation } from './settlementPlan';
import type { ParkedSettlements, PayeeAccounts, SettlementLedger } from './settlementPorts';

export interface SettlementObserver {
  /** The provider moved the money; the ledger does not record it yet (the crash window tests aim at). */
  moved(escrowId: string, movement: OwedMovement, moved: MoneyMoved): void;
  recorded(
    escrowId: string,
    movement: OwedMovement,
    providerRef: string,
    outcome: 'recorded' | 'already-recorded',
  ): void;
  /** The seller's part is owed to their marketplace: statements between marketplaces settle it. */
  obligation(obligation: OwedObligation): void;
  /** The seller's payout waits for a risk hold's clearing (the clearing's event brings it back). */
  held(escrowId: string): void;
  parked(escrowId: string, code: string, attempts: number, nextAttemptAt: Date): void;
}

export type SettleOutcome =
  | { readonly kind: 'settled'; readonly movements: number; readonly payoutHeld: boolean }
  | { readonly kind: 'not-collected-here' | 'open' | 'collected-elsewhere' }
  | { readonly kind: 'parked'; readonly code: string; readonly attempts: number };

export interface SettlementWorkerOptions {
  /** The marketplace whose payments identity the worker holds (its org name on the ledger). */
  readonly marketplace: string;
  readonly backoff: BackoffSettings;
  readonly now: () => Date;
  readonly random: () => number;
}

export class SettlementWorker {
  constructor(
    private readonly ledger: SettlementLedger,
    private readonly provider: PaymentProvider,
    private readonly accounts: PayeeAccounts,
    private readonly parked: ParkedSettlements,
    private readonly observer: SettlementObserver,
    private readonly options: SettlementWorkerOptions,
  ) {}

  /**
   * Settles what `escrowId` still owes. Resolves once it is recorded on the ledger, or parked for a
   * later attempt; rejects only when it could not even be parked (the caller then sees it again).
   */
  async settle(escrowId: string): Promise<SettleOutcome> {
    try {
      const outcome = await this.settleNow(escrowId);
      await this.parked.unpark(escrowId);
      return outcome;
    } catch (error) {
      const attempts = (await this.parked.attemptsOf(escrowId)) + 1;
      const code = failureCodeOf(error);
      const nextAttemptAt = nextSettlementAttempt(
        this.options.backoff,
        attempts,
        this.options.now(),
        this.options.random(),
      );
      const errorDetail = error instanceof Error ? error.message : String(error);
      await this.parked.park({ escrowId, attempts, nextAttemptAt, errorCode: code, errorDetail });
      this.observer.parked(escrowId, code, attempts, nextAttemptAt);
      return { kind: 'parked', code, attempts };
    }
  }

  /** Tries every parked escrow whose next attempt is due; resolves with how many it tried. */
  async retryDue(limit: number): Promise<number> {
    const due = await this.parked.due(this.options.now(), limit);
    for (const escrowId of due) await this.settle(escrowId);
    return due.length;
  }

  private async settleNow(escrowId: string): Promise<SettleOutcome> {
    const escrow = await this.ledger.readEscrow(escrowId);
    if (escrow === undefined) return { kind: 'not-collected-here' };
    const plan = settlementPlan(escrow, this.options.marketplace, (reference) =>
      this.provider.isPaymentReference(reference),
    );
    if (plan.kind !== 'owed') return { kind: plan.kind };
    if (plan.obligation !== undefined) this.observer.obligation(plan.obligation);
    if (plan.payoutHeld) this.observer.held(escrowId);
    for (const movement of plan.movements) await this.pay(escrow, movement);
    return { kind: 'settled', movements: plan.movements.length, payoutHeld: plan.payoutHeld };
  }

  private async pay(escrow: Escrow, movement: OwedMovement): Promise<void> {
    const moved = await this.move(escrow, movement);
    this.observer.moved(escrow.escrowId, movement, moved);
    if (moved.amountMinor !== movement.amountMinor)
      throw new SettlementError(
        'SETTLEMENT_PLAN_INVALID',
        `the provider moved ${moved.amountMinor} for ${movement.kind} of ${escrow.escrowId}, the ledger owes ${movement.amountMinor}`,
      );
    const outcome = await this.ledger.recordSettlement(escrow, movement.payee, moved.providerId);
    this.observer.recorded(escrow.escrowId, movement, moved.providerId, outcome);
  }

  private async move(escrow: Escrow, movement: OwedMovement): Promise<MoneyMoved> {
    if (movement.kind === 'refund')
      return this.provider.refund({
        escrowId: escrow.escrowId,
        paymentId: movement.paymentId,
        payee: escrow.buyer.userId,
        amountMinor: movement.amountMinor,
      });
    const account = await this.accounts.accountOf(movement.sellerId);
    if (account === undefined)
      throw new SettlementError(
        'SETTLEMENT_PAYEE_ACCOUNT_MISSING',
        `seller ${movement.sellerId} of ${escrow.escrowId} has no payee account registered`,
      );
    return this.provider.payOut({
      escrowId: escrow.escrowId,
      destinationAccount: account,
      amountMinor: movement.amountMinor,
      currency: escrow.currency,
    });
  }
}
