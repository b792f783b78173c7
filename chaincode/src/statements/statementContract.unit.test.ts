// Obligations and statements through the contract on the in-memory ledger: what the terminal
// transaction records, how a statement nets, who may and who may not, and how a seller of a netted
// escrow is paid once. Real endorsement (both marketplaces' peers) is proven on the live network.
import { expect } from 'chai';
import { EscrowContract } from '../escrow/escrowContract';
import { ITEM_TRANSACTIONS } from '../escrow/contractInfo';
import { CALLERS, requestJson } from '../testing/contractFixtures';
import { expectRejection } from '../testing/escrowFixtures';
import type { Caller, FakeLedger } from '../testing/fakeLedger';
import {
  contract,
  endTrade,
  identitiesOf,
  statementLedger,
  type TradeSpec,
} from '../testing/statementFixtures';
import { allOf, decodePolicy, member } from '../ledger/endorsementPolicy';
import { obligationFromBytes } from './obligation';
import { settlementPeriodAt } from './settlementPeriod';
import { statementFromBytes } from './statement';

const A = identitiesOf('MarketA');
const B = identitiesOf('MarketB');
const C = identitiesOf('MarketC');
const PERIOD_SECONDS = 10;
const PAIR_AB = 'escrowTerms_MarketA_MarketB';
const key = (type: string, ...attributes: string[]): string =>
  `\u0000${type}\u0000${attributes.map((attribute) => `${attribute}\u0000`).join('')}`;

