// A rogue marketplace cannot move another marketplace's customer's money: MarketA, using its own
// peer and its own valid identities, collects only its own endorsement (fabric-gateway
// endorsingOrganizations) for an escrow whose seller trades on MarketB. Its peer endorses, the
// orderer orders, and every peer invalidates the transaction against the escrow's key-level policy.
import { peer } from '@hyperledger/fabric-protos';
import { expect } from 'chai';
import { CROSS_MARKET, Trade, submitForgedWrites, fabricSuite } from '@p2p-escrow/testkit';
import { expectPolicyFailure, expectRefusal, expectUnchanged } from './assertions';

const MARKET_A_ALONE = ['MarketAMSP'];
// Two of three orgs satisfy the chaincode's MAJORITY policy, so only the escrow's own AND(A, B) stops it.
const MARKET_A_WITH_OVERSIGHT = ['MarketAMSP', 'OversightMSP'];

describe('rogue org: MarketA alone against an escrow whose seller is on MarketB', function () {
  this.timeout(180_000);
  const pool = fabricSuite();

  it('cannot fund it: the transaction is invalidated and the escrow stays CREATED', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'rogue-fund');
    await trade.create();
    const args = [trade.escrowId, trade.amount, trade.currency, 'psp-rogue'];
    const payments = pool.of('marketa-payments', 'MarketA');
    await expectPolicyFailure(payments, 'fundEscrow', args, MARKET_A_ALONE);
    await expectPolicyFailure(payments, 'fundEscrow', args, MARKET_A_WITH_OVERSIGHT);
    await expectUnchanged(trade);
    expect((await trade.read('bea')).state).to.equal('CREATED');
    // The legitimate path still works afterwards.
    expect((await trade.fund()).escrow.state).to.equal('FUNDED');
  });

  it('cannot release its buyer’s payment to the seller: invalidated, the escrow stays SHIPPED', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'rogue-release');
    await trade.create();
    await trade.fund();
    await trade.ship();
    const alice = pool.of('alice', 'MarketA');
    await expectPolicyFailure(alice, 'releaseEscrow', [trade.escrowId], MARKET_A_ALONE);
    await expectPolicyFailure(alice, 'releaseEscrow', [trade.escrowId], MARKET_A_WITH_OVERSIGHT);
    await expectUnchanged(trade);
    expect((await trade.read('bea')).state).to.equal('SHIPPED');
  });

  it('cannot resolve its dispute: no MarketA identity is an arbiter, and an arbiter’s resolution endorsed by MarketA alone is invalidated', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'rogue-resolve');
    await trade.create();
    await trade.fund();
    await trade.ship();
    await trade.dispute();
    const args = [trade.escrowId, trade.amount];
    // MarketA's own identities are refused by the chaincode on MarketA's own peer.
    for (const identity of ['marketa-backend', 'marketa-admin', 'alice']) {
      await expectRefusal(
        trade.step(identity, 'resolveDispute', args, { endorsingOrganizations: MARKET_A_ALONE }),
        'FORBIDDEN_ACTOR',
        trade,
      );
    }
    // The arbiter's full refund to MarketA's buyer, routed through MarketA's peer and endorsed by it
    // alone, fails the widened policy, which needs Oversight's endorsement too.
    await expectPolicyFailure(pool.of('olivia', 'MarketA'), 'resolveDispute', args, MARKET_A_ALONE);
    await expectUnchanged(trade);
    expect((await trade.read('bea')).state).to.equal('DISPUTED');
  });

  it('cannot resolve it by forging either: its own peer signs a RESOLVED write set, and validation rejects it', async () => {
    const trade = new Trade(pool, CROSS_MARKET, 'rogue-forge');
    await trade.create();
    await trade.fund();
    await trade.ship();
    await trade.dispute();
    // A rogue MarketA runs whatever chaincode it likes on its peer: here, a full refund to its buyer.
    const disputed = await trade.read('alice');
    const forged = {
      ...disputed,
      state: 'RESOLVED',
      buyerRefund: disputed.fundedAmount,
      sellerPayout: '0',
      fee: '0',
    };
    const status = await submitForgedWrites(
      pool.of('marketa-backend', 'MarketA'),
      'marketa-backend',
      { name: 'readEscrow', args: [trade.escrowId] },
      'escrow',
      [{ key: `\u0000escrow\u0000${trade.escrowId}\u0000`, value: Buffer.from(JSON.stringify(forged)) }],
    );
    expect(status.successful).to.equal(false);
    expect(status.code).to.equal(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    await expectUnchanged(trade);
    expect((await trade.read('bea')).state).to.equal('DISPUTED');
  });
});
