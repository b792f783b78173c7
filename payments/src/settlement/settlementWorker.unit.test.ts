// The worker's rules over in-memory ports (its live test runs on the real ledger, Kafka and stripe-mock).
import type { Escrow, Payee } from '@p2p-escrow/chaincode';
import { PeerBehindError } from '@p2p-escrow/fabric-client';
import { expect } from 'chai';
import { idempotencyKeyOf } from '../port/idempotencyKey';
import type { MoneyMoved, PaymentProvider, PayoutRequest, RefundRequest } from '../port/paymentProvider';
import type { ParkedSettlement, ParkedSettlements, SettlementLedger } from './settlementPorts';
import type { PayoutGate } from './payoutGate';
import { SettlementWorker, type SettlementObserver } from './settlementWorker';
import { itemFixture } from '@p2p-escrow/testkit';
import { paymentsActor, resolvedEscrowFixture, threeItemEscrowFixture } from './settlementTestFixtures';

const actor = paymentsActor;
const resolvedEscrow = (): Escrow => resolvedEscrowFixture('w');

/** The ledger: one escrow; recordSettlement fails `failures` times first (a ledger outage). */
class MemoryLedger implements SettlementLedger {
  escrow = resolvedEscrow();
  records: ([Payee, string] | [Payee, string, number])[] = [];
  constructor(public failures = 0) {}
  readEscrow(escrowId: string) {
    return Promise.resolve(escrowId === this.escrow.escrowId ? this.escrow : undefined);
  }
  recordSettlement(_escrow: Escrow, payee: Payee, providerRef: string, item?: number) {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(Object.assign(new Error('peer unreachable'), { code: 'LEDGER_UNAVAILABLE' }));
    }
    if (item !== undefined) return Promise.resolve(this.recordItem(payee, providerRef, item));
    if (this.escrow.settlements[payee] !== null) return Promise.resolve('already-recorded' as const);
    this.records.push([payee, providerRef]);
    const settlement = { amount: '0', providerRef, recordedAt: '', recordedBy: actor };
    this.escrow = { ...this.escrow, settlements: { ...this.escrow.settlements, [payee]: settlement } };
    return Promise.resolve('recorded' as const);
  }
  /** One ended item's own record, as the chaincode's recordItemSettlement keeps it. */
  private recordItem(payee: Payee, providerRef: string, item: number): 'recorded' | 'already-recorded' {
    const items = this.escrow.itemLifecycles ?? [];
    const lifecycle = items[item];
    if (lifecycle === undefined) throw new Error(`no item ${String(item)}`);
    if (lifecycle.settlements[payee] !== null) return 'already-recorded';
    this.records.push([payee, providerRef, item]);
    const amount = payee === 'buyer' ? lifecycle.buyerRefund : lifecycle.sellerPayout;
    const settlement = { amount, providerRef, recordedAt: '', recordedBy: actor };
    const settled = { ...lifecycle, settlements: { ...lifecycle.settlements, [payee]: settlement } };
    this.escrow = {
      ...this.escrow,
      itemLifecycles: items.map((entry, index) => (index === item ? settled : entry)),
    };
    return 'recorded';
  }
}

/** A provider that, like Stripe, answers a repeated idempotency key with the first call's object. */
class MemoryProvider {
  readonly calls: string[] = [];
  readonly objects = new Map<string, MoneyMoved>();
  private answer(key: string, escrowId: string, amountMinor: bigint, prefix: string): Promise<MoneyMoved> {
    this.calls.push(key);
    const known = this.objects.get(key);
    if (known !== undefined) return Promise.resolve(known);
    const moved = {
      providerId: `${prefix}_${this.objects.size}`,
      escrowId,
      amountMinor,
      currency: 'EUR',
      idempotencyKey: key,
    };
    this.objects.set(key, moved);
    return Promise.resolve(moved);
  }
  isPayeeAccount(account: string) {
    return account.startsWith('acct_');
  }
  isPaymentReference(reference: string) {
    return reference.startsWith('pi_');
  }
  refund(request: RefundRequest) {
    const key = idempotencyKeyOf({
      escrowId: request.escrowId,
      payee: request.payee,
      kind: 'refund',
      ...(request.item === undefined ? {} : { item: request.item }),
    });
    return this.answer(key, request.escrowId, request.amountMinor ?? 0n, 're');
  }
  payOut(request: PayoutRequest) {
    const key = idempotencyKeyOf({
      escrowId: request.escrowId,
      payee: request.destinationAccount,
      kind: 'payout',
      ...(request.item === undefined ? {} : { item: request.item }),
    });
    return this.answer(key, request.escrowId, request.amountMinor, 'tr');
  }
}