describe('obligations and statements between marketplaces', () => {
  let ledger: FakeLedger;
  // Two minutes before each test (not before the whole run, which may outlast the endorsers' skew on
  // a busy machine): within the skew, and long past a ten-second period.
  let past = 0;
  let period = '';
  let statementAB = '';
  const as = (who: Caller, atMs?: number) => ledger.as(who, atMs === undefined ? {} : { txTimeMs: atMs });
  const trade = (spec: Partial<TradeSpec> & { escrowId: string }) =>
    endTrade(ledger, {
      buyerMarketplace: 'MarketA',
      sellerMarketplace: 'MarketB',
      price: '10000',
      atMs: past,
      ...spec,
    });
  const obligation = (escrowId: string) =>
    obligationFromBytes(ledger.privateData.get(`${PAIR_AB}/${key('obligation', escrowId)}`) ?? '');
  const propose = (who: Caller, id = statementAB) => as(who)((ctx) => contract.proposeStatement(ctx, id));
  const settle = (who: Caller, ref = 'tr_1', id = statementAB) =>
    as(who)((ctx) => contract.settleStatement(ctx, id, ref));
  const read = async (who: Caller, id = statementAB) =>
    statementFromBytes(await as(who)((ctx) => contract.readStatement(ctx, id)));

  beforeEach(async () => {
    past = Date.now() - 120_000;
    period = settlementPeriodAt(past, PERIOD_SECONDS).period;
    statementAB = `${period}:MarketA:MarketB`;
    ledger = await statementLedger(PERIOD_SECONDS);
  });

  describe('the terminal transaction', () => {
    it('records what the buyer’s marketplace owes the seller’s, privately, under both marketplaces’ policy', async () => {
      await trade({ escrowId: 'esc-1' });
      expect(obligation('esc-1')).to.deep.include({
        payer: 'MarketA',
        payee: 'MarketB',
        amount: '9750',
        currency: 'EUR',
        period,
        status: 'open',
        statementId: null,
      });
      const policy = ledger.validationParameters.get(`${PAIR_AB}/${key('obligation', 'esc-1')}`);
      expect(decodePolicy(policy ?? new Uint8Array())).to.deep.equal(
        allOf(member('MarketAMSP'), member('MarketBMSP')),
      );
      // Public state holds only the period index entry: the pair, the period, the escrow, no amount.
      const index = key('obligation~period', 'MarketA', 'MarketB', period, 'esc-1');
      expect([...ledger.history.keys()].filter((k) => k.includes('obligation'))).to.deep.equal([index]);
      expect([...(ledger.get(index) ?? [])]).to.deep.equal([0]);
    });

    it('records the seller’s part of a resolved dispute, and nothing when the buyer got it all', async () => {
      await trade({ escrowId: 'esc-r', buyerRefund: '4000' });
      expect(obligation('esc-r').amount).to.equal('5850');
      await trade({ escrowId: 'esc-full', buyerRefund: '10000' });
      expect(ledger.privateData.has(`${PAIR_AB}/${key('obligation', 'esc-full')}`)).to.equal(false);
    });

    it('records nothing for a trade on one marketplace', async () => {
      await trade({ escrowId: 'esc-same', sellerMarketplace: 'MarketA' });
      expect([...ledger.privateData.keys()].filter((k) => k.includes('obligation'))).to.deep.equal([]);
    });

    it('puts an obligation in the next period once the pair’s statement of its own period exists', async () => {
      await trade({ escrowId: 'esc-1' });
      await propose(A.payments);
      await trade({ escrowId: 'esc-late' });
      expect(obligation('esc-late').period).to.equal(
        settlementPeriodAt(past + PERIOD_SECONDS * 1000, PERIOD_SECONDS).period,
      );
    });
  });

  describe('proposeStatement', () => {
    it('nets both ways into one statement endorsed by both, and marks each obligation netted', async () => {
      await trade({ escrowId: 'esc-1', price: '10000' });
      await trade({
        escrowId: 'esc-2',
        price: '4000',
        buyerMarketplace: 'MarketB',
        sellerMarketplace: 'MarketA',
      });
      const answer = JSON.parse(await propose(B.admin)) as Record<string, unknown>;
      // The sealed answer opened by the test client; without a response key the block gets the status only.
      expect(answer).to.include({
        statementId: statementAB,
        status: 'proposed',
        net: '5850',
        payer: 'MarketA',
      });
      expect(await read(A.payments)).to.deep.include({
        grossFirstToSecond: '9750',
        grossSecondToFirst: '3900',
        net: '5850',
        payer: 'MarketA',
        payee: 'MarketB',
        escrowIds: ['esc-1', 'esc-2'],
        settlement: null,
      });
      expect(obligation('esc-1')).to.include({ status: 'netted', statementId: statementAB });
      const both = allOf(member('MarketAMSP'), member('MarketBMSP'));
      for (const k of [key('statement', statementAB), `${PAIR_AB}/${key('statement', statementAB)}`])
        expect(decodePolicy(ledger.validationParameters.get(k) ?? new Uint8Array())).to.deep.equal(both);
      const publicRecord = JSON.parse(
        Buffer.from(ledger.get(key('statement', statementAB)) ?? '').toString(),
      ) as object;
      expect(publicRecord).to.have.keys(
        'docType',
        'statementId',
        'period',
        'first',
        'second',
        'status',
        'proposedAt',
        'settledAt',
      );
    });

    it('answers the public status only when the caller sent no response key', async () => {
      await trade({ escrowId: 'esc-1' });
      const unsealed = await as(A.payments)((ctx) => new EscrowContract().proposeStatement(ctx, statementAB));
      expect(JSON.parse(unsealed)).to.not.have.property('net');
    });

    it('settles a balanced statement at once: nothing to transfer', async () => {
      await trade({ escrowId: 'esc-1', price: '10000' });
      await trade({
        escrowId: 'esc-2',
        price: '10000',
        buyerMarketplace: 'MarketB',
        sellerMarketplace: 'MarketA',
      });
      await propose(A.admin);
      expect(await read(B.admin)).to.deep.include({ status: 'settled', net: '0', payer: null, payee: null });
      await expectRejection(() => settle(A.payments), 'ALREADY_SETTLED');
    });

    it('refuses while the period is open (PERIOD_OPEN), twice (STATEMENT_EXISTS) and with nothing owed (NO_OBLIGATIONS)', async () => {
      const now = Date.now();
      await trade({ escrowId: 'esc-now', atMs: now });
      await expectRejection(
        () => propose(A.payments, `${settlementPeriodAt(now, PERIOD_SECONDS).period}:MarketA:MarketB`),
        'PERIOD_OPEN',
      );
      await expectRejection(() => propose(A.payments), 'NO_OBLIGATIONS');
      await trade({ escrowId: 'esc-1' });
      await propose(A.payments);
      await expectRejection(() => propose(B.payments), 'STATEMENT_EXISTS');
    });

    it('refuses a malformed statement id (INVALID_INPUT)', async () => {
      for (const id of [
        `${period}:MarketB:MarketA`,
        `${period}:MarketA`,
        `2026-11-30:MarketA:MarketB`,
        `${period}:MarketA:MarketA`,
      ])
        await expectRejection(() => propose(A.payments, id), 'INVALID_INPUT');
    });

    it('may not be proposed by another marketplace, a buyer, a seller, a backend or Oversight', async () => {
      await trade({ escrowId: 'esc-1' });
      for (const who of [
        C.admin,
        C.payments,
        A.buyer,
        B.seller,
        A.backend,
        CALLERS.arbiter,
        CALLERS.auditor,
        CALLERS.oversightAdmin,
      ])
        await expectRejection(() => propose(who), 'FORBIDDEN_ACTOR');
      expect(obligation('esc-1').status).to.equal('open');
    });
  });

  describe('settleStatement', () => {
    beforeEach(async () => {
      await trade({ escrowId: 'esc-1' });
      await propose(B.payments);
    });

    it('records the payer’s one transfer, once (ALREADY_SETTLED)', async () => {
      await settle(A.payments, 'tr_123');
      expect(await read(B.payments)).to.deep.include({ status: 'settled' });
      expect((await read(B.payments)).settlement).to.include({ transferRef: 'tr_123' });
      await expectRejection(() => settle(A.payments, 'tr_456'), 'ALREADY_SETTLED');
    });

    it('may not be settled by the payee, another marketplace, an admin, a party or Oversight', async () => {
      for (const who of [
        B.payments,
        C.payments,
        A.admin,
        A.buyer,
        B.seller,
        CALLERS.arbiter,
        CALLERS.auditor,
      ])
        await expectRejection(() => settle(who), 'FORBIDDEN_ACTOR');
      expect((await read(A.payments)).status).to.equal('proposed');
    });

    it('refuses an unknown statement (STATEMENT_NOT_FOUND)', async () => {
      const other = `${settlementPeriodAt(past - 60_000, PERIOD_SECONDS).period}:MarketA:MarketB`;
      await expectRejection(() => settle(A.payments, 'tr_1', other), 'STATEMENT_NOT_FOUND');
    });
  });

  describe('who reads', () => {
    it('lets the pair’s operators and Oversight’s auditors read, and no one else', async () => {
      await trade({ escrowId: 'esc-1' });
      await propose(A.payments);
      for (const who of [A.payments, A.admin, A.backend, B.payments, CALLERS.auditor]) await read(who);
      for (const who of [A.buyer, B.seller, C.admin, CALLERS.arbiter, CALLERS.keeper])
        await expectRejection(() => read(who), 'FORBIDDEN_ACTOR');
      for (const who of [A.buyer, B.seller, CALLERS.arbiter])
        await expectRejection(
          () => as(who)((ctx) => contract.readObligation(ctx, 'esc-1')),
          'FORBIDDEN_ACTOR',
        );
      expect(
        obligationFromBytes(await as(CALLERS.auditor)((ctx) => contract.readObligation(ctx, 'esc-1'))),
      ).to.include({ escrowId: 'esc-1' });
    });
  });

  describe('a split escrow between marketplaces', () => {
    const raw = new EscrowContract();
    const SPLIT = 'esc-items';
    type ItemTransaction = (typeof ITEM_TRANSACTIONS)[number] | 'recordSettlement';
    const onItem = (who: Caller, transaction: ItemTransaction, args: object) =>
      ledger.as(who, { txTimeMs: past, transient: { arguments: JSON.stringify(args) } })((ctx) =>
        raw[transaction](ctx, SPLIT),
      );
    const readSplit = async () =>
      JSON.parse(await as(CALLERS.auditor)((ctx) => raw.readEscrow(ctx, SPLIT))) as {
        state: string;
        sellerPayout: string;
        itemLifecycles: { state: string; buyerRefund: string; sellerPayout: string; fee: string }[];
      };

    /**
     * Three milestones of 10 000, 15 000 and 5 000 EUR cents from a MarketA buyer to a MarketB
     * seller (2.5 % fee, the seller's): the first released (payout 9 750), the second rejected and
     * returned (all 15 000 refunded), the third resolved with 2 000 refunded (payout 2 925).
     */
    async function endSplitTrade(): Promise<void> {
      const request = requestJson({
        buyer: { marketplace: 'MarketA', userId: A.buyer.attributes.userId },
        seller: { marketplace: 'MarketB', userId: B.seller.attributes.userId },
        items: [
          { description: 'Design', price: '10000' },
          { description: 'Build', price: '15000' },
          { description: 'Handover', price: '5000' },
        ],
      });
      await as(A.backend, past)((ctx) => contract.createEscrow(ctx, SPLIT, request));
      await as(B.seller, past)((ctx) => contract.acceptEscrow(ctx, SPLIT));
      await as(A.payments, past)((ctx) => contract.fundEscrow(ctx, SPLIT, '30000', 'EUR', `psp-${SPLIT}`));
      for (const item of [0, 1, 2])
        await onItem(B.seller, 'shipItem', { item, carrier: 'DHL', trackingRef: `T-${String(item)}` });
      await onItem(A.buyer, 'releaseItem', { item: 0 });
      await onItem(A.buyer, 'confirmItemDelivery', { item: 1 });
      await onItem(A.buyer, 'rejectItem', { item: 1, reason: 'wrong colour' });
      await onItem(B.seller, 'provideReturnAddress', { item: 1, addressHash: 'a'.repeat(64) });
      await onItem(A.buyer, 'shipReturn', { item: 1, carrier: 'UPS', trackingRef: 'R-1' });
      await onItem(B.seller, 'confirmReturn', { item: 1 });
      await onItem(A.buyer, 'disputeItem', { item: 2, reason: 'late', evidenceHashes: [] });
      await onItem(CALLERS.arbiter, 'resolveItem', { item: 2, buyerRefund: '2000' });
    }

    it('owes the sum of its items’ payouts: a refunded item adds nothing, a released or resolved one its own payout', async () => {
      await endSplitTrade();
      const ended = await readSplit();
      expect(ended.state).to.equal('RESOLVED');
      expect(ended.itemLifecycles.map(({ state, sellerPayout }) => [state, sellerPayout])).to.deep.equal([
        ['RELEASED', '9750'],
        ['REFUNDED', '0'],
        ['RESOLVED', '2925'],
      ]);
      expect(ended.sellerPayout).to.equal('12675');
      expect(obligation(SPLIT)).to.deep.include({ amount: '12675', status: 'open', period });
      // Another trade the other way nets against it in the same statement.
      await trade({
        escrowId: 'esc-ba',
        price: '4000',
        buyerMarketplace: 'MarketB',
        sellerMarketplace: 'MarketA',
      });
      await propose(A.payments);
      expect(await read(A.payments)).to.deep.include({
        grossFirstToSecond: '12675',
        grossSecondToFirst: '3900',
        net: '8775',
        payer: 'MarketA',
        escrowIds: ['esc-ba', SPLIT],
      });
    });

    it('refunds its buyer item by item, and pays its seller the whole by statement, never per item', async () => {
      await endSplitTrade();
      for (const item of [1, 2])
        await onItem(A.payments, 'recordSettlement', {
          payee: 'buyer',
          providerRef: `re_${String(item)}`,
          item,
        });
      await expectRejection(
        () => onItem(A.payments, 'recordSettlement', { payee: 'seller', providerRef: 'tr_0', item: 0 }),
        'INVALID_INPUT',
      );
      await propose(A.payments);
      await settle(A.payments, 'tr_net');
      const settled = JSON.parse(
        await as(B.payments)((ctx) => contract.recordSettlement(ctx, SPLIT, 'seller', 'po-split')),
      ) as { settlements: { seller: { amount: string } } };
      expect(settled.settlements.seller.amount).to.equal('12675');
      await expectRejection(
        () => onItem(B.payments, 'recordSettlement', { payee: 'seller', providerRef: 'tr_2', item: 2 }),
        'INVALID_INPUT',
      );
    });
  });

  describe('paying the seller of a cross-marketplace escrow once', () => {
    const recordSeller = (who: Caller, escrowId = 'esc-1') =>
      as(who)((ctx) => contract.recordSettlement(ctx, escrowId, 'seller', `po-${escrowId}`));

    it('lets the buyer’s marketplace pay directly while the obligation is open, which takes it out of netting', async () => {
      await trade({ escrowId: 'esc-1' });
      await recordSeller(A.payments);
      expect(obligation('esc-1').status).to.equal('paidDirectly');
      await expectRejection(() => propose(A.payments), 'NO_OBLIGATIONS');
    });

    it('once netted: the buyer’s marketplace may not (OBLIGATION_NETTED), the seller’s only after the transfer', async () => {
      await trade({ escrowId: 'esc-1' });
      await propose(A.payments);
      await expectRejection(() => recordSeller(A.payments), 'OBLIGATION_NETTED');
      await expectRejection(() => recordSeller(B.payments), 'STATEMENT_NOT_SETTLED');
      await settle(A.payments, 'tr_9');
      await expectRejection(() => recordSeller(A.payments), 'OBLIGATION_NETTED');
      await expectRejection(() => recordSeller(C.payments), 'FORBIDDEN_ACTOR');
      const settled = JSON.parse(await recordSeller(B.payments)) as {
        settlements: { seller: { amount: string } };
      };
      expect(settled.settlements.seller.amount).to.equal('9750');
      await expectRejection(() => recordSeller(B.payments), 'ALREADY_SETTLED');
    });
  });
});
