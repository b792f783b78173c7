// The settlement of a statement over an in-memory statement ledger and a recording provider: who pays,
// how much, with which kind of movement, and that running it again pays nothing more.
import type { Escrow, StatementRecord } from '@p2p-escrow/chaincode';
import { expect } from 'chai';
import type { MoneyMoved, PaymentProvider, PayoutRequest } from '../port/paymentProvider';
import type { StatementLedger } from './statementLedger';
import { payStatement, paySellersOfStatement, StatementSettlementError } from './statementSettlement';

const STATEMENT_ID = '20261130T000000Z:MarketA:MarketB';

function statement(overrides: Partial<StatementRecord> = {}): StatementRecord {
  return {
    docType: 'statement',
    statementId: STATEMENT_ID,
    period: '20261130T000000Z',
    periodEndsAt: '2026-12-01T00:00:00.000Z',
    first: 'MarketA',
    second: 'MarketB',
    currency: 'EUR',
    grossFirstToSecond: '9750',
    grossSecondToFirst: '3900',
    net: '5850',
    payer: 'MarketA',
    payee: 'MarketB',
    escrowIds: ['esc-ab', 'esc-ba'],
    status: 'proposed',
    proposedAt: '2026-12-01T00:00:01.000Z',
    proposedBy: { organization: 'MarketA', role: 'payments', userId: 'marketa-payments' },
    settlement: null,
    ...overrides,
  };
}

function escrow(escrowId: string, buyer: string, seller: string, sellerPayout: string): Escrow {
  return {
    escrowId,
    buyer: { marketplace: buyer, userId: 'b' },
    seller: { marketplace: seller, userId: `seller-${escrowId}` },
    currency: 'EUR',
    sellerPayout,
    settlements: { buyer: null, seller: null },
    riskFlags: [],
  } as unknown as Escrow;
}

class MemoryLedger implements StatementLedger {
  readonly recorded: { escrowId: string; providerRef: string }[] = [];
  constructor(
    readonly marketplace: string,
    public current: StatementRecord,
    readonly escrows: Map<string, Escrow>,
  ) {}
  readStatement(): Promise<StatementRecord> {
    return Promise.resolve(this.current);
  }
  settleStatement(_id: string, transferRef: string): Promise<StatementRecord> {
    const settledBy = { organization: this.marketplace, role: 'payments' as const, userId: 'p' };
    this.current = {
      ...this.current,
      status: 'settled',
      settlement: { transferRef, settledAt: 'now', settledBy },
    };
    return Promise.resolve(this.current);
  }
  readEscrow(escrowId: string): Promise<Escrow> {
    const found = this.escrows.get(escrowId);
    return found === undefined ? Promise.reject(new Error(escrowId)) : Promise.resolve(found);
  }
  recordSellerPayout(paid: Escrow, providerRef: string): Promise<Escrow> {
    this.recorded.push({ escrowId: paid.escrowId, providerRef });
    const settlement = { amount: paid.sellerPayout, providerRef };
    const updated = {
      ...paid,
      settlements: { ...paid.settlements, seller: settlement },
    } as unknown as Escrow;
    this.escrows.set(paid.escrowId, updated);
    return Promise.resolve(updated);
  }
}

function recordingProvider(payouts: PayoutRequest[]): PaymentProvider {
  const payOut = (request: PayoutRequest): Promise<MoneyMoved> => {
    payouts.push(request);
    return Promise.resolve({
      providerId: `tr_${String(payouts.length)}`,
      escrowId: request.escrowId,
      amountMinor: request.amountMinor,
      currency: request.currency,
      idempotencyKey: `key-${request.escrowId}`,
    });
  };
  const unused = () => Promise.reject(new Error('not used by statement settlement'));
  return {
    payOut,
    createPayment: unused,
    refund: unused,
    listActivity: unused,
    verifyEvent: () => {
      throw new Error('not used');
    },
    isPaymentReference: (reference) => reference.startsWith('pi_'),
    isPayeeAccount: (account) => account.startsWith('acct_'),
  };
}

const accounts = (marketplace: string) => `acct_${marketplace}`;