class MemoryParking implements ParkedSettlements {
  readonly rows = new Map<string, ParkedSettlement>();
  park(settlement: ParkedSettlement) {
    this.rows.set(settlement.escrowId, settlement);
    return Promise.resolve();
  }
  attemptsOf(escrowId: string) {
    return Promise.resolve(this.rows.get(escrowId)?.attempts ?? 0);
  }
  unpark(escrowId: string) {
    this.rows.delete(escrowId);
    return Promise.resolve();
  }
  due(now: Date) {
    return Promise.resolve(
      [...this.rows.values()].filter((row) => row.nextAttemptAt <= now).map((row) => row.escrowId),
    );
  }
  summary() {
    return Promise.resolve({ parked: this.rows.size, oldestParkedAt: undefined });
  }
}

const quiet: SettlementObserver = {
  moved: () => undefined,
  recorded: () => undefined,
  obligation: () => undefined,
  held: () => undefined,
  parked: () => undefined,
};

function workerOf(
  ledger: MemoryLedger,
  provider: MemoryProvider,
  parking: MemoryParking,
  accounts = new Map([['amir', 'acct_amir']]),
) {
  let clock = new Date('2026-11-30T01:00:00.000Z');
  const worker = new SettlementWorker(
    ledger,
    provider as unknown as PaymentProvider,
    { accountOf: (userId) => Promise.resolve(accounts.get(userId)) },
    parking,
    quiet,
    {
      marketplace: 'MarketA',
      backoff: { baseDelayMs: 1000, maxDelayMs: 60_000 },
      now: () => clock,
      random: () => 0.5,
    },
  );
  return { worker, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)) };
}

