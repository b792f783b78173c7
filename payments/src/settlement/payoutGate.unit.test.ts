// The payout gate in the settlement worker, over in-memory ports: a payout to an unverified seller
// waits with SELLER_NOT_VERIFIED while the buyer's refund goes; once the seller is verified the
// worker pays it exactly once; off, the gate lets every payout through.
import type { Escrow, Payee } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import type { MoneyMoved, PaymentProvider, PayoutRequest, RefundRequest } from '../port/paymentProvider';
import type { PendingPayout, PendingPayouts } from '../verification/verificationPorts';
import { PayoutGate, SELLER_NOT_VERIFIED } from './payoutGate';
import type { ParkedSettlements, SettlementLedger } from './settlementPorts';
import { SettlementWorker } from './settlementWorker';
import { paymentsActor, resolvedEscrowFixture } from './settlementTestFixtures';

const actor = paymentsActor;
const resolvedEscrow = (): Escrow => resolvedEscrowFixture('g');

class MemoryLedger implements SettlementLedger {
  escrow = resolvedEscrow();
  readonly records: Payee[] = [];
  readEscrow(escrowId: string) {
    return Promise.resolve(escrowId === this.escrow.escrowId ? this.escrow : undefined);
  }
  recordSettlement(_escrow: Escrow, payee: Payee, providerRef: string) {
    if (this.escrow.settlements[payee] !== null) return Promise.resolve('already-recorded' as const);
    this.records.push(payee);
    const settlement = { amount: '0', providerRef, recordedAt: '', recordedBy: actor };
    this.escrow = { ...this.escrow, settlements: { ...this.escrow.settlements, [payee]: settlement } };
    return Promise.resolve('recorded' as const);
  }
}

class MemoryProvider {
  readonly payouts: string[] = [];
  readonly refunds: string[] = [];
  isPaymentReference(reference: string) {
    return reference.startsWith('pi_');
  }
  refund(request: RefundRequest): Promise<MoneyMoved> {
    this.refunds.push(request.escrowId);
    return Promise.resolve(moved(request.escrowId, request.amountMinor ?? 0n, 're'));
  }
  payOut(request: PayoutRequest): Promise<MoneyMoved> {
    this.payouts.push(request.escrowId);
    return Promise.resolve(moved(request.escrowId, request.amountMinor, 'tr'));
  }
}

function moved(escrowId: string, amountMinor: bigint, prefix: string): MoneyMoved {
  return { providerId: `${prefix}_1`, escrowId, amountMinor, currency: 'EUR', idempotencyKey: 'k' };
}

class MemoryPending implements PendingPayouts {
  readonly rows = new Map<string, PendingPayout>();
  constructor(private readonly verified: Set<string>) {}
  hold(escrowId: string, sellerId: string, reason: string) {
    this.rows.set(escrowId, { escrowId, sellerId, reason, pendingSince: new Date(0) });
    return Promise.resolve();
  }
  release(escrowId: string) {
    this.rows.delete(escrowId);
    return Promise.resolve();
  }
  find(escrowId: string) {
    return Promise.resolve(this.rows.get(escrowId));
  }
  releasable() {
    return Promise.resolve(
      [...this.rows.values()].filter((row) => this.verified.has(row.sellerId)).map((row) => row.escrowId),
    );
  }
}

const noParking: ParkedSettlements = {
  park: () => Promise.reject(new Error('nothing may be parked here')),
  attemptsOf: () => Promise.resolve(0),
  unpark: () => Promise.resolve(),
  due: () => Promise.resolve([]),
  summary: () => Promise.resolve({ parked: 0, oldestParkedAt: undefined }),
};

function setup(enabled: boolean) {
  const verified = new Set<string>();
  const ledger = new MemoryLedger();
  const provider = new MemoryProvider();
  const pending = new MemoryPending(verified);
  const gate = new PayoutGate(
    { isVerified: (userId) => Promise.resolve(verified.has(userId)) },
    pending,
    enabled,
  );
  const worker = new SettlementWorker(
    ledger,
    provider as unknown as PaymentProvider,
    { accountOf: () => Promise.resolve('acct_amir') },
    noParking,
    {
      moved: () => undefined,
      recorded: () => undefined,
      obligation: () => undefined,
      parked: () => undefined,
      held: () => undefined,
    },
    {
      marketplace: 'MarketA',
      backoff: { baseDelayMs: 1000, maxDelayMs: 60_000 },
      now: () => new Date(),
      random: () => 0.5,
    },
    gate,
  );
  return { verified, ledger, provider, pending, worker };
}

describe('the payout gate in the settlement worker', () => {
  it("holds an unverified seller's payout with SELLER_NOT_VERIFIED, refunds the buyer, and pays the seller once verified", async () => {
    const { verified, ledger, provider, pending, worker } = setup(true);
    expect(await worker.settle('esc-g')).to.deep.equal({
      kind: 'payout-pending',
      reason: SELLER_NOT_VERIFIED,
      movements: 1,
    });
    expect(ledger.records).to.deep.equal(['buyer']);
    expect(provider.payouts).to.deep.equal([]);
    expect((await pending.find('esc-g'))?.reason).to.equal(SELLER_NOT_VERIFIED);
    // Still unverified: nothing is releasable and a replayed event holds it again.
    expect(await worker.retryReleasable(20)).to.equal(0);
    expect((await worker.settle('esc-g')).kind).to.equal('payout-pending');

    verified.add('amir');
    expect(await worker.retryReleasable(20)).to.equal(1);
    expect(ledger.records).to.deep.equal(['buyer', 'seller']);
    expect(provider.payouts).to.deep.equal(['esc-g']);
    expect(await pending.find('esc-g')).to.equal(undefined);
    // Paid once: nothing left to release, and a replayed event pays nothing.
    expect(await worker.retryReleasable(20)).to.equal(0);
    expect(await worker.settle('esc-g')).to.deep.equal({ kind: 'settled', movements: 0, payoutHeld: false });
    expect(provider.payouts).to.deep.equal(['esc-g']);
    expect(provider.refunds).to.deep.equal(['esc-g']);
  });

  it('lets every payout through when the marketplace turned it off', async () => {
    const { ledger, provider, pending, worker } = setup(false);
    expect(await worker.settle('esc-g')).to.deep.equal({ kind: 'settled', movements: 2, payoutHeld: false });
    expect(ledger.records).to.deep.equal(['buyer', 'seller']);
    expect(provider.payouts).to.deep.equal(['esc-g']);
    expect(pending.rows.size).to.equal(0);
  });
});
