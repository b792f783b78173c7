// Statement settlement on the demo network with stripe-mock as the provider: two MarketA buyers'
// escrows with MarketB's seller are released, their obligations netted into a statement both
// marketplaces endorse, MarketA pays the net with ONE transfer and settles the statement with its id,
// and MarketB then pays its seller of each covered escrow, each payout recorded on the ledger.
import { obligationFromBytes, type ObligationRecord } from '@p2p-escrow/chaincode';
import {
  CROSS_MARKET,
  ensureStripeMock,
  escrowContract,
  eventually,
  evaluateEscrow,
  fabricSuite,
  refusalOf,
  submitEscrow,
  Trade,
  type StripeMockSession,
} from '@p2p-escrow/testkit';
import { expect } from 'chai';
import { idempotencyKeyOf } from '../port/idempotencyKey';
import { readStripeConfig } from '../stripe/stripeConfig';
import { StripePaymentProvider, type ProviderCallRecord } from '../stripe/stripePaymentProvider';
import { FabricStatementLedger } from './fabricStatementLedger';
import { payStatement, paySellersOfStatement, StatementSettlementError } from './statementSettlement';

const PAIR = ['MarketAMSP', 'MarketBMSP'];
const ACCOUNTS: Readonly<Record<string, string>> = { MarketA: 'acct_1MarketA', MarketB: 'acct_1MarketB' };

describe('statement settlement against stripe-mock on the live network', function () {
  this.timeout(240_000);
  const pool = fabricSuite();
  let stripeMock: StripeMockSession;

  before(async () => {
    stripeMock = await ensureStripeMock();
  });
  after(async () => {
    await stripeMock.release();
  });

  async function obligationOf(trade: Trade): Promise<ObligationRecord> {
    const answer = await evaluateEscrow(pool.of('marketa-payments'), 'readObligation', [trade.escrowId]);
    return obligationFromBytes(JSON.stringify(answer));
  }

  /** Proposes the statement as MarketA's payments identity once its period is over. */
  async function proposeWhenDue(statementId: string): Promise<void> {
    await eventually(
      `statement ${statementId} proposed after its period`,
      async () => {
        const attempt = submitEscrow(pool.of('marketa-payments'), 'proposeStatement', [statementId], {
          endorsingOrganizations: PAIR,
        });
        const refusal = await refusalOf(attempt).catch(() => undefined);
        if (refusal === undefined) return true;
        if (refusal.code === 'PERIOD_OPEN') return undefined;
        throw refusal.error;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
  }

  it('pays the net with one transfer, settles the statement with it, and MarketB pays its sellers', async () => {
    const first = new Trade(pool, CROSS_MARKET, 'stmt-pay-1');
    const second = new Trade(pool, CROSS_MARKET, 'stmt-pay-2', '20000');
    await first.completeThroughRelease();
    await second.completeThroughRelease();
    // Both usually end in the same 20 s period; if not, the first one's statement is the one settled.
    const owed = await obligationOf(first);
    const covered = (await obligationOf(second)).period === owed.period ? [first, second] : [first];
    const statementId = `${owed.period}:MarketA:MarketB`;
    await proposeWhenDue(statementId);

    const calls: ProviderCallRecord[] = [];
    const provider = new StripePaymentProvider(readStripeConfig(stripeMock.env), (call) => calls.push(call));
    const payer = new FabricStatementLedger('MarketA', escrowContract(pool.of('marketa-payments')));
    const payee = new FabricStatementLedger('MarketB', escrowContract(pool.of('marketb-payments')));
    const marketplaceAccountOf = (marketplace: string) => ACCOUNTS[marketplace] ?? 'acct_unknown';

    // The receiving marketplace cannot pay its sellers before the transfer is settled on the ledger.
    const early = await paySellersOfStatement({
      ledger: payee,
      provider,
      statementId,
      sellerAccountOf: () => 'acct_1SellerBea',
    }).catch((error: unknown) => error);
    expect(early).to.be.instanceOf(StatementSettlementError);

    const { statement, transfer } = await payStatement({
      ledger: payer,
      provider,
      statementId,
      marketplaceAccountOf,
    });
    expect(transfer?.providerId).to.match(/^tr_/);
    expect(transfer?.idempotencyKey).to.equal(
      idempotencyKeyOf({ escrowId: statementId, payee: 'acct_1MarketB', kind: 'statement-transfer' }),
    );
    expect(statement).to.include({ status: 'settled', payer: 'MarketA', payee: 'MarketB' });
    expect(statement.settlement?.transferRef).to.equal(transfer?.providerId);
    expect(statement.escrowIds).to.include.members(covered.map((trade) => trade.escrowId));
    const transfers = calls.length;
    // Run again (a restart after the ledger recorded it): nothing more is paid.
    expect(
      (await payStatement({ ledger: payer, provider, statementId, marketplaceAccountOf })).transfer,
    ).to.equal(undefined);
    expect(calls).to.have.length(transfers);

    const sellerAccountOf = () => 'acct_1SellerBea';
    const payouts = await eventually(
      "MarketB's peer sees the settled statement",
      async () =>
        paySellersOfStatement({ ledger: payee, provider, statementId, sellerAccountOf }).catch(
          (error: unknown) => {
            if (error instanceof StatementSettlementError) return undefined;
            throw error;
          },
        ),
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(payouts.map((paid) => paid.escrowId)).to.include.members(covered.map((trade) => trade.escrowId));
    for (const trade of covered) {
      const paid = payouts.find((payout) => payout.escrowId === trade.escrowId);
      const escrow = await trade.read('bea');
      expect(escrow.settlements.seller).to.deep.include({
        amount: escrow.sellerPayout,
        providerRef: paid?.payout.providerId,
      });
      expect(escrow.settlements.seller?.recordedBy).to.include({ organization: 'MarketB', role: 'payments' });
    }
    // Again: every seller is recorded, nobody is paid twice.
    expect(
      await paySellersOfStatement({ ledger: payee, provider, statementId, sellerAccountOf }),
    ).to.deep.equal([]);
  });
});