describe('statement settlement with the provider', () => {
  it('pays the net once, as a statement transfer to the payee marketplace, and settles with its id', async () => {
    const payouts: PayoutRequest[] = [];
    const ledger = new MemoryLedger('MarketA', statement(), new Map());
    const request = {
      ledger,
      provider: recordingProvider(payouts),
      statementId: STATEMENT_ID,
      marketplaceAccountOf: accounts,
    };
    const { statement: settled, transfer } = await payStatement(request);
    expect(payouts).to.deep.equal([
      {
        escrowId: STATEMENT_ID,
        destinationAccount: 'acct_MarketB',
        amountMinor: 5850n,
        currency: 'EUR',
        kind: 'statement-transfer',
      },
    ]);
    expect(settled.settlement?.transferRef).to.equal(transfer?.providerId);
    expect((await payStatement(request)).transfer).to.equal(undefined);
    expect(payouts).to.have.length(1);
  });

  it('refuses to pay a statement the marketplace does not owe (STATEMENT_NOT_PAYABLE)', async () => {
    const payouts: PayoutRequest[] = [];
    const ledger = new MemoryLedger('MarketB', statement(), new Map());
    const error = await payStatement({
      ledger,
      provider: recordingProvider(payouts),
      statementId: STATEMENT_ID,
      marketplaceAccountOf: accounts,
    }).catch((caught: unknown) => caught);
    expect(error)
      .to.be.instanceOf(StatementSettlementError)
      .and.have.property('code', 'STATEMENT_NOT_PAYABLE');
    expect(payouts).to.deep.equal([]);
  });

  it('pays only its own sellers, only once the statement is settled, and each once', async () => {
    const payouts: PayoutRequest[] = [];
    const escrows = new Map([
      ['esc-ab', escrow('esc-ab', 'MarketA', 'MarketB', '9750')],
      ['esc-ba', escrow('esc-ba', 'MarketB', 'MarketA', '3900')],
    ]);
    const ledger = new MemoryLedger('MarketB', statement(), escrows);
    const request = {
      ledger,
      provider: recordingProvider(payouts),
      statementId: STATEMENT_ID,
      sellerAccountOf: (seller: Escrow['seller']) => `acct_${seller.userId}`,
    };
    const early = await paySellersOfStatement(request).catch((caught: unknown) => caught);
    expect(early)
      .to.be.instanceOf(StatementSettlementError)
      .and.have.property('code', 'STATEMENT_NOT_SETTLED');
    await ledger.settleStatement(STATEMENT_ID, 'tr_net');
    const paid = await paySellersOfStatement(request);
    expect(paid.map((p) => p.escrowId)).to.deep.equal(['esc-ab']);
    expect(payouts).to.deep.equal([
      {
        escrowId: 'esc-ab',
        destinationAccount: 'acct_seller-esc-ab',
        amountMinor: 9750n,
        currency: 'EUR',
        kind: 'payout',
      },
    ]);
    expect(ledger.recorded).to.deep.equal([{ escrowId: 'esc-ab', providerRef: 'tr_1' }]);
    expect(await paySellersOfStatement(request)).to.deep.equal([]);
    expect(payouts).to.have.length(1);
  });

  it('leaves a held escrow’s seller unpaid until its hold is cleared', async () => {
    const payouts: PayoutRequest[] = [];
    const hold = { rule: 'velocity.buyer-1h', action: 'hold', clearedAt: null };
    const held = {
      ...escrow('esc-ab', 'MarketA', 'MarketB', '9750'),
      riskFlags: [hold],
    } as unknown as Escrow;
    const escrows = new Map([
      ['esc-ab', held],
      ['esc-ba', escrow('esc-ba', 'MarketB', 'MarketA', '3900')],
    ]);
    const ledger = new MemoryLedger('MarketB', statement(), escrows);
    const request = {
      ledger,
      provider: recordingProvider(payouts),
      statementId: STATEMENT_ID,
      sellerAccountOf: (seller: Escrow['seller']) => `acct_${seller.userId}`,
    };
    await ledger.settleStatement(STATEMENT_ID, 'tr_net');
    expect(await paySellersOfStatement(request)).to.deep.equal([]);
    const cleared = { ...hold, clearedAt: '2026-12-02T00:00:00.000Z' };
    escrows.set('esc-ab', { ...held, riskFlags: [cleared] } as unknown as Escrow);
    expect((await paySellersOfStatement(request)).map((p) => p.escrowId)).to.deep.equal(['esc-ab']);
  });
});
