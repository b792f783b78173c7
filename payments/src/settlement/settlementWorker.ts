// Turns a terminal escrow into the payouts and refunds it owes, exactly once: read the escrow from the
// ledger, skip what is recorded there, make each remaining provider call under its idempotency key
// (escrow, payee, kind, and the item for an escrow settled item by item), and record it on the ledger
// with the provider's object id. Whatever fails
// parks the escrow for a later attempt; a repeated attempt sends the same keys, so the provider moves
// the money once however often the worker crashes, restarts or is handed the event again.
import type { Escrow } from '@p2p-escrow/chaincode';
import type { MoneyMoved, PaymentProvider } from '../port/paymentProvider';
import type { PayoutGate } from './payoutGate';
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
  /** Everything else recorded; the seller's payout waits at the payout gate (its reason). */
  | { readonly kind: 'payout-pending'; readonly reason: string; readonly movements: number }
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
    /** The identity-verification gate on payouts; absent, every payout goes. */
    private readonly gate?: PayoutGate,
  ) {}

  /**
   * Settles what `escrowId` still owes. Resolves once it is recorded on the ledger, or parked for a
   * later attempt; rejects only when it could not even be parked (the caller then sees it again).
   * `atBlock` is the block of the event that brought the escrow: it is read as of that block or later.
   */
  async settle(escrowId: string, atBlock?: bigint): Promise<SettleOutcome> {
    try {
      const outcome = await this.settleNow(escrowId, atBlock);
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

  private async settleNow(escrowId: string, atBlock: bigint | undefined): Promise<SettleOutcome> {
    const escrow = await this.ledger.readEscrow(escrowId, atBlock);
    if (escrow === undefined) return { kind: 'not-collected-here' };
    const plan = settlementPlan(escrow, this.options.marketplace, (reference) =>
      this.provider.isPaymentReference(reference),
    );
    if (plan.kind !== 'owed') return { kind: plan.kind };
    if (plan.obligation !== undefined) this.observer.obligation(plan.obligation);
    // A risk hold keeps the payout out of the plan; the verification gate may still make one wait.
    if (plan.payoutHeld) this.observer.held(escrowId);
    let waiting: string | undefined;
    for (const movement of plan.movements) {
      const reason = await this.payoutWaits(escrow, movement);
      if (reason === undefined) await this.pay(escrow, movement);
      else waiting = reason;
    }
    if (waiting !== undefined)
      return { kind: 'payout-pending', reason: waiting, movements: plan.movements.length - 1 };
    await this.gate?.released(escrowId);
    return { kind: 'settled', movements: plan.movements.length, payoutHeld: plan.payoutHeld };
  }

  /** The gate's word on a payout (undefined: it goes); refunds never wait. */
  private async payoutWaits(escrow: Escrow, movement: OwedMovement): Promise<string | undefined> {
    if (movement.kind !== 'payout' || this.gate === undefined) return undefined;
    return this.gate.holds(escrow.escrowId, movement.sellerId);
  }

  /** Settles every escrow whose payout the gate held and may now go; resolves with how many. */
  async retryReleasable(limit: number): Promise<number> {
    const releasable = (await this.gate?.releasable(limit)) ?? [];
    for (const escrowId of releasable) await this.settle(escrowId);
    return releasable.length;
  }

  private async pay(escrow: Escrow, movement: OwedMovement): Promise<void> {
    const moved = await this.move(escrow, movement);
    this.observer.moved(escrow.escrowId, movement, moved);
    if (moved.amountMinor !== movement.amountMinor)
      throw new SettlementError(
        'SETTLEMENT_PLAN_INVALID',
        `the provider moved ${moved.amountMinor} for ${movement.kind} of ${escrow.escrowId}, the ledger owes ${movement.amountMinor}`,
      );
    const outcome = await this.ledger.recordSettlement(
      escrow,
      movement.payee,
      moved.providerId,
      movement.item,
    );
    this.observer.recorded(escrow.escrowId, movement, moved.providerId, outcome);
  }

  private async move(escrow: Escrow, movement: OwedMovement): Promise<MoneyMoved> {
    if (movement.kind === 'refund')
      return this.provider.refund({
        escrowId: escrow.escrowId,
        paymentId: movement.paymentId,
        payee: escrow.buyer.userId,
        amountMinor: movement.amountMinor,
        ...(movement.item === undefined ? {} : { item: movement.item }),
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
      ...(movement.item === undefined ? {} : { item: movement.item }),
    });
  }
}