describe('the settlement worker', () => {
  describe('an escrow moving per item', () => {
    /** The ledger holding the three-item escrow: item 0 released, items 1 and 2 open. */
    const itemLedger = (): MemoryLedger => {
      const ledger = new MemoryLedger();
      ledger.escrow = threeItemEscrowFixture('w');
      return ledger;
    };
    /** Ends `item` on the ledger with `split`, and the escrow with the items' sums once all ended. */
    const end = (ledger: MemoryLedger, item: number, lifecycle: ReturnType<typeof itemFixture>): void => {
      const items = (ledger.escrow.itemLifecycles ?? []).map((entry, index) =>
        index === item ? lifecycle : entry,
      );
      const ended = items.every((entry) => ['RELEASED', 'RESOLVED', 'REFUNDED'].includes(entry.state));
      const total = (field: 'buyerRefund' | 'sellerPayout' | 'fee') =>
        items.reduce((sum, entry) => sum + BigInt(entry[field]), 0n).toString();
      ledger.escrow = {
        ...ledger.escrow,
        itemLifecycles: items,
        ...(ended
          ? {
              state: 'RESOLVED',
              buyerRefund: total('buyerRefund'),
              sellerPayout: total('sellerPayout'),
              fee: total('fee'),
            }
          : {}),
      };
    };

    it('pays an ended item’s own split while the other items are open, under a key of its own', async () => {
      const ledger = itemLedger();
      const provider = new MemoryProvider();
      const { worker } = workerOf(ledger, provider, new MemoryParking());
      expect(await worker.settle('esc-w')).to.deep.equal({
        kind: 'settled',
        movements: 1,
        payoutHeld: false,
      });
      expect(ledger.records).to.deep.equal([['seller', 'tr_0', 0]]);
      expect(provider.calls).to.deep.equal([
        idempotencyKeyOf({ escrowId: 'esc-w', payee: 'acct_amir', kind: 'payout', item: 0 }),
      ]);
      // A replay pays nothing twice; the next item to end is paid on its own.
      expect(await worker.settle('esc-w')).to.deep.equal({
        kind: 'settled',
        movements: 0,
        payoutHeld: false,
      });
      end(ledger, 1, itemFixture('RESOLVED', { buyerRefund: '5000', sellerPayout: '9750', fee: '250' }));
      expect(await worker.settle('esc-w')).to.deep.equal({
        kind: 'settled',
        movements: 2,
        payoutHeld: false,
      });
      end(ledger, 2, itemFixture('REFUNDED', { buyerRefund: '5000', sellerPayout: '0', fee: '0' }));
      expect(await worker.settle('esc-w')).to.deep.equal({
        kind: 'settled',
        movements: 1,
        payoutHeld: false,
      });
      expect(ledger.records).to.deep.equal([
        ['seller', 'tr_0', 0],
        ['buyer', 're_1', 1],
        ['seller', 'tr_2', 1],
        ['buyer', 're_3', 2],
      ]);
      // Σ paid = funded: every unit of the funding left as a refund, a payout or the fee.
      const paid = [...provider.objects.values()].reduce((sum, moved) => sum + moved.amountMinor, 0n);
      const fees = (ledger.escrow.itemLifecycles ?? []).reduce((sum, item) => sum + BigInt(item.fee), 0n);
      expect(paid + fees).to.equal(BigInt(ledger.escrow.fundedAmount));
      expect(ledger.escrow.state).to.equal('RESOLVED');
      expect(await worker.settle('esc-w')).to.deep.equal({
        kind: 'settled',
        movements: 0,
        payoutHeld: false,
      });
    });

    it('holds every item’s payout under a risk hold, refunds as ever, and pays once cleared', async () => {
      const ledger = itemLedger();
      end(ledger, 1, itemFixture('RESOLVED', { buyerRefund: '5000', sellerPayout: '9750', fee: '250' }));
      const hold = {
        rule: 'velocity.buyer-1h',
        reasonCode: 'VELOCITY_BUYER',
        severity: 'high',
        action: 'hold',
        raisedAt: '2026-11-30T00:30:00.000Z',
        raisedBy: { organization: 'Oversight', mspId: 'OversightMSP', role: 'risk', userId: 'risk-service' },
        clearedAt: null,
        clearedBy: null,
        clearReason: null,
      } as const;
      ledger.escrow = { ...ledger.escrow, riskFlags: [hold] };
      const provider = new MemoryProvider();
      const { worker } = workerOf(ledger, provider, new MemoryParking());
      expect(await worker.settle('esc-w')).to.deep.equal({ kind: 'settled', movements: 1, payoutHeld: true });
      expect(ledger.records).to.deep.equal([['buyer', 're_0', 1]]);
      const cleared = {
        ...hold,
        clearedAt: '2026-11-30T02:00:00.000Z',
        clearedBy: hold.raisedBy,
        clearReason: 'ok',
      };
      ledger.escrow = { ...ledger.escrow, riskFlags: [cleared] };
      expect(await worker.settle('esc-w')).to.deep.equal({
        kind: 'settled',
        movements: 2,
        payoutHeld: false,
      });
      expect(ledger.records.slice(1)).to.deep.equal([
        ['seller', 'tr_1', 0],
        ['seller', 'tr_2', 1],
      ]);
    });

    it('keeps an item’s payout waiting at the identity-verification gate, as the escrow’s', async () => {
      const ledger = itemLedger();
      const provider = new MemoryProvider();
      const held: string[] = [];
      const gate = {
        holds: (escrowId: string) => {
          held.push(escrowId);
          return Promise.resolve('SELLER_NOT_VERIFIED');
        },
        released: () => Promise.resolve(),
        releasable: () => Promise.resolve([]),
      };
      const worker = new SettlementWorker(
        ledger,
        provider as unknown as PaymentProvider,
        { accountOf: () => Promise.resolve('acct_amir') },
        new MemoryParking(),
        quiet,
        {
          marketplace: 'MarketA',
          backoff: { baseDelayMs: 1000, maxDelayMs: 60_000 },
          now: () => new Date('2026-11-30T01:00:00.000Z'),
          random: () => 0.5,
        },
        gate as unknown as PayoutGate,
      );
      expect(await worker.settle('esc-w')).to.deep.equal({
        kind: 'payout-pending',
        reason: 'SELLER_NOT_VERIFIED',
        movements: 0,
      });
      expect(held).to.deep.equal(['esc-w']);
      expect(provider.calls).to.deep.equal([]);
    });
  });

  it('refunds the buyer’s part and pays the seller’s, recording each with the provider’s id', async () => {
    const ledger = new MemoryLedger();
    const provider = new MemoryProvider();
    const { worker } = workerOf(ledger, provider, new MemoryParking());
    expect(await worker.settle('esc-w')).to.deep.equal({ kind: 'settled', movements: 2, payoutHeld: false });
    expect(ledger.records).to.deep.equal([
      ['buyer', 're_0'],
      ['seller', 'tr_1'],
    ]);
  });

  it('leaves a held escrow’s payout pending, refunds its buyer, and pays the seller once the hold is cleared', async () => {
    const ledger = new MemoryLedger();
    const hold = {
      rule: 'velocity.buyer-1h',
      reasonCode: 'VELOCITY_BUYER',
      severity: 'high',
      action: 'hold',
      raisedAt: '2026-11-30T00:30:00.000Z',
      raisedBy: { organization: 'Oversight', mspId: 'OversightMSP', role: 'risk', userId: 'risk-service' },
      clearedAt: null,
      clearedBy: null,
      clearReason: null,
    } as const;
    ledger.escrow = { ...ledger.escrow, riskFlags: [hold] };
    const provider = new MemoryProvider();
    const { worker } = workerOf(ledger, provider, new MemoryParking());
    expect(await worker.settle('esc-w')).to.deep.equal({ kind: 'settled', movements: 1, payoutHeld: true });
    expect(ledger.records).to.deep.equal([['buyer', 're_0']]);
    expect(await worker.settle('esc-w')).to.deep.equal({ kind: 'settled', movements: 0, payoutHeld: true });
    const cleared = {
      ...hold,
      clearedAt: '2026-11-30T02:00:00.000Z',
      clearedBy: hold.raisedBy,
      clearReason: 'ok',
    };
    ledger.escrow = { ...ledger.escrow, riskFlags: [cleared] };
    expect(await worker.settle('esc-w')).to.deep.equal({ kind: 'settled', movements: 1, payoutHeld: false });
    expect(ledger.records).to.deep.equal([
      ['buyer', 're_0'],
      ['seller', 'tr_1'],
    ]);
  });

  it('pays nothing again for a replayed event', async () => {
    const ledger = new MemoryLedger();
    const provider = new MemoryProvider();
    const { worker } = workerOf(ledger, provider, new MemoryParking());
    await worker.settle('esc-w');
    expect(await worker.settle('esc-w')).to.deep.equal({ kind: 'settled', movements: 0, payoutHeld: false });
    expect(provider.calls).to.have.length(2);
  });

  it('parks a movement the ledger could not record and, when due, records it under the same key', async () => {
    const ledger = new MemoryLedger(1);
    const provider = new MemoryProvider();
    const parking = new MemoryParking();
    const { worker, advance } = workerOf(ledger, provider, parking);
    expect(await worker.settle('esc-w')).to.deep.equal({
      kind: 'parked',
      code: 'LEDGER_UNAVAILABLE',
      attempts: 1,
    });
    expect(await worker.retryDue(10)).to.equal(0);
    advance(1000);
    expect(await worker.retryDue(10)).to.equal(1);
    expect(parking.rows.size).to.equal(0);
    expect(ledger.records.map(([payee]) => payee)).to.deep.equal(['buyer', 'seller']);
    // The refund was asked twice with one key: the provider moved the money once.
    expect(provider.calls[0]).to.equal(provider.calls[1]);
    expect(provider.objects.size).to.equal(2);
  });

  it('parks a payout to a seller with no payee account, never dropping it', async () => {
    const ledger = new MemoryLedger();
    const parking = new MemoryParking();
    const { worker } = workerOf(ledger, new MemoryProvider(), parking, new Map());
    expect(await worker.settle('esc-w')).to.deep.include({
      kind: 'parked',
      code: 'SETTLEMENT_PAYEE_ACCOUNT_MISSING',
    });
    expect(ledger.records).to.deep.equal([['buyer', 're_0']]);
    expect(await worker.settle('esc-w')).to.deep.include({ attempts: 2 });
  });

  describe('an event that reached the worker before its own peer committed the event’s block', () => {
    /**
     * The own peer is behind the event: block 7 resolved the escrow, the peer still holds the funded
     * version. Asked as of block 7, it answers once it holds that block, or fails PEER_BEHIND.
     */
    class LaggingLedger extends MemoryLedger {
      readonly asked: (bigint | undefined)[] = [];
      /** Whether the own peer still lacks block 7. */
      behind = true;
      /** Whether a wait for block 7 ends with the peer holding it (else PEER_BEHIND). */
      catchesUp = true;
      private readonly funded: Escrow = {
        ...resolvedEscrow(),
        state: 'FUNDED',
        buyerRefund: '0',
        sellerPayout: '0',
      };
      override readEscrow(escrowId: string, atLeastBlock?: bigint) {
        this.asked.push(atLeastBlock);
        if (atLeastBlock === undefined)
          return this.behind ? Promise.resolve(this.funded) : super.readEscrow(escrowId);
        if (this.behind && !this.catchesUp)
          return Promise.reject(new PeerBehindError(atLeastBlock, atLeastBlock - 2n, 30_000));
        return super.readEscrow(escrowId);
      }
    }

    it('reads the escrow as of the event’s block, and pays what that version owes', async () => {
      const ledger = new LaggingLedger();
      const { worker } = workerOf(ledger, new MemoryProvider(), new MemoryParking());
      expect(await worker.settle('esc-w', 7n)).to.deep.equal({
        kind: 'settled',
        movements: 2,
        payoutHeld: false,
      });
      expect(ledger.asked).to.deep.equal([7n]);
      expect(ledger.records.map(([payee]) => payee)).to.deep.equal(['buyer', 'seller']);
    });

    it('parks the escrow (PEER_BEHIND) when its peer does not catch up in time, and pays on the retry', async () => {
      const ledger = new LaggingLedger();
      ledger.catchesUp = false;
      const parking = new MemoryParking();
      const { worker, advance } = workerOf(ledger, new MemoryProvider(), parking);
      expect(await worker.settle('esc-w', 7n)).to.deep.include({ kind: 'parked', code: 'PEER_BEHIND' });
      expect(ledger.records).to.deep.equal([]);
      ledger.behind = false;
      advance(60_000);
      expect(await worker.retryDue(10)).to.equal(1);
      expect(ledger.records.map(([payee]) => payee)).to.deep.equal(['buyer', 'seller']);
    });
  });

  it('rejects when the escrow cannot even be parked, so the event is read again', async () => {
    const parking = new MemoryParking();
    parking.park = () => Promise.reject(new Error('database down'));
    const { worker } = workerOf(new MemoryLedger(1), new MemoryProvider(), parking);
    let rejected: unknown;
    await worker.settle('esc-w').catch((error: unknown) => (rejected = error));
    expect(rejected).to.be.instanceOf(Error);
  });
});
