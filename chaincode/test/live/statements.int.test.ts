// Marketplaces settle with each other on the live network: a released and a resolved escrow across
// MarketA and MarketB each record an obligation, and once their settlement period is over a statement
// nets them, endorsed by both marketplaces' peers. Nobody outside the pair's operators may propose or
// settle it, and a single marketplace, even with Oversight's endorsement, cannot write it alone.
// (The three-marketplace netting of hundreds of escrows is proven at the contract level, by unit tests.)
import { expect } from 'chai';
import {
  CROSS_MARKET,
  eventually,
  evaluateEscrow,
  fabricSuite,
  refusalOf,
  submitEscrow,
  Trade,
  type TradeParties,
} from '@p2p-escrow/testkit';
import { obligationFromBytes, statementFromBytes, type ObligationRecord } from '@p2p-escrow/chaincode';
import { expectPolicyFailure, expectRefusal } from './assertions';

/** Bob on MarketB buys from Amir on MarketA: the other direction of the pair. */
const REVERSE_MARKET: TradeParties = {
  buyer: 'bob',
  seller: 'amir',
  backend: 'marketb-backend',
  payments: 'marketb-payments',
};
const PAIR = ['MarketAMSP', 'MarketBMSP'];

describe('statements between marketplaces on the live network', function () {
  this.timeout(240_000);
  const pool = fabricSuite();

  async function obligationOf(trade: Trade): Promise<ObligationRecord> {
    const answer = await evaluateEscrow(pool.of('marketa-payments', 'MarketA'), 'readObligation', [
      trade.escrowId,
    ]);
    return obligationFromBytes(JSON.stringify(answer));
  }

  const propose = (identity: string, statementId: string, endorsers = PAIR) =>
    submitEscrow(pool.of(identity), 'proposeStatement', [statementId], { endorsingOrganizations: endorsers });

  it('nets a released and a resolved escrow into a statement only both marketplaces can write', async () => {
    const released = new Trade(pool, CROSS_MARKET, 'stmt-released');
    await released.completeThroughRelease();
    const resolved = new Trade(pool, REVERSE_MARKET, 'stmt-resolved', '5000');
    await resolved.propose();
    await resolved.accept();
    await resolved.fund();
    await resolved.ship();
    await resolved.dispute();
    await resolved.resolve('1000');

    const owedToB = await obligationOf(released);
    expect(owedToB).to.include({ payer: 'MarketA', payee: 'MarketB', amount: '12037', status: 'open' });
    const owedToA = await obligationOf(resolved);
    // 4000 to the seller's side, less the 2.5 % fee on it.
    expect(owedToA).to.include({ payer: 'MarketB', payee: 'MarketA', amount: '3900', status: 'open' });
    const statementId = `${owedToB.period}:MarketA:MarketB`;

    for (const identity of ['olivia', 'oscar', 'oversight-admin', 'alice', 'bea', 'marketa-backend'])
      await expectRefusal(propose(identity, statementId), 'FORBIDDEN_ACTOR');

    // Wait for the period to end on the endorsers' clocks (the local channel's periods are 20 s).
    await eventually(
      `the end of settlement period ${owedToB.period}`,
      async () => {
        const refusal = await refusalOf(
          evaluateEscrow(pool.of('marketa-admin'), 'proposeStatement', [statementId], {
            endorsingOrganizations: PAIR,
          }),
        ).catch(() => undefined);
        return refusal === undefined || refusal.code !== 'PERIOD_OPEN' ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );

    // One marketplace alone, or with Oversight (which satisfies the definition's two-of-three for
    // the new statement keys), is invalidated: the obligations it nets need both marketplaces.
    const rogue = pool.of('marketa-admin', 'MarketA');
    await expectPolicyFailure(rogue, 'proposeStatement', [statementId], ['MarketAMSP']);
    await expectPolicyFailure(rogue, 'proposeStatement', [statementId], ['MarketAMSP', 'OversightMSP']);

    const proposed = statementFromBytes(JSON.stringify((await propose('marketb-admin', statementId)).result));
    expect(proposed.escrowIds).to.include(released.escrowId);
    await expectRefusal(propose('marketa-payments', statementId), 'STATEMENT_EXISTS');
    const asAuditor = statementFromBytes(
      JSON.stringify(await evaluateEscrow(pool.of('oscar'), 'readStatement', [statementId])),
    );
    expect(asAuditor).to.deep.equal(proposed);
    await expectRefusal(evaluateEscrow(pool.of('olivia'), 'readStatement', [statementId]), 'FORBIDDEN_ACTOR');
    expect((await obligationOf(released)).status).to.equal('netted');
    // Both directions of the period are in it when the two escrows ended in the same period.
    if (owedToA.period === owedToB.period) {
      expect(proposed).to.include({ payer: 'MarketA', payee: 'MarketB' });
      expect(BigInt(proposed.grossFirstToSecond) - BigInt(proposed.grossSecondToFirst)).to.equal(
        BigInt(proposed.net),
      );
    }

    const payer = proposed.payer === 'MarketA' ? 'marketa-payments' : 'marketb-payments';
    const payee = proposed.payer === 'MarketA' ? 'marketb-payments' : 'marketa-payments';
    const settleArgs = [statementId, `tr_live_${released.escrowId}`];
    await expectRefusal(
      submitEscrow(pool.of(payee), 'settleStatement', settleArgs, { endorsingOrganizations: PAIR }),
      'FORBIDDEN_ACTOR',
    );
    const payerOrg = proposed.payer ?? 'MarketA';
    await expectPolicyFailure(pool.of(payer), 'settleStatement', settleArgs, [
      `${payerOrg}MSP`,
      'OversightMSP',
    ]);
    // The buyer's marketplace may no longer pay the netted seller itself.
    await expectRefusal(released.recordSettlement('seller'), 'OBLIGATION_NETTED');
  });
});
